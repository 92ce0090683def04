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
import { canonicalBody, customToolNames, type ResponsesBody } from './responsesApi/canonical';
import { sendResponsesJson, sendResponsesStream, type ResponsesExchange } from './responsesApi/responders';
import { PrefixCache } from './chatCompletions/prefixCache';
import { chatErrorFor, sendBadRequest, sendChatError } from './chatCompletions/responders';
import { takeOpenAiBody } from './chatCompletions/openAiRequest';
import {
  startScriptedModelServer,
  type ScriptedModelServer,
  type ScriptedServerOptions,
} from './modelApi/scriptedServer';
import type { RecordedRequest, Script } from './messagesApi/types';

export interface ResponsesRecordedRequest extends RecordedRequest {
  /** The Responses body exactly as the client sent it. */
  wire: ResponsesBody;
}

/** `url` is the base URL ending in /v1 (a Codex provider's `base_url`, the openai package's `baseURL`). */
export interface ResponsesApiServer extends ScriptedModelServer<ResponsesRecordedRequest> {
  /** Requests to any other path (method and path), answered 404: what else a client tried. */
  strays: string[];
}

/** `apiKey` is the bearer token (any other gets a 401); a prompt over `contextWindow` gets 400 context_length_exceeded. */
export type ResponsesServerOptions = ScriptedServerOptions;

export async function startResponsesApiServer(
  script: Script,
  options: ResponsesServerOptions = {},
): Promise<ResponsesApiServer> {
  const strays: string[] = [];
  const cache = new PrefixCache();
  let ids = 0;

  const server = await startScriptedModelServer<ResponsesRecordedRequest, ResponsesExchange>(script, {
    idPrefix: 'req_resp',
    urlPath: '/v1',
    receive(arrival) {
      const { req, res, gone, path, requestId } = arrival;
      if (req.method !== 'POST' || path !== '/v1/responses') {
        strays.push(`${req.method} ${path}`);
        return sendChatError(res, requestId, {
          status: 404,
          type: 'invalid_request_error',
          message: `Not found: ${req.method} ${path}`,
        });
      }
      const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
      if (options.apiKey !== undefined && bearer !== options.apiKey)
        return sendChatError(res, requestId, chatErrorFor({ kind: 'auth' }));
      const tooLong = () =>
        'Your input exceeds the context window of this model. Please adjust your input and try again.';
      const taken = takeOpenAiBody<ResponsesBody, ResponsesRecordedRequest>(
        arrival,
        canonicalBody,
        cache,
        options.contextWindow,
        tooLong,
      );
      if (!taken) return;
      const { wire, recorded, accounted } = taken;
      const exchange: ResponsesExchange = {
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
      return { recorded, exchange, replying: () => accounted.responseStarted };
    },
    json: sendResponsesJson,
    stream: sendResponsesStream,
    fault: (ex, fault) => sendChatError(ex.res, ex.requestId, chatErrorFor(fault)),
    badRequest: sendBadRequest,
  });
  return { ...server, strays };
}
