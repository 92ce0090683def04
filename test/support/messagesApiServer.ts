/**
 * A local HTTP server that speaks the Anthropic Messages API for real (JSON and SSE), scripted
 * per request, with injectable faults. Tests point the real @anthropic-ai/sdk at `url`.
 *
 *   const api = await startMessagesApiServer(sequence(fault.overloaded(), reply.text('hi')));
 *   const client = new Anthropic({ apiKey: 'test-key', baseURL: api.url, maxRetries: 1 });
 *   …
 *   await api.close();
 */
import {
  startScriptedModelServer,
  parsed,
  type ScriptedModelServer,
  type ScriptedServerOptions,
} from './modelApi/scriptedServer';
import { httpErrorFor, sendHttpError, sendJsonReply, sendStreamReply, type Exchange } from './messagesApi/responders';
import { CacheLedger } from './messagesApi/usageModel';
import { apiKeyOf } from './messagesApi/builders';
import type { RecordedRequest, Script } from './messagesApi/types';

export * from './messagesApi/types';
export * from './messagesApi/builders';
export { tokensForChars } from './messagesApi/usageModel';

/** `url` is the base URL for the SDK's `baseURL` (no trailing slash, no /v1). */
export type MessagesApiServer = ScriptedModelServer;

/** `apiKey` is checked against x-api-key or Bearer (a 401 authentication_error); a prompt over `contextWindow` gets the API's 400 "prompt is too long: N tokens > W maximum". */
export type ServerOptions = ScriptedServerOptions;

export async function startMessagesApiServer(script: Script, options: ServerOptions = {}): Promise<MessagesApiServer> {
  const ledger = new CacheLedger();
  let toolIds = 0;
  const badRequest = (res: Exchange['res'], requestId: string, message: string) =>
    sendHttpError(res, requestId, { status: 400, type: 'invalid_request_error', message });

  return startScriptedModelServer<RecordedRequest, Exchange>(script, {
    idPrefix: 'req_test',
    urlPath: '',
    receive({ req, res, gone, raw, path, requestId, record }) {
      if (req.method !== 'POST' || path !== '/v1/messages') {
        return sendHttpError(res, requestId, {
          status: 404,
          type: 'not_found_error',
          message: `Not found: ${req.method} ${req.url}`,
        });
      }
      const body = parsed<RecordedRequest['body']>(raw);
      if (!body) return badRequest(res, requestId, 'request body is not valid JSON');
      const recorded = record<RecordedRequest>({ path, body, stream: body.stream === true });
      if (options.apiKey !== undefined && apiKeyOf(recorded) !== options.apiKey)
        return sendHttpError(res, requestId, httpErrorFor({ kind: 'auth' }));
      if (options.contextWindow !== undefined) {
        const { input_tokens, cache_creation_input_tokens, cache_read_input_tokens } = ledger.account(
          body,
          false,
        ).usage;
        const prompt = input_tokens + cache_creation_input_tokens + cache_read_input_tokens;
        if (prompt > options.contextWindow)
          return badRequest(res, requestId, `prompt is too long: ${prompt} tokens > ${options.contextWindow} maximum`);
      }
      const exchange: Exchange = {
        res,
        gone,
        stream: recorded.stream,
        model: String(body.model),
        requestId,
        inputUsage: { input_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
        nextToolId: () => `toolu_test${String(++toolIds).padStart(6, '0')}`,
      };
      return {
        recorded,
        exchange,
        // A reply's cache writes are read by other requests once its response has begun, as on the real API.
        replying: () => {
          const accounted = ledger.account(body, true);
          exchange.inputUsage = accounted.usage;
          return accounted.responseStarted;
        },
        interrupting: () => {
          exchange.inputUsage = ledger.account(body, false).usage;
        },
      };
    },
    json: sendJsonReply,
    stream: sendStreamReply,
    fault: (ex, fault) => sendHttpError(ex.res, ex.requestId, httpErrorFor(fault)),
    badRequest,
  });
}
