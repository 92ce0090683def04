/**
 * Bounds on one MCP message, whatever the transport: its size, and how deeply its JSON nests
 * (a deep array costs a parser and every schema walk more than its bytes suggest). A message
 * over a bound gets a JSON-RPC error naming the bound; the server keeps serving.
 */

/** One message, stdio line or HTTP body. */
export const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;
/** Nesting of objects and arrays; a tool call needs about 5. */
export const MAX_JSON_DEPTH = 64;

export const TOO_LARGE = `the message is larger than ${MAX_MESSAGE_BYTES / 1024 / 1024} MB (the limit for one MCP message)`;
export const TOO_DEEP = `the message nests deeper than ${MAX_JSON_DEPTH} levels (the limit for one MCP message)`;

/** JSON-RPC's codes: the text was no JSON; the JSON was no acceptable request. */
export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;

/** Is `value` nested deeper than MAX_JSON_DEPTH? Iterative: a hostile depth cannot overflow the stack. */
export function tooDeep(value: unknown): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > MAX_JSON_DEPTH) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node))
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * The top-level `id` of a request too large to parse, from its first and last bytes (it
 * usually comes before `params`, or after them at the very end); null when not found.
 */
export function requestIdOf(head: string, tail: string): string | number | null {
  const value = '("(?:[^"\\\\]|\\\\.){0,200}"|-?\\d{1,20})';
  const params = head.indexOf('"params"');
  const before = new RegExp(`"id"\\s*:\\s*${value}`).exec(params === -1 ? head : head.slice(0, params));
  const after = new RegExp(`"id"\\s*:\\s*${value}\\s*(?:,\\s*"jsonrpc"\\s*:\\s*"2\\.0"\\s*)?\\}\\s*$`).exec(tail);
  const found = before?.[1] ?? after?.[1];
  if (found === undefined) return null;
  try {
    return JSON.parse(found) as string | number;
  } catch {
    return null;
  }
}

export function errorResponse(
  id: string | number | null,
  code: number,
  message: string,
): { jsonrpc: '2.0'; id: string | number | null; error: { code: number; message: string } } {
  return { jsonrpc: '2.0', id, error: { code, message } };
}
