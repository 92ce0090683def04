/**
 * A local HTTP server that speaks OpenAI's Chat Completions for real (JSON, and SSE with
 * tool calls streamed as deltas and the usage chunk of `stream_options.include_usage`), plus
 * GET /v1/models (and Ollama's POST /api/show when asked), scripted per request with the same scripts and faults as the Messages-API
 * server (messagesApiServer.ts): 429 with retry-after, 500, 503, a dropped connection
 * mid-stream, an error chunk in a 200 stream, slow replies. Tests point the real `openai`
 * package at `url` (…/v1). Requests are recorded in the Messages API's shape (canonical.ts), so
 * the same assertions and scripted agents serve both providers; `wire` keeps the body as sent.
 */
import type { ServerResponse } from 'node:http';
import { canonicalBody, type ChatBody } from './chatCompletions/canonical';
import { PrefixCache } from './chatCompletions/prefixCache';
import {
  chatErrorFor,
  sendBadRequest,
  sendChatError,
  sendChatJson,
  sendChatStream,
  type ChatExchange,
} from './chatCompletions/responders';
import { takeOpenAiBody } from './chatCompletions/openAiRequest';
import {
  startScriptedModelServer,
  type ScriptedModelServer,
  type ScriptedServerOptions,
} from './modelApi/scriptedServer';
import type { RecordedRequest, Script } from './messagesApi/types';

export interface ChatRecordedRequest extends RecordedRequest {
  /** The Chat Completions body exactly as the client sent it. */
  wire: ChatBody;
}

/** `url` is the base URL for the SDK's `baseURL` (ends in /v1) and for `providers.openai.baseURL`. */
export type ChatCompletionsServer = ScriptedModelServer<ChatRecordedRequest>;

/** `apiKey` is the bearer token (any other gets a 401); a prompt over `contextWindow` gets 400 context_length_exceeded (OpenAI's wording). */
export interface ChatServerOptions extends ScriptedServerOptions {
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

export async function startChatCompletionsServer(
  script: Script,
  options: ChatServerOptions = {},
): Promise<ChatCompletionsServer> {
  const cache = new PrefixCache();
  let callIds = 0;
  const canCallTools = (model: string) => options.tools !== false && !options.toolless?.includes(model);
  const listedCapabilities = (model: string): object => {
    const tools = canCallTools(model);
    if (options.describes === 'supported-parameters')
      return {
        supported_parameters: ['max_tokens', 'temperature', 'stop', ...(tools ? ['tools', 'tool_choice'] : [])],
      };
    if (options.describes === 'capabilities') return { type: 'llm', capabilities: tools ? ['tool_use'] : [] };
    return {};
  };

  return startScriptedModelServer<ChatRecordedRequest, ChatExchange>(script, {
    idPrefix: 'req_chat',
    urlPath: '/v1',
    receive(arrival) {
      const { req, res, gone, raw, path, requestId } = arrival;
      const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
      if (options.apiKey !== undefined && bearer !== options.apiKey)
        return sendChatError(res, requestId, chatErrorFor({ kind: 'auth' }));
      if (req.method === 'GET' && path === '/v1/models') {
        if (!options.models)
          return sendChatError(res, requestId, { status: 404, type: 'invalid_request_error', message: 'Not found' });
        return sendJson(res, {
          object: 'list',
          data: options.models.map((id) => ({
            id,
            object: 'model',
            created: 0,
            owned_by: 'test',
            ...listedCapabilities(id),
          })),
        });
      }
      if (req.method === 'POST' && path === '/api/show' && options.describes === 'ollama-show') {
        const model = (JSON.parse(raw || '{}') as { model?: string }).model ?? '';
        if (options.models && !options.models.includes(model))
          return sendJson(res, { error: `model '${model}' not found` }, 404);
        return sendJson(res, {
          details: { family: 'test' },
          capabilities: canCallTools(model) ? ['completion', 'tools'] : ['completion'],
        });
      }
      if (req.method !== 'POST' || path !== '/v1/chat/completions') {
        return sendChatError(res, requestId, {
          status: 404,
          type: 'invalid_request_error',
          message: `Not found: ${req.method} ${req.url}`,
        });
      }
      const tooLong = (prompt: number) =>
        `This model's maximum context length is ${options.contextWindow} tokens. However, your messages resulted in ${prompt} tokens. Please reduce the length of the messages.`;
      const taken = takeOpenAiBody<ChatBody, ChatRecordedRequest>(
        arrival,
        canonicalBody,
        cache,
        options.contextWindow,
        tooLong,
      );
      if (!taken) return;
      const { wire, recorded, accounted } = taken;
      if (!canCallTools(wire.model) && (wire.tools?.length ?? 0) > 0) {
        return sendBadRequest(res, requestId, `registry.ollama.ai/library/${wire.model}:latest does not support tools`);
      }
      const exchange: ChatExchange = {
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
      return { recorded, exchange, replying: () => accounted.responseStarted };
    },
    json: sendChatJson,
    stream: sendChatStream,
    fault: (ex, fault) => sendChatError(ex.res, ex.requestId, chatErrorFor(fault)),
    badRequest: sendBadRequest,
  });
}
