import type { Middleware } from '@anthropic-ai/sdk';
import { isSpendLimitBody } from './llmError';

/** A retry the caller may want to show or journal (`llm.retry`). */
export interface RetryInfo {
  model: string;
  /** 1 for the first retry. */
  attempt: number;
  /** Why the previous attempt failed, e.g. "529 overloaded_error". Never contains the key. */
  reason: string;
  /** 'sdk' for the SDK's HTTP retries, 'stream' for a stream that failed before any content. */
  by: 'sdk' | 'stream';
  /** The wait before this retry, when known. */
  delayMs?: number;
}

/** Statuses the SDK retries on its own (see its shouldRetry). */
const retriedBySdk = (status: number): boolean => status === 408 || status === 409 || status === 429 || status >= 500;

/**
 * Per-call SDK middleware with two jobs. It stops the SDK from retrying a spend/credit limit
 * (the API sends some of those as 429, which the SDK would otherwise retry for nothing) by
 * adding `x-should-retry: false`; and it reports each SDK retry with the previous failure.
 */
export function retryObserver(model: string, onRetry?: (info: RetryInfo) => void): Middleware {
  let lastFailure: string | undefined;
  return async (request, next, ctx) => {
    const attempt = Number(new Headers(request.headers).get('x-stainless-retry-count') ?? '0');
    if (attempt > 0 && onRetry) onRetry({ model, attempt, reason: lastFailure ?? 'previous attempt failed', by: 'sdk' });

    let response: Response;
    try {
      response = await next(request);
    } catch (error) {
      lastFailure = `connection error: ${error instanceof Error ? error.message : String(error)}`;
      throw error;
    }
    if (response.ok) return response;

    const body = await ctx.parse<{ error?: { type?: string } }>(response).catch(() => undefined);
    lastFailure = `${response.status} ${body?.error?.type ?? response.statusText}`.trim();
    if (retriedBySdk(response.status) && isSpendLimitBody(response.status, body)) {
      const headers = new Headers(response.headers);
      headers.set('x-should-retry', 'false');
      return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
    }
    return response;
  };
}
