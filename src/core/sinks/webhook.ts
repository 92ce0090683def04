/**
 * POSTs one CloudEvent (structured mode, `application/cloudevents+json`) to the configured
 * webhook, signed with HMAC-SHA256 over the exact body: `X-Orchestrator-Signature-256:
 * sha256=<hex>` (verify it with the same secret before trusting the body). Network errors,
 * timeouts, 408, 429 (its `retry-after` honoured) and 5xx are retried with exponential backoff
 * and jitter; any other status is the endpoint's answer and is not retried now. The secret
 * and the URL's credentials never appear in what this returns.
 */
import { createHmac } from 'node:crypto';
import type { CloudEvent } from './vocabulary';

export interface WebhookTarget {
  url: string;
  secret?: string;
}

export interface DeliveryOptions {
  attempts?: number;
  baseDelayMs?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export type DeliveryResult = { ok: true; attempts: number } | { ok: false; attempts: number; error: string };

export const SIGNATURE_HEADER = 'x-orchestrator-signature-256';

export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export async function deliver(
  target: WebhookTarget,
  event: CloudEvent,
  options: DeliveryOptions = {},
): Promise<DeliveryResult> {
  const attempts = options.attempts ?? 4;
  const body = JSON.stringify(event);
  const headers: Record<string, string> = {
    'content-type': 'application/cloudevents+json; charset=utf-8',
    'x-orchestrator-event': event.type,
    'x-orchestrator-delivery': event.id,
  };
  if (target.secret) headers[SIGNATURE_HEADER] = signature(target.secret, body);
  let error = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let retryAfterMs: number | undefined;
    try {
      const timeout = AbortSignal.timeout(options.timeoutMs ?? 10_000);
      const response = await fetch(target.url, {
        method: 'POST',
        headers,
        body,
        signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
        redirect: 'error',
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return { ok: true, attempts: attempt };
      error = `HTTP ${response.status}`;
      if (!retryable(response.status)) return { ok: false, attempts: attempt, error };
      const after = Number(response.headers.get('retry-after'));
      if (Number.isFinite(after) && after > 0) retryAfterMs = Math.min(after, 30) * 1000;
    } catch (caught) {
      if (options.signal?.aborted) return { ok: false, attempts: attempt, error: 'cancelled' };
      error = describe(caught);
    }
    if (attempt < attempts) await sleep(retryAfterMs ?? backoff(attempt, options.baseDelayMs ?? 300), options.signal);
  }
  return { ok: false, attempts, error };
}

function retryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

function backoff(attempt: number, base: number): number {
  const delay = Math.min(base * 2 ** (attempt - 1), 8000);
  return delay / 2 + Math.random() * (delay / 2);
}

/** The error's kind, never the URL (it may carry credentials). */
function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  if (cause?.code) return cause.code;
  if (error instanceof Error && error.name === 'TimeoutError') return 'timeout';
  return error instanceof Error ? error.name : 'network error';
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
