import { createHash } from 'node:crypto';
import type { RecordedRequest, ScriptBlock } from './types';

/** Roughly four characters per token: plausible and, above all, deterministic. */
export const tokensForChars = (chars: number): number => Math.ceil(chars / 4);

export interface InputUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

interface PromptUnit {
  json: string;
  breakpoint: boolean;
}

const hasBreakpoint = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && 'cache_control' in value && (value as { cache_control?: unknown }).cache_control != null;

function withoutCacheControl(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const { cache_control: _ignored, ...rest } = value as Record<string, unknown>;
  return rest;
}

/** The prompt in cache order (tools → system → messages), one unit per block. */
function promptUnits(body: RecordedRequest['body']): PromptUnit[] {
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

/**
 * Models the prompt cache: a request's prefix up to its last breakpoint is written on first
 * sight; later requests read the longest prefix that an earlier request wrote at any of its
 * breakpoints (like the API's look-back). No minimum cacheable length, no expiry.
 */
export class CacheLedger {
  private readonly written = new Set<string>();

  /** Usage of one request's input; `write` records its breakpoints as cached. */
  account(body: RecordedRequest['body'], write: boolean): InputUsage {
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
    if (lastBreakpoint < 0) return { input_tokens: total, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };

    let read = 0;
    for (let i = lastBreakpoint; i >= 0; i--) {
      const boundary = boundaries[i]!;
      if (this.written.has(boundary.hash)) {
        read = tokensForChars(boundary.chars);
        break;
      }
    }
    const cachedPrefix = tokensForChars(boundaries[lastBreakpoint]!.chars);
    if (write) for (const b of boundaries) if (b.breakpoint) this.written.add(b.hash);
    return {
      input_tokens: total - cachedPrefix,
      cache_creation_input_tokens: cachedPrefix - read,
      cache_read_input_tokens: read,
    };
  }
}

export function outputTokensFor(content: ScriptBlock[]): number {
  const chars = content.reduce((n, b) => n + (b.type === 'text' ? b.text.length : JSON.stringify(b.input).length), 0);
  return Math.max(1, tokensForChars(chars));
}
