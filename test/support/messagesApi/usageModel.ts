import { createHash } from 'node:crypto';
import type { RecordedRequest, ScriptBlock } from './types';

/** Roughly four characters per token: plausible and, above all, deterministic. */
export const tokensForChars = (chars: number): number => Math.ceil(chars / 4);

export interface InputUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

export interface PromptUnit {
  json: string;
  breakpoint: boolean;
}

const hasBreakpoint = (value: unknown): boolean =>
  typeof value === 'object' &&
  value !== null &&
  'cache_control' in value &&
  (value as { cache_control?: unknown }).cache_control != null;

function withoutCacheControl(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const { cache_control: _ignored, ...rest } = value as Record<string, unknown>;
  return rest;
}

/** The prompt in cache order (tools → system → messages), one unit per block. */
export function promptUnits(body: RecordedRequest['body']): PromptUnit[] {
  const units: PromptUnit[] = [];
  const push = (value: unknown, prefix = ''): void => {
    units.push({ json: prefix + JSON.stringify(withoutCacheControl(value)), breakpoint: hasBreakpoint(value) });
  };
  for (const tool of body.tools ?? []) push(tool);
  const system: unknown = body.system;
  if (typeof system === 'string') push({ type: 'text', text: system });
  else if (Array.isArray(system)) system.forEach((b) => push(b));
  for (const message of body.messages ?? []) {
    // A string is the same prompt as one text block, as far as the cache is concerned.
    if (typeof message.content === 'string') push({ type: 'text', text: message.content }, `${message.role}:`);
    else message.content.forEach((b) => push(b, `${message.role}:`));
  }
  return units;
}

/** One request's input usage, and how its cache writes become readable by later requests. */
export interface Accounted {
  usage: InputUsage;
  /**
   * The response has begun (a stream's message_start, a JSON reply's body): from now on the
   * prefixes this request wrote are read by requests that arrive later. Idempotent; never
   * called for a request whose response never begins, so its writes are never readable.
   */
  responseStarted(): void;
}

/**
 * Models the prompt cache: a request's prefix up to its last breakpoint is written unless an
 * earlier request's cache entry already holds it; the request reads the longest prefix that
 * a readable entry holds at any of its breakpoints (like the API's look-back). As on the
 * real API, an entry becomes readable only once the response of the request that wrote it
 * has begun: two requests with the same new prefix sent before either response starts
 * both write it. Lookups happen when a request arrives. No minimum cacheable length, no
 * expiry. Deterministic for a given order of arrivals and response starts.
 */
export class CacheLedger {
  private readonly readable = new Set<string>();

  /**
   * Usage of one request's input. With `write` false (a failure the test server scripts)
   * the request writes nothing, even once its response has begun, so a retried fault leaves
   * usage as it was.
   */
  account(body: RecordedRequest['body'], write: boolean): Accounted {
    const units = promptUnits(body);
    let hash = createHash('sha256').update(String(body.model)).digest('hex');
    let chars = 0;
    const boundaries: { hash: string; chars: number; breakpoint: boolean }[] = [];
    for (const unit of units) {
      hash = createHash('sha256').update(hash).update(unit.json).digest('hex');
      chars += unit.json.length;
      boundaries.push({ hash, chars, breakpoint: unit.breakpoint });
    }
    const total = tokensForChars(chars);
    const lastBreakpoint = boundaries.map((b) => b.breakpoint).lastIndexOf(true);
    const nothing = (): void => {};
    if (lastBreakpoint < 0)
      return {
        usage: { input_tokens: total, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
        responseStarted: nothing,
      };

    let read = 0;
    for (let i = lastBreakpoint; i >= 0; i--) {
      const boundary = boundaries[i]!;
      if (this.readable.has(boundary.hash)) {
        read = tokensForChars(boundary.chars);
        break;
      }
    }
    const cachedPrefix = tokensForChars(boundaries[lastBreakpoint]!.chars);
    const written = write ? boundaries.filter((b) => b.breakpoint).map((b) => b.hash) : [];
    return {
      usage: {
        input_tokens: total - cachedPrefix,
        cache_creation_input_tokens: cachedPrefix - read,
        cache_read_input_tokens: read,
      },
      responseStarted: () => {
        for (const h of written) this.readable.add(h);
      },
    };
  }
}

export function outputTokensFor(content: ScriptBlock[]): number {
  const chars = content.reduce((n, b) => n + (b.type === 'text' ? b.text.length : JSON.stringify(b.input).length), 0);
  return Math.max(1, tokensForChars(chars));
}
