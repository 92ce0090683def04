/** How OpenAI's two APIs (Chat Completions, Responses) take a request's body, in their test servers alike. */
import type { RecordedRequest } from '../messagesApi/types';
import { parsed, type Arrival } from '../modelApi/scriptedServer';
import { sendBadRequest } from './responders';
import type { PrefixCache } from './prefixCache';

export interface OpenAiRequest<W, R> {
  wire: W;
  recorded: R;
  accounted: ReturnType<PrefixCache['account']>;
}

/**
 * The body parsed, recorded in the Messages API's shape (`wire` kept as sent) and priced by the
 * prefix cache; or, answered with OpenAI's 400, a body that is not JSON or a prompt over the
 * context window (`tooLong` words it).
 */
export function takeOpenAiBody<W extends { stream?: boolean }, R extends RecordedRequest & { wire: W }>(
  arrival: Arrival,
  canonicalBody: (wire: W) => RecordedRequest['body'],
  cache: PrefixCache,
  contextWindow: number | undefined,
  tooLong: (promptTokens: number) => string,
): OpenAiRequest<W, R> | undefined {
  const { res, requestId, raw, path } = arrival;
  const wire = parsed<W>(raw);
  if (!wire) return void sendBadRequest(res, requestId, 'We could not parse the JSON body of your request.');
  const body = canonicalBody(wire);
  const recorded = arrival.record<R>({ path, body, stream: wire.stream === true, wire } as Omit<
    R,
    'index' | 'method' | 'headers' | 'time'
  >);
  const accounted = cache.account(body);
  if (contextWindow !== undefined && accounted.promptTokens > contextWindow) {
    return void sendBadRequest(res, requestId, tooLong(accounted.promptTokens), 'context_length_exceeded');
  }
  return { wire, recorded, accounted };
}
