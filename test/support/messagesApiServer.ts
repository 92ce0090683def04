/**
 * A local HTTP server that speaks the Anthropic Messages API for real (JSON and SSE), scripted
 * per request, with injectable faults. Tests point the real @anthropic-ai/sdk at `url`.
 *
 *   const api = await startMessagesApiServer(sequence(fault.overloaded(), reply.text('hi')));
 *   const client = new Anthropic({ apiKey: 'test-key', baseURL: api.url, maxRetries: 1 });
 *   …
 *   await api.close();
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { httpErrorFor, pause, sendHttpError, sendJsonReply, sendStreamReply, type Exchange } from './messagesApi/responders';
import { CacheLedger } from './messagesApi/usageModel';
import { apiKeyOf } from './messagesApi/builders';
import { flatHeaders, readBody, startScriptedHttp } from './scriptedHttp';
import type { RecordedRequest, Script, Scripted } from './messagesApi/types';

export * from './messagesApi/types';
export * from './messagesApi/builders';
export { tokensForChars } from './messagesApi/usageModel';

export interface MessagesApiServer {
  /** Base URL for the SDK's `baseURL` (no trailing slash, no /v1). */
  url: string;
  /** Every request received, in arrival order (SDK retries included). */
  requests: RecordedRequest[];
  /** Errors thrown by the script; each was answered with a 400 so the client stops. */
  scriptErrors: Error[];
  /** Resolves once every request received so far has been fully answered or abandoned. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export interface ServerOptions {
  /** When set, a request carrying any other key (x-api-key or Bearer) gets a 401 authentication_error without consulting the script. */
  apiKey?: string;
  /**
   * The model's context window in tokens (as the usage model counts them): a request whose
   * prompt is longer gets the API's 400 "prompt is too long: N tokens > W maximum", without
   * consulting the script.
   */
  contextWindow?: number;
}

export async function startMessagesApiServer(script: Script, options: ServerOptions = {}): Promise<MessagesApiServer> {
  const requests: RecordedRequest[] = [];
  const ledger = new CacheLedger();
  let toolIds = 0;

  async function answer(req: IncomingMessage, res: ServerResponse, gone: AbortSignal): Promise<void> {
    const raw = await readBody(req);
    const index = requests.length;
    const requestId = `req_test${String(index).padStart(6, '0')}`;
    const base: Exchange = {
      res,
      gone,
      stream: false,
      model: 'unknown',
      requestId,
      inputUsage: { input_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
      nextToolId: () => `toolu_test${String(++toolIds).padStart(6, '0')}`,
    };
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'POST' || path !== '/v1/messages') {
      return sendHttpError(base, { status: 404, type: 'not_found_error', message: `Not found: ${req.method} ${req.url}` });
    }
    let body: RecordedRequest['body'];
    try {
      body = JSON.parse(raw) as RecordedRequest['body'];
    } catch {
      return sendHttpError(base, { status: 400, type: 'invalid_request_error', message: 'request body is not valid JSON' });
    }
    const recorded: RecordedRequest = { index, method: req.method, path, headers: flatHeaders(req), body, stream: body.stream === true, time: Date.now() };
    requests.push(recorded);
    const ex: Exchange = { ...base, stream: recorded.stream, model: String(body.model) };

    if (options.apiKey !== undefined && apiKeyOf(recorded) !== options.apiKey) {
      return sendHttpError(ex, httpErrorFor({ kind: 'auth' }));
    }
    if (options.contextWindow !== undefined) {
      const { input_tokens, cache_creation_input_tokens, cache_read_input_tokens } = ledger.account(body, false).usage;
      const prompt = input_tokens + cache_creation_input_tokens + cache_read_input_tokens;
      if (prompt > options.contextWindow) {
        return sendHttpError(ex, { status: 400, type: 'invalid_request_error', message: `prompt is too long: ${prompt} tokens > ${options.contextWindow} maximum` });
      }
    }
    let scripted: Scripted;
    try {
      scripted = await script(recorded, index);
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      http.scriptErrors.push(err);
      return sendHttpError(ex, { status: 400, type: 'invalid_request_error', message: `test script error: ${err.message}` });
    }
    await respond(ex, scripted, body);
  }

  async function respond(ex: Exchange, scripted: Scripted, body: RecordedRequest['body']): Promise<void> {
    switch (scripted.kind) {
      case 'reply': {
        // Only a reply writes the cache (so a retried failure does not change usage), and what
        // it writes is read by other requests once its response has begun, as on the real API.
        const accounted = ledger.account(body, true);
        ex.inputUsage = accounted.usage;
        ex.responseStarted = accounted.responseStarted;
        return ex.stream ? sendStreamReply(ex, scripted) : sendJsonReply(ex, scripted);
      }
      case 'drop':
        ex.inputUsage = ledger.account(body, false).usage;
        if (!ex.stream) {
          ex.res.socket?.destroy();
          return;
        }
        return sendStreamReply(ex, scripted.reply, { afterContentEvents: scripted.afterContentEvents, how: 'drop' });
      case 'stream-error':
        ex.inputUsage = ledger.account(body, false).usage;
        if (!ex.stream) {
          const kind = scripted.errorType === 'overloaded_error' ? 'overloaded' : 'server-error';
          return sendHttpError(ex, httpErrorFor({ kind }));
        }
        return sendStreamReply(ex, scripted.reply, { afterContentEvents: scripted.afterContentEvents, how: scripted.errorType });
      default: {
        if (!(await pause(scripted.beforeMs, ex.gone))) return;
        return sendHttpError(ex, httpErrorFor(scripted));
      }
    }
  }

  const http = await startScriptedHttp(answer, (res, message) =>
    sendHttpError({ res, requestId: 'req_test_failure' } as Exchange, { status: 400, type: 'invalid_request_error', message }),
  );
  return { url: http.origin, requests, scriptErrors: http.scriptErrors, idle: http.idle, close: http.close };
}
