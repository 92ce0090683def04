/**
 * A local HTTP server that speaks OpenAI's Responses API for real (POST /v1/responses: JSON, and
 * SSE with the semantic events Codex reads: response.created, output_item.added, output_text and
 * function-call-argument deltas, custom tool input deltas, response.completed with usage), scripted
 * per request with the same scripts and faults as the other model servers (429 with retry-after,
 * 500, 503, a dropped connection mid-stream, response.failed in a 200 stream, slow replies).
 * Tests point the real Codex CLI (`model_providers.<id>.base_url`) or the `openai` package at
 * `url` (…/v1). Requests are recorded in the Messages API's shape (responsesApi/canonical.ts), so
 * the same assertions and scripted agents serve every provider; `wire` keeps the body as sent.
 * A scripted tool_use whose name the request declared as a `custom` tool (Codex's apply_patch)
 * goes out as a custom_tool_call with the input string as given.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { canonicalBody, customToolNames, type ResponsesBody } from './responsesApi/canonical';
import { sendResponsesJson, sendResponsesStream, type ResponsesExchange } from './responsesApi/responders';
import { PrefixCache } from './chatCompletions/prefixCache';
import { chatErrorFor, sendChatError } from './chatCompletions/responders';
import { pause } from './messagesApi/responders';
import type { RecordedRequest, Script, Scripted } from './messagesApi/types';
import { flatHeaders, readBody, startScriptedHttp } from './scriptedHttp';

export interface ResponsesRecordedRequest extends RecordedRequest {
  /** The Responses body exactly as the client sent it. */
  wire: ResponsesBody;
}

export interface ResponsesApiServer {
  /** Base URL ending in /v1 (a Codex provider's `base_url`, the openai package's `baseURL`). */
  url: string;
  requests: ResponsesRecordedRequest[];
  /** Requests to any other path (method and path), answered 404: what else a client tried. */
  strays: string[];
  scriptErrors: Error[];
  idle(): Promise<void>;
  close(): Promise<void>;
}

export interface ResponsesServerOptions {
  /** When set, any other bearer token gets a 401 without consulting the script. */
  apiKey?: string;
  /** A request whose prompt is longer gets 400 context_length_exceeded. */
  contextWindow?: number;
}

export async function startResponsesApiServer(script: Script, options: ResponsesServerOptions = {}): Promise<ResponsesApiServer> {
  const requests: ResponsesRecordedRequest[] = [];
  const strays: string[] = [];
  const cache = new PrefixCache();
  let ids = 0;
  let served = 0;

  async function answer(req: IncomingMessage, res: ServerResponse, gone: AbortSignal): Promise<void> {
    const requestId = `req_resp${String(served++).padStart(6, '0')}`;
    const path = (req.url ?? '').split('?')[0];
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const raw = await readBody(req);
    if (req.method !== 'POST' || path !== '/v1/responses') {
      strays.push(`${req.method} ${path}`);
      return sendChatError(res, requestId, { status: 404, type: 'invalid_request_error', message: `Not found: ${req.method} ${path}` });
    }
    if (options.apiKey !== undefined && bearer !== options.apiKey) return sendChatError(res, requestId, chatErrorFor({ kind: 'auth' }));
    let wire: ResponsesBody;
    try {
      wire = JSON.parse(raw) as ResponsesBody;
    } catch {
      return sendChatError(res, requestId, { status: 400, type: 'invalid_request_error', message: 'We could not parse the JSON body of your request.' });
    }
    const index = requests.length;
    const body = canonicalBody(wire);
    const recorded: ResponsesRecordedRequest = { index, method: 'POST', path, headers: flatHeaders(req), body, stream: wire.stream === true, time: Date.now(), wire };
    requests.push(recorded);

    const accounted = cache.account(body);
    if (options.contextWindow !== undefined && accounted.promptTokens > options.contextWindow) {
      return sendChatError(res, requestId, {
        status: 400,
        type: 'invalid_request_error',
        code: 'context_length_exceeded',
        message: `Your input exceeds the context window of this model. Please adjust your input and try again.`,
      });
    }
    const ex: ResponsesExchange = {
      res,
      gone,
      stream: recorded.stream,
      model: wire.model,
      requestId,
      promptTokens: accounted.promptTokens,
      cachedTokens: accounted.cachedTokens,
      customTools: customToolNames(wire),
      nextId: (prefix) => `${prefix}_test${String(++ids).padStart(6, '0')}`,
    };
    let scripted: Scripted;
    try {
      scripted = await script(recorded, index);
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      http.scriptErrors.push(err);
      return sendChatError(res, requestId, { status: 400, type: 'invalid_request_error', message: `test script error: ${err.message}` });
    }
    await respond(ex, scripted, accounted.responseStarted);
  }

  async function respond(ex: ResponsesExchange, scripted: Scripted, cacheWrite: () => void): Promise<void> {
    switch (scripted.kind) {
      case 'reply':
        // Only a reply fills the cache, so a retried failure leaves usage as it was.
        ex.responseStarted = cacheWrite;
        return ex.stream ? sendResponsesStream(ex, scripted) : sendResponsesJson(ex, scripted);
      case 'drop':
        if (!ex.stream) return void ex.res.socket?.destroy();
        return sendResponsesStream(ex, scripted.reply, { afterContentEvents: scripted.afterContentEvents, how: 'drop' });
      case 'stream-error':
        if (!ex.stream) return sendChatError(ex.res, ex.requestId, chatErrorFor({ kind: scripted.errorType === 'overloaded_error' ? 'overloaded' : 'server-error' }));
        return sendResponsesStream(ex, scripted.reply, { afterContentEvents: scripted.afterContentEvents, how: scripted.errorType });
      default:
        if (!(await pause(scripted.beforeMs, ex.gone))) return;
        return sendChatError(ex.res, ex.requestId, chatErrorFor(scripted));
    }
  }

  const http = await startScriptedHttp(answer, (res, message) => sendChatError(res, 'req_resp_failure', { status: 400, type: 'invalid_request_error', message }));
  return { url: `${http.origin}/v1`, requests, strays, scriptErrors: http.scriptErrors, idle: http.idle, close: http.close };
}
