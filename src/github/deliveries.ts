/**
 * `POST /webhooks/github` (served by `serve`, src/portal/server.ts; the logic is here). GitHub signs
 * each delivery with GITHUB_WEBHOOK_SECRET: `X-Hub-Signature-256: sha256=<HMAC-SHA256 of the raw
 * body>`, checked by @octokit/webhooks' `verify` over the raw bytes before anything is parsed
 * (unsigned 401, wrongly signed 403, nothing done either way). `X-GitHub-Delivery` is remembered
 * durably once handled: a redelivery answers 200 and does nothing twice (one serve was killed while
 * handling is handled when redelivered). Work is acknowledged at once (202) and
 * done in the background, as GitHub gives up on an answer after 10 s.
 */
import type { Webhooks } from '@octokit/webhooks';
import type { GithubChannel } from './channel';
import { HANDLED_EVENTS } from './payloads';

/** GitHub caps a payload at 25 MB; the events read here are far smaller (an issue's body is ≤ 65,536 characters). */
export const GITHUB_WEBHOOK_BODY_BYTES = 1024 * 1024;

export interface DeliveryAnswer {
  status: number;
  body: { ok?: boolean; duplicate?: boolean; ignored?: string; error?: string };
}

export type DeliveryHeaders = Record<string, string | string[] | undefined>;

/** Signatures checked by this process so far: what serve's webhook limiter lets through (tests read it). */
export const signatureChecks = { count: 0 };

const header = (headers: DeliveryHeaders, name: string): string | undefined => {
  const value = headers[name];
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
};

export async function receiveDelivery(
  verifier: Webhooks,
  channel: GithubChannel,
  headers: DeliveryHeaders,
  body: Buffer,
): Promise<DeliveryAnswer> {
  const signature = header(headers, 'x-hub-signature-256');
  if (!signature)
    return {
      status: 401,
      body: {
        error:
          "unsigned: GitHub signs its deliveries in X-Hub-Signature-256 (set the webhook's secret to GITHUB_WEBHOOK_SECRET)",
      },
    };
  const text = body.toString('utf8');
  signatureChecks.count++;
  const valid = /^sha256=[0-9a-f]{64}$/.test(signature) && (await verifier.verify(text, signature).catch(() => false));
  if (!valid) return { status: 403, body: { error: 'the signature does not match the body' } };
  const event = header(headers, 'x-github-event');
  const delivery = header(headers, 'x-github-delivery');
  if (!event || !delivery || delivery.length > 100)
    return {
      status: 400,
      body: { error: 'a delivery names its X-GitHub-Event and X-GitHub-Delivery (at most 100 characters)' },
    };
  if (!(HANDLED_EVENTS as readonly string[]).includes(event))
    return { status: 202, body: { ignored: `${event} events are not acted on` } };
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch (error) {
    return { status: 400, body: { error: `the body is not JSON: ${(error as Error).message}` } };
  }
  if (!channel.understands(event, payload))
    return { status: 400, body: { error: `the ${event} payload lacks the fields GitHub sends` } };
  if (!channel.store.firstDelivery(delivery)) return { status: 200, body: { duplicate: true } };
  channel.accept(event, payload, () => channel.store.handled(delivery));
  return { status: 202, body: { ok: true } };
}
