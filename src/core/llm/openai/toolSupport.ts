/**
 * Whether a model of an OpenAI-compatible endpoint can call tools, found out before any model
 * call where the endpoint says so. Chat Completions itself has no such field; what servers do
 * publish:
 *   - a model list entry with `supported_parameters` (OpenRouter and gateways that copy it)
 *     or a `capabilities` list (LM Studio's and others' "tool_use", "tools");
 *   - Ollama's own POST /api/show beside its /v1 (`capabilities: ["completion", "tools"]`).
 * Servers that say nothing (vLLM…) are found out at the first call, which then stops unretried.
 */

/** undefined: the endpoint does not say. `source`: how it said so, for the error. */
export type ToolSupport = { tools: boolean; source: string } | undefined;

const TOOL_WORDS = new Set(['tools', 'tool_use', 'tool_calling', 'function_calling', 'functions']);

const strings = (value: unknown): string[] | undefined =>
  Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;

/** From one GET /models entry, as the server sent it. */
export function toolSupportOf(entry: object): ToolSupport {
  const fields = entry as Record<string, unknown>;
  for (const field of ['supported_parameters', 'capabilities']) {
    const listed = strings(fields[field]);
    if (listed)
      return {
        tools: listed.some((word) => TOOL_WORDS.has(word)),
        source: `its entry in GET /models lists ${field}: ${listed.join(', ') || 'none'}`,
      };
  }
  return undefined;
}

/** Ollama's native API lives beside its OpenAI-compatible one: http://host:11434/v1 → http://host:11434. */
function ollamaRoot(baseURL: string): string | undefined {
  const url = new URL(baseURL);
  if (url.protocol !== 'http:' || !/\/v1\/?$/.test(url.pathname)) return undefined;
  return `${url.origin}${url.pathname.replace(/\/v1\/?$/, '')}`;
}

const SHOW_TIMEOUT_MS = 5_000;

/**
 * Asks a local (plain http, …/v1) endpoint Ollama's POST /api/show about `model`. Anything but
 * an answer with a `capabilities` list (another server, an older Ollama, a timeout) says nothing.
 */
export async function askOllama(
  baseURL: string,
  model: string,
  apiKey: string | undefined,
  signal?: AbortSignal,
): Promise<ToolSupport> {
  const root = ollamaRoot(baseURL);
  if (!root) return undefined;
  const timeout = AbortSignal.timeout(SHOW_TIMEOUT_MS);
  try {
    const res = await fetch(`${root}/api/show`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
      body: JSON.stringify({ model }),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    if (!res.ok) return undefined;
    const capabilities = strings(((await res.json()) as Record<string, unknown> | null)?.capabilities);
    return capabilities
      ? {
          tools: capabilities.includes('tools'),
          source: `Ollama's /api/show lists its capabilities: ${capabilities.join(', ') || 'none'}`,
        }
      : undefined;
  } catch {
    return undefined;
  }
}
