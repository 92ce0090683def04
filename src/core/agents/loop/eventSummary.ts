/**
 * Shortens tool inputs and results for `tool.called` events: the journal should say what
 * was called, not carry whole file contents.
 */
const MAX_STRING = 200;
const MAX_RESULT = 500;
const MAX_ITEMS = 20;

export function summarizeInput(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') {
    return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}… (${value.length} chars)` : value;
  }
  if (value === null || typeof value !== 'object') return value;
  if (depth >= 3) return '[…]';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((item) => summarizeInput(item, depth + 1));
    return value.length > MAX_ITEMS ? [...items, `… (${value.length} items)`] : items;
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>))
    out[key] = summarizeInput(item, depth + 1);
  return out;
}

export function summarizeResult(text: string): string {
  return text.length > MAX_RESULT ? `${text.slice(0, MAX_RESULT)}… (${text.length} chars)` : text;
}
