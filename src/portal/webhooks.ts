/**
 * `POST /webhooks/tasks`: a web form or chat posts a task. JSON `{title, description, requester,
 * source?}` (source `form`, the default, or `web_chat`), signed as Stripe and Slack sign theirs:
 * `X-Orchestrator-Timestamp: <Unix seconds>` and `X-Orchestrator-Signature: sha256=<hex
 * HMAC-SHA256 of "<timestamp>.<raw body>">` with ORCHESTRATOR_WEBHOOK_SECRET. A timestamp more
 * than 5 minutes old (or ahead) is refused, so a captured request cannot be replayed later under
 * a fresh delivery id; within those 5 minutes `X-Orchestrator-Delivery` stops a replay (a
 * redelivery with the same id is stored once, and ids are kept as long as their task, far longer
 * than the window). Checked over the raw bytes before anything is parsed: unsigned → 401, wrongly
 * signed or stale → 403, nothing stored either way.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { QueueService } from '../core/queue';
import { HttpError, readBody, sendJson } from './httpKit';

export const WEBHOOK_SECRET_ENV = 'ORCHESTRATOR_WEBHOOK_SECRET';
export const SIGNATURE_HEADER = 'x-orchestrator-signature';
export const DELIVERY_HEADER = 'x-orchestrator-delivery';
export const TIMESTAMP_HEADER = 'x-orchestrator-timestamp';
/** How far a delivery's timestamp may be from this server's clock, either way. */
export const TIMESTAMP_TOLERANCE_SEC = 5 * 60;
/** One task: a title, a description of at most 20,000 characters (up to 4 bytes each), a requester. */
export const WEBHOOK_BODY_BYTES = 96 * 1024;
const SOURCES = ['form', 'web_chat'];

/** The signature of a delivery: HMAC-SHA256 over `<timestamp>.<raw body>`. */
export function signBody(secret: string, timestamp: string | number, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

/** The headers a sender adds, signed now (tests, the bench, docs/portal.md's sample do the same). */
export function signedHeaders(secret: string, body: Buffer | string, now = Date.now()): Record<string, string> {
  const timestamp = String(Math.floor(now / 1000));
  return { [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: signBody(secret, timestamp, body) };
}

export function signatureMatches(secret: string, timestamp: string, body: Buffer, header: string): boolean {
  const expected = Buffer.from(signBody(secret, timestamp, body));
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function taskWebhook(
  queue: QueueService,
  secret: string | undefined,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (!secret) throw new HttpError(503, `this server takes no task webhooks: set ${WEBHOOK_SECRET_ENV}`);
  const signature = req.headers[SIGNATURE_HEADER];
  const timestamp = req.headers[TIMESTAMP_HEADER];
  if (typeof signature !== 'string' || signature === '' || typeof timestamp !== 'string') {
    throw new HttpError(
      401,
      `unsigned: send ${TIMESTAMP_HEADER}: <Unix seconds> and ${SIGNATURE_HEADER}: sha256=<HMAC-SHA256 of "<timestamp>.<body>">`,
    );
  }
  const body = await readBody(req, WEBHOOK_BODY_BYTES);
  if (!/^\d{1,12}$/.test(timestamp) || !signatureMatches(secret, timestamp, body, signature))
    throw new HttpError(403, 'the signature does not match the timestamp and body');
  // Checked after the signature: an attacker learns nothing about the clock without the secret.
  const skew = Math.floor(Date.now() / 1000) - Number(timestamp);
  if (Math.abs(skew) > TIMESTAMP_TOLERANCE_SEC) {
    throw new HttpError(
      403,
      `the delivery's timestamp is ${Math.abs(skew)} s ${skew > 0 ? 'old' : 'ahead'}: more than ${TIMESTAMP_TOLERANCE_SEC} s is refused (a replay, or a clock to set right)`,
    );
  }
  const delivery = req.headers[DELIVERY_HEADER];
  if (typeof delivery !== 'string' || delivery.trim() === '')
    throw new HttpError(400, `send ${DELIVERY_HEADER}: an id of this delivery (a redelivery repeats it)`);
  let input: Record<string, unknown>;
  try {
    input = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new HttpError(400, `the body is not JSON: ${(error as Error).message}`);
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new HttpError(400, 'the body must be a JSON object {title, description, requester}');
  const { source = 'form', ...task } = input;
  if (!SOURCES.includes(source as string)) throw new HttpError(400, `source must be ${SOURCES.join(' or ')}`);
  const { task: created, duplicate } = await queue.createDeliveredTask(delivery, task, source as string);
  sendJson(res, duplicate ? 200 : 201, { id: created.id, status: created.status, duplicate });
}
