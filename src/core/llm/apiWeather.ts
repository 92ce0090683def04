/**
 * API weather (docs/pipeline.md): overload (529), rate limits (429), 5xx and dropped connections come
 * in bursts of seconds to minutes, and a run is dozens of calls long. So a call that fails
 * that way is tried again, with exponential backoff and jitter, `retry-after` honoured, for up
 * to `limits.apiRetryWindowSec` from its first failure; only then does its error surface (and
 * the run stop, resumably). Every wait is announced (`llm.waiting`) and ends early on cancel.
 * A failed call costs nothing: only the reply that finally comes back is counted.
 * Provider-neutral: providers map their errors to LlmError kinds (llmError.ts) and keep their
 * SDK's own retries off.
 */
import type { ApiWeatherKind, EventSink } from '../events';
import { cancelledError, isTransient, LlmError } from './llmError';
import type { ModelClient, ModelReply, ModelRequest } from './types';

export interface ApiWeatherOptions {
  /** Whose calls these are (events name it). */
  agent: string;
  /** limits.apiRetryWindowSec, in ms: how long one call's failures are waited out. 0: never. */
  windowMs: number;
  emit: EventSink;
  /** First backoff when the API gives no retry-after; doubles up to `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
  now?: () => number;
}

export const BASE_DELAY_MS = 1000;
export const MAX_DELAY_MS = 60_000;

const LABELS: Record<ApiWeatherKind, string> = {
  overloaded: 'overloaded',
  'rate-limit': 'rate limited',
  server: 'server error',
  network: 'connection failed',
};

/** "overloaded (529)", "connection failed". */
export function weatherReason(error: LlmError): string {
  const label = LABELS[error.kind as ApiWeatherKind] ?? error.kind;
  return error.status ? `${label} (${error.status})` : label;
}

/** The wait before retry `attempt` (1-based): the API's retry-after plus a little jitter, else exponential backoff with equal jitter. */
export function retryDelayMs(
  error: LlmError,
  attempt: number,
  options: Pick<ApiWeatherOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'> = {},
): number {
  const random = options.random ?? Math.random;
  const retryAfter = error.details.retryAfterMs;
  // Parallel agents told the same retry-after should not all come back in the same millisecond.
  if (retryAfter !== undefined) return Math.round(retryAfter + random() * Math.min(1000, retryAfter * 0.1));
  const ceiling = Math.min(
    options.maxDelayMs ?? MAX_DELAY_MS,
    (options.baseDelayMs ?? BASE_DELAY_MS) * 2 ** (attempt - 1),
  );
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Resolves after `ms`, or rejects with a cancelled LlmError as soon as the signal fires. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelledError());
    const cancel = (): void => {
      clearTimeout(timer);
      reject(cancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', cancel);
      resolve();
    }, ms);
    signal?.addEventListener('abort', cancel, { once: true });
  });
}

const seconds = (ms: number): string =>
  ms >= 120_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`;

/** The error a call ends with once the window is used up: the last failure, saying how long it was waited out. */
function windowExhausted(
  error: LlmError,
  options: { waitedMs: number; attempts: number; windowMs: number; retryAfterBeyond: boolean },
): LlmError {
  const how = options.retryAfterBeyond
    ? `the API asked to wait ${seconds(error.details.retryAfterMs ?? 0)}, beyond what is left of limits.apiRetryWindowSec (${Math.round(options.windowMs / 1000)} s)`
    : `still failing after ${seconds(options.waitedMs)} and ${options.attempts} attempts (limits.apiRetryWindowSec: ${Math.round(options.windowMs / 1000)})`;
  return new LlmError(error.kind, `${weatherReason(error)}: ${how}. ${error.message}`, {
    ...error.details,
    weatherExhausted: true,
    cause: error,
  });
}

/** `client` with API weather waited out, for one agent. */
export function withApiWeather(client: ModelClient, options: ApiWeatherOptions): ModelClient {
  const now = options.now ?? Date.now;
  return {
    ...(client.contextWindow ? { contextWindow: (model: string) => client.contextWindow?.(model) } : {}),
    async send(request: ModelRequest): Promise<ModelReply> {
      const { signal } = request;
      // A retried call may begin its response again; the caller hears of it once.
      let began = false;
      const once: ModelRequest = request.onResponseStart
        ? { ...request, onResponseStart: () => (began ? undefined : ((began = true), request.onResponseStart?.())) }
        : request;
      let firstFailure: number | undefined;
      let attempts = 0;
      for (;;) {
        try {
          const reply = await client.send(once);
          if (attempts > 0)
            options.emit({
              type: 'llm.recovered',
              agent: options.agent,
              model: request.model,
              attempts: attempts + 1,
              waitedMs: now() - (firstFailure ?? now()),
            });
          return reply;
        } catch (error) {
          if (signal?.aborted) throw cancelledError(error);
          if (!isTransient(error)) throw error;
          attempts++;
          firstFailure ??= now();
          const waitedMs = now() - firstFailure;
          const leftMs = options.windowMs - waitedMs;
          const delayMs = retryDelayMs(error, attempts, options);
          const retryAfterBeyond = error.details.retryAfterMs !== undefined && error.details.retryAfterMs > leftMs;
          if (leftMs <= 0 || retryAfterBeyond)
            throw windowExhausted(error, { waitedMs, attempts, windowMs: options.windowMs, retryAfterBeyond });
          // The last try comes when the window closes, not a backoff step after it.
          const retryInMs = Math.min(delayMs, leftMs);
          options.emit({
            type: 'llm.waiting',
            agent: options.agent,
            model: request.model,
            kind: error.kind as ApiWeatherKind,
            reason: weatherReason(error),
            attempt: attempts,
            retryInMs,
            windowLeftMs: leftMs,
          });
          await pause(retryInMs, signal);
        }
      }
    },
  };
}
