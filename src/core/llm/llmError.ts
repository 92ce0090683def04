/**
 * One failure of a model call, in the engine's terms. Providers map their SDK's errors to it
 * (src/core/llm/<provider>/errors.ts), so the retry policy (apiWeather.ts), the agent loop and
 * the reports treat every provider alike.
 */
export type LlmErrorKind =
  | 'auth'
  | 'spend-limit'
  | 'rate-limit'
  | 'overloaded'
  | 'network'
  | 'server'
  | 'bad-request'
  /** The prompt exceeds the model's context window ("prompt is too long"). */
  | 'context-length'
  /** The model does not exist on the endpoint. */
  | 'not-found'
  /** The model cannot do what the engine needs (tool calls). */
  | 'unsupported'
  | 'cancelled';

export interface LlmErrorDetails {
  status?: number;
  requestId?: string;
  /** The model had already streamed content when the call failed. */
  partialOutput?: boolean;
  /** The endpoint's `retry-after` (or `retry-after-ms`), when it sent one. */
  retryAfterMs?: number;
  /** For `context-length`: the prompt's size and the limit, when the error said so. */
  promptTokens?: number;
  limitTokens?: number;
  /** API weather was waited out for the whole `limits.apiRetryWindowSec` (apiWeather.ts). */
  weatherExhausted?: boolean;
  cause?: unknown;
}

/** Its message never contains an API key (providers redact before building it). */
export class LlmError extends Error {
  constructor(
    readonly kind: LlmErrorKind,
    message: string,
    readonly details: LlmErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'LlmError';
  }

  get status(): number | undefined {
    return this.details.status;
  }

  /** True when the model had already streamed content when the call failed. */
  get partialOutput(): boolean {
    return this.details.partialOutput === true;
  }
}

/**
 * An LlmError thrown by code in another bundle (dist/openai.js carries its own copy of this
 * class) fails `instanceof`; this rebuilds it as one of ours. Anything else passes unchanged.
 */
export function sameRealm(error: unknown): unknown {
  if (error instanceof LlmError || !(error instanceof Error) || error.name !== 'LlmError') return error;
  const { kind, details } = error as Error & { kind: LlmErrorKind; details?: LlmErrorDetails };
  return new LlmError(kind, error.message, details ?? {});
}

/** API weather: failures that pass if waited out (docs/pipeline.md "API weather"). */
const TRANSIENT: ReadonlySet<LlmErrorKind> = new Set(['rate-limit', 'overloaded', 'server', 'network']);

export const isTransient = (error: unknown): error is LlmError =>
  error instanceof LlmError && TRANSIENT.has(error.kind);

export const cancelledError = (cause?: unknown): LlmError =>
  new LlmError('cancelled', 'The model call was cancelled.', cause === undefined ? {} : { cause });

export function redact(text: string, secret: string | undefined): string {
  return secret && secret.length >= 4 ? text.split(secret).join('[redacted]') : text;
}

/** `retry-after-ms` (milliseconds) or `retry-after` (seconds or an HTTP date), as sent by Anthropic and OpenAI. */
export function retryAfterMs(
  headers: { get(name: string): string | null } | undefined,
  now = Date.now(),
): number | undefined {
  if (!headers) return undefined;
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number.parseFloat(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/** Sizes a "prompt is too long" message gives, e.g. "210000 tokens > 200000 maximum" or "maximum context length is 8192 tokens… resulted in 9000 tokens". */
export function contextSizes(message: string): { promptTokens?: number; limitTokens?: number } {
  const anthropic = /(\d[\d,]*)\s*tokens?\s*>\s*(\d[\d,]*)/i.exec(message);
  if (anthropic) return { promptTokens: toInt(anthropic[1]), limitTokens: toInt(anthropic[2]) };
  const limit = /maximum context length is\s*(\d[\d,]*)/i.exec(message)?.[1];
  const prompt = /(?:resulted in|requested|you requested)\s*(\d[\d,]*)\s*tokens/i.exec(message)?.[1];
  return { ...(limit ? { limitTokens: toInt(limit) } : {}), ...(prompt ? { promptTokens: toInt(prompt) } : {}) };
}

const toInt = (digits: string | undefined): number | undefined =>
  digits ? Number.parseInt(digits.replace(/,/g, ''), 10) : undefined;

/** Messages by which endpoints say the prompt does not fit the context window. */
export const CONTEXT_LENGTH_MESSAGE =
  /prompt is too long|context length|context window|maximum context|too many tokens|context_length_exceeded/i;
