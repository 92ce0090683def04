/**
 * A local HTTP server that speaks Google's Gemini API for real (`POST /v1beta/models/<model>:
 * streamGenerateContent?alt=sse`, `:generateContent`, `:countTokens`), scripted per request with
 * the same scripts and faults as the other model servers (a 429 with RetryInfo, a daily quota the
 * client does not retry, 500, 503, a bad API key, a dropped connection mid-stream, an error inside
 * a 200 stream, slow replies). Tests point the real Gemini CLI at it with GOOGLE_GEMINI_BASE_URL
 * and GEMINI_API_KEY. Requests are recorded in the Messages API's shape (geminiApi/canonical.ts),
 * so the same assertions and scripted agents serve every provider; `wire` keeps the body as sent.
 * Prompt caching is modelled like OpenAI's (implicit, on a shared prefix from 1,024 tokens).
 */
import { PrefixCache } from './chatCompletions/prefixCache';
import { canonicalBody, type GeminiBody } from './geminiApi/canonical';
import {
  geminiErrorFor,
  sendGeminiError,
  sendGeminiJson,
  sendGeminiStream,
  type GeminiExchange,
} from './geminiApi/responders';
import { parsed, startScriptedModelServer, type ScriptedModelServer } from './modelApi/scriptedServer';
import { tokensForChars } from './messagesApi/usageModel';
import type { RecordedRequest, Script } from './messagesApi/types';

export interface GeminiRecordedRequest extends RecordedRequest {
  /** The GenerateContentRequest exactly as the client sent it. */
  wire: GeminiBody;
  /** The model named in the path (`models/<model>:…`). */
  model: string;
}

/** `url` is the origin to give as GOOGLE_GEMINI_BASE_URL (the client adds /v1beta/models/…). */
export interface GeminiApiServer extends ScriptedModelServer<GeminiRecordedRequest> {
  /** countTokens calls answered (not scripted). */
  counted: number;
  /** Requests to any other path (method and path), answered 404: what else a client tried. */
  strays: string[];
}

export interface GeminiServerOptions {
  /** When set, any other `x-goog-api-key` (or `?key=`) gets Google's API_KEY_INVALID without consulting the script. */
  apiKey?: string;
}

const ROUTE = /^\/v1(?:beta|alpha)?\/models\/([^/:]+):(streamGenerateContent|generateContent|countTokens)$/;

export async function startGeminiApiServer(
  script: Script,
  options: GeminiServerOptions = {},
): Promise<GeminiApiServer> {
  const strays: string[] = [];
  const cache = new PrefixCache();
  const state = { counted: 0 };
  const badRequest = (res: GeminiExchange['res'], _requestId: string, message: string) =>
    sendGeminiError(res, { status: 400, code: 'INVALID_ARGUMENT', message });

  const server = await startScriptedModelServer<GeminiRecordedRequest, GeminiExchange>(script, {
    idPrefix: 'req_gem',
    urlPath: '',
    receive({ req, res, gone, raw, path, requestId, record }) {
      const route = ROUTE.exec(path);
      if (req.method !== 'POST' || !route) {
        strays.push(`${req.method} ${path}`);
        return sendGeminiError(res, { status: 404, code: 'NOT_FOUND', message: `Not found: ${req.method} ${path}` });
      }
      const key =
        req.headers['x-goog-api-key'] ??
        new URL(req.url ?? '/', 'http://localhost').searchParams.get('key') ??
        undefined;
      if (options.apiKey !== undefined && key !== options.apiKey)
        return sendGeminiError(res, geminiErrorFor({ kind: 'auth' }));
      const wire = parsed<GeminiBody>(raw);
      if (!wire) return badRequest(res, requestId, 'Invalid JSON payload received.');
      const [, model, method] = route as unknown as [string, string, string];
      if (method === 'countTokens') {
        state.counted++;
        res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
        return void res.end(
          JSON.stringify({ totalTokens: tokensForChars(JSON.stringify(wire.contents ?? []).length) }),
        );
      }
      const stream = method === 'streamGenerateContent';
      const body = canonicalBody(wire, model, stream);
      const recorded = record<GeminiRecordedRequest>({ path, body, stream, wire, model });
      const accounted = cache.account(body);
      const exchange: GeminiExchange = {
        res,
        gone,
        stream,
        model,
        requestId,
        promptTokens: accounted.promptTokens,
        cachedTokens: accounted.cachedTokens,
      };
      return { recorded, exchange, replying: () => accounted.responseStarted };
    },
    json: sendGeminiJson,
    stream: sendGeminiStream,
    fault: (ex, fault) => sendGeminiError(ex.res, geminiErrorFor(fault)),
    badRequest,
  });
  return {
    ...server,
    get counted() {
      return state.counted;
    },
    strays,
  };
}
