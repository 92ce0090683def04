import { promptUnits, tokensForChars } from '../messagesApi/usageModel';
import type { RecordedRequest } from '../messagesApi/types';

/** OpenAI caches prompts of at least 1,024 tokens, in steps of 128. */
const MIN_CACHED = 1024;
const STEP = 128;

/**
 * Automatic prefix caching as OpenAI (and vLLM) do it: no breakpoints; a request reads the
 * longest prefix it shares with a prompt whose response has already begun, rounded down to
 * 128 tokens, from 1,024 tokens on. Counted on the canonical prompt (tools, system, messages),
 * ~4 characters a token, like the Messages-API server.
 */
export class PrefixCache {
  private readonly cached: string[] = [];

  account(body: RecordedRequest['body']): { promptTokens: number; cachedTokens: number; responseStarted(): void } {
    const prompt = `${String(body.model)}\n${promptUnits(body)
      .map((u) => u.json)
      .join('\n')}`;
    let shared = 0;
    for (const earlier of this.cached) shared = Math.max(shared, commonPrefix(earlier, prompt));
    const tokens = tokensForChars(shared);
    let written = false;
    return {
      promptTokens: tokensForChars(prompt.length),
      cachedTokens: tokens >= MIN_CACHED ? tokens - (tokens % STEP) : 0,
      responseStarted: () => {
        if (!written) this.cached.push(prompt);
        written = true;
      },
    };
  }
}

function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}
