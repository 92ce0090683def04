/**
 * `POST /webhooks/tasks`: a web form or chat posts a task. JSON `{title, description, requester,
 * source?}` (source `form`, the default, or `web_chat`), signed as GitHub signs its webhooks:
 * `X-Orchestrator-Signature: sha256=<hex HMAC-SHA256 of the raw body>` with
 * ORCHESTRATOR_WEBHOOK_SECRET; `X-Orchestrator-Delivery` names the delivery, and a redelivery
 * with the same id is stored once. The signature is checked over the raw bytes before anything
 * is parsed: unsigned → 401, wrongly signed → 403, nothing stored either way.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { QueueService } from '../core/queue/queueService';
import { HttpError, readBody, sendJson } from './httpKit';

export const WEBHOOK_SECRET_ENV = 'ORCHESTRATOR_WEBHOOK_SECRET';
export const SIGNATURE_HEADER = 'x-orchestrator-signature';
export const DELIVERY_HEADER = 'x-orchestrator-delivery';
/** One task: a title, a description of at most 20,000 characters (up to 4 bytes each), a requester. */
export const WEBHOOK_BODY_BYTES = 96 * 1024;
const SOURCES = ['form', 'web_chat'];

export function signBody(secret: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function signatureMatches(secret: string, body: Buffer, header: string): boolean {
  const expected = Buffer.from(signBody(secret, body));
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function taskWebhook(queue: QueueService, secret: string | undefined, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!secret) throw new HttpError(503, `this server takes no task webhooks: set ${WEBHOOK_SECRET_ENV}`);
  const signature = req.headers[SIGNATURE_HEADER];
  if (typeof signature !== 'string' || signature === '') throw new HttpError(401, `unsigned: send ${SIGNATURE_HEADER}: sha256=<HMAC-SHA256 of the body>`);
  const body = await readBody(req, WEBHOOK_BODY_BYTES);
  if (!signatureMatches(secret, body, signature)) throw new HttpError(403, 'the signature does not match the body');
  const delivery = req.headers[DELIVERY_HEADER];
  if (typeof delivery !== 'string' || delivery.trim() === '') throw new HttpError(400, `send ${DELIVERY_HEADER}: an id of this delivery (a redelivery repeats it)`);
  let input: Record<string, unknown>;
  try {
    input = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new HttpError(400, `the body is not JSON: ${(error as Error).message}`);
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new HttpError(400, 'the body must be a JSON object {title, description, requester}');
  const { source = 'form', ...task } = input;
  if (!SOURCES.includes(source as string)) throw new HttpError(400, `source must be ${SOURCES.join(' or ')}`);
  const { task: created, duplicate } = await queue.createDeliveredTask(delivery, task, source as string);
  sendJson(res, duplicate ? 200 : 201, { id: created.id, status: created.status, duplicate });
}
