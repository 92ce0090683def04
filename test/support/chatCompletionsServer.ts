/**
 * A local HTTP server that speaks OpenAI's Chat Completions for real (JSON, and SSE with
 * tool calls streamed as deltas and the usage chunk of `stream_options.include_usage`), plus
 * GET /v1/models (and Ollama's POST /api/show when asked), scripted per request with the same scripts and faults as the Messages-API
 * server (messagesApiServer.ts): 429 with retry-after, 500, 503, a dropped connection
 * mid-stream, an error chunk in a 200 stream, slow replies. Tests point the real `openai`
 * package at `url` (…/v1). Requests are recorded in the Messages API's shape (canonical.ts), so
 * the same assertions and scripted agents serve both providers; `wire` keeps the body as sent.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { canonicalBody, type ChatBody } from './chatCompletions/canonical';
import { PrefixCache } from './chatCompletions/prefixCache';
import { chatErrorFor, sendChatError, sendChatJson, sendChatStream, type ChatExchange } from './chatCompletions/responders';
import { pause } from './messagesApi/responders';
import type { RecordedRequest, Script, Scripted } from './messagesApi/types';
import { flatHeaders, readBody, startScriptedHttp } from './scriptedHttp';

export interface ChatRecordedRequest extends RecordedRequest {
  /** The Chat Completions body exactly as the client sent it. */
  wire: ChatBody;
}

export interface ChatCompletionsServer {
  /** Base URL for the SDK's `baseURL` (ends in /v1) and for `providers.openai.baseURL`. */
  url: string;
  requests: ChatRecordedRequest[];
  scriptErrors: Error[];
  idle(): Promise<void>;
  close(): Promise<void>;
}

export interface ChatServerOptions {
  /** When set, any other bearer token gets a 401 without consulting the script. */
  apiKey?: string;
  /** A request whose prompt is longer gets 400 context_length_exceeded (OpenAI's wording). */
  contextWindow?: number;
  /** false: like some local servers, never send usage, even when asked for it. */
  usage?: boolean;
  /** false: the model cannot call tools; a request with tools gets Ollama's 400 "does not support tools". */
  tools?: boolean;
  /** These models cannot call tools (as `tools: false`, for them only). */
  toolless?: string[];
  /**
   * How the server tells which models call tools, before any call: `supported-parameters` in
   * its GET /v1/models entries (as OpenRouter), `capabilities` there (as LM Studio), or
   * Ollama's POST /api/show. Unset: it does not say (as vLLM).
   */
  describes?: 'supported-parameters' | 'capabilities' | 'ollama-show';
  /** What GET /v1/models lists; undefined: the endpoint does not list models (404). */
  models?: string[];
}

function sendJson(res: ServerResponse, body: object, status = 200): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export async function startChatCompletionsServer(script: Script, options: ChatServerOptions = {}): Promise<ChatCompletionsServer> {
  const requests: ChatRecordedRequest[] = [];
  const cache = new PrefixCache();
  let callIds = 0;
  let served = 0;
  const canCallTools = (model: string) => options.tools !== false && !options.toolless?.includes(model);
  const listedCapabilities = (model: string): object => {
    const tools = canCallTools(model);
    if (options.describes === 'supported-parameters') return { supported_parameters: ['max_tokens', 'temperature', 'stop', ...(tools ? ['tools', 'tool_choice'] : [])] };
    if (options.describes === 'capabilities') return { type: 'llm', capabilities: tools ? ['tool_use'] : [] };
    return {};
  };

  async function answer(req: IncomingMessage, res: ServerResponse, gone: AbortSignal): Promise<void> {
    const requestId = `req_chat${String(served++).padStart(6, '0')}`;
    const path = (req.url ?? '').split('?')[0];
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const raw = await readBody(req);
    if (options.apiKey !== undefined && bearer !== options.apiKey) return sendChatError(res, requestId, chatErrorFor({ kind: 'auth' }));
    if (req.method === 'GET' && path === '/v1/models') {
      if (!options.models) return sendChatError(res, requestId, { status: 404, type: 'invalid_request_error', message: 'Not found' });
      return sendJson(res, { object: 'list', data: options.models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'test', ...listedCapabilities(id) })) });
    }
    if (req.method === 'POST' && path === '/api/show' && options.describes === 'ollama-show') {
      const model = (JSON.parse(raw || '{}') as { model?: string }).model ?? '';
      if (options.models && !options.models.includes(model)) return sendJson(res, { error: `model '${model}' not found` }, 404);
      return sendJson(res, { details: { family: 'test' }, capabilities: canCallTools(model) ? ['completion', 'tools'] : ['completion'] });
    }
    if (req.method !== 'POST' || path !== '/v1/chat/completions') {
      return sendChatError(res, requestId, { status: 404, type: 'invalid_request_error', message: `Not found: ${req.method} ${req.url}` });
    }
    let wire: ChatBody;
    try {
      wire = JSON.parse(raw) as ChatBody;
    } catch {
      return sendChatError(res, requestId, { status: 400, type: 'invalid_request_error', message: 'We could not parse the JSON body of your request.' });
    }
    const index = requests.length;
    const body = canonicalBody(wire);
    const recorded: ChatRecordedRequest = { index, method: 'POST', path, headers: flatHeaders(req), body, stream: wire.stream === true, time: Date.now(), wire };
    requests.push(recorded);

    const accounted = cache.account(body);
    if (options.contextWindow !== undefined && accounted.promptTokens > options.contextWindow) {
      return sendChatError(res, requestId, {
        status: 400,
        type: 'invalid_request_error',
        code: 'context_length_exceeded',
        message: `This model's maximum context length is ${options.contextWindow} tokens. However, your messages resulted in ${accounted.promptTokens} tokens. Please reduce the length of the messages.`,
      });
    }
    if (!canCallTools(wire.model) && (wire.tools?.length ?? 0) > 0) {
      return sendChatError(res, requestId, { status: 400, type: 'invalid_request_error', message: `registry.ollama.ai/library/${wire.model}:latest does not support tools` });
    }
    const ex: ChatExchange = {
      res,
      gone,
      stream: recorded.stream,
      includeUsage: options.usage !== false && wire.stream_options?.include_usage === true,
      model: wire.model,
      requestId,
      promptTokens: accounted.promptTokens,
      cachedTokens: accounted.cachedTokens,
      nextCallId: () => `call_test${String(++callIds).padStart(6, '0')}`,
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

  async function respond(ex: ChatExchange, scripted: Scripted, cacheWrite: () => void): Promise<void> {
    switch (scripted.kind) {
      case 'reply':
        // Only a reply fills the cache, so a retried failure leaves usage as it was.
        ex.responseStarted = cacheWrite;
        if (!ex.stream) return sendChatJson(ex, scripted);
        return sendChatStream(ex, scripted);
      case 'drop':
        if (!ex.stream) return void ex.res.socket?.destroy();
        return sendChatStream(ex, scripted.reply, { afterContentEvents: scripted.afterContentEvents, how: 'drop' });
      case 'stream-error':
        if (!ex.stream) return sendChatError(ex.res, ex.requestId, chatErrorFor({ kind: scripted.errorType === 'overloaded_error' ? 'overloaded' : 'server-error' }));
        return sendChatStream(ex, scripted.reply, { afterContentEvents: scripted.afterContentEvents, how: scripted.errorType });
      default:
        if (!(await pause(scripted.beforeMs, ex.gone))) return;
        return sendChatError(ex.res, ex.requestId, chatErrorFor(scripted));
    }
  }

  const http = await startScriptedHttp(answer, (res, message) => sendChatError(res, 'req_chat_failure', { status: 400, type: 'invalid_request_error', message }));
  return { url: `${http.origin}/v1`, requests, scriptErrors: http.scriptErrors, idle: http.idle, close: http.close };
}
