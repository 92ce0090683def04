/**
 * `POST /webhooks/twilio/whatsapp`: a WhatsApp message through Twilio becomes a task (source
 * `whatsapp`, the sender as requester, its MessageSid as the delivery id: Twilio's retries are
 * stored once). `X-Twilio-Signature` is checked with Twilio's algorithm (its docs, "Validating
 * requests"): base64 of HMAC-SHA1, keyed with TWILIO_AUTH_TOKEN, over the URL Twilio posted to
 * followed by every form parameter's name and value, sorted by name. The URL is the one the
 * request reached (scheme, Host and path as received), or `serve.publicUrl` + path behind a proxy.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { QueueService } from '../core/queue';
import { HttpError, readBody, SECURITY_HEADERS } from './httpKit';

export const TWILIO_AUTH_TOKEN_ENV = 'TWILIO_AUTH_TOKEN';
/** A WhatsApp message is at most 4,096 characters; its form post with Twilio's other fields stays well under this. */
export const TWILIO_BODY_BYTES = 64 * 1024;
const TITLE_CHARS = 80;

export function twilioSignature(
  authToken: string,
  url: string,
  params: URLSearchParams | Record<string, string>,
): string {
  const entries = params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params);
  // By name, then (a repeated name) by value, as Twilio's own validators sort.
  entries.sort(([a, va], [b, vb]) => (a < b ? -1 : a > b ? 1 : va < vb ? -1 : va > vb ? 1 : 0));
  const data = url + entries.map(([name, value]) => name + value).join('');
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

export function twilioSignatureMatches(
  authToken: string,
  url: string,
  params: URLSearchParams,
  header: string,
): boolean {
  const expected = Buffer.from(twilioSignature(authToken, url, params));
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function whatsappWebhook(
  queue: QueueService,
  authToken: string | undefined,
  publicUrl: string | undefined,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (!authToken) throw new HttpError(503, `this server takes no WhatsApp messages: set ${TWILIO_AUTH_TOKEN_ENV}`);
  const signature = req.headers['x-twilio-signature'];
  if (typeof signature !== 'string' || signature === '')
    throw new HttpError(401, 'unsigned: Twilio signs its requests in X-Twilio-Signature');
  const params = new URLSearchParams((await readBody(req, TWILIO_BODY_BYTES)).toString('utf8'));
  const url = publicUrl ? new URL(req.url ?? '/', publicUrl).href : `http://${req.headers.host}${req.url ?? '/'}`;
  if (!twilioSignatureMatches(authToken, url, params, signature))
    throw new HttpError(403, 'the Twilio signature does not match this request');
  const sid = params.get('MessageSid') ?? params.get('SmsMessageSid');
  const from = params.get('From');
  const text = (params.get('Body') ?? '').trim();
  if (!sid || !from) throw new HttpError(400, 'a WhatsApp message needs MessageSid and From');
  const firstLine = text.split('\n')[0]!.trim();
  const title =
    firstLine === ''
      ? `WhatsApp message from ${from}`
      : firstLine.length > TITLE_CHARS
        ? `${firstLine.slice(0, TITLE_CHARS - 1)}…`
        : firstLine;
  await queue.createDeliveredTask(`twilio:${sid}`, { title, description: text, requester: from }, 'whatsapp');
  // Empty TwiML: no automatic answer (replies go out through the Messages API when someone decides or writes).
  res
    .writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/xml; charset=utf-8' })
    .end('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
}
