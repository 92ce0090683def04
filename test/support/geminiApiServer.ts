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
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PrefixCache } from './chatCompletions/prefixCache';
import { canonicalBody, type GeminiBody } from './geminiApi/canonical';
import { geminiErrorFor, sendGeminiError, sendGeminiJson, sendGeminiStream, type GeminiExchange } from './geminiApi/responders';
import { pause } from './messagesApi/responders';
import { tokensForChars } from './messagesApi/usageModel';
import type { RecordedRequest, Script, Scripted } from './messagesApi/types';
import { flatHeaders, readBody, startScriptedHttp } from './scriptedHttp';

export interface GeminiRecordedRequest extends RecordedRequest {
  /** The GenerateContentRequest exactly as the client sent it. */
  wire: GeminiBody;
  /** The model named in the path (`models/<model>:…`). */
  model: string;
}

export interface GeminiApiServer {
  /** The origin to give as GOOGLE_GEMINI_BASE_URL (the client adds /v1beta/models/…). */
  url: string;
  requests: GeminiRecordedRequest[];
  /** countTokens calls answered (not scripted). */
  counted: number;
  /** Requests to any other path (method and path), answered 404: what else a client tried. */
  strays: string[];
  scriptErrors: Error[];
  idle(): Promise<void>;
  close(): Promise<void>;
}

export interface GeminiServerOptions {
  /** When set, any other `x-goog-api-key` (or `?key=`) gets Google's API_KEY_INVALID without consulting the script. */
  apiKey?: string;
}

const ROUTE = /^\/v1(?:beta|alpha)?\/models\/([^/:]+):(streamGenerateContent|generateContent|countTokens)$/;

export async function startGeminiApiServer(script: Script, options: GeminiServerOptions = {}): Promise<GeminiApiServer> {
  const requests: GeminiRecordedRequest[] = [];
  const strays: string[] = [];
  const cache = new PrefixCache();
  let served = 0;
  const state = { counted: 0 };

  async function answer(req: IncomingMessage, res: ServerResponse, gone: AbortSignal): Promise<void> {
    const requestId = `req_gem${String(served++).padStart(6, '0')}`;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const raw = await readBody(req);
    const route = ROUTE.exec(url.pathname);
    if (req.method !== 'POST' || !route) {
      strays.push(`${req.method} ${url.pathname}`);
      return sendGeminiError(res, { status: 404, code: 'NOT_FOUND', message: `Not found: ${req.method} ${url.pathname}` });
    }
    const key = req.headers['x-goog-api-key'] ?? url.searchParams.get('key') ?? undefined;
    if (options.apiKey !== undefined && key !== options.apiKey) return sendGeminiError(res, geminiErrorFor({ kind: 'auth' }));
    let wire: GeminiBody;
    try {
      wire = JSON.parse(raw) as GeminiBody;
    } catch {
      return sendGeminiError(res, { status: 400, code: 'INVALID_ARGUMENT', message: 'Invalid JSON payload received.' });
    }
    const [, model, method] = route as unknown as [string, string, string];
    if (method === 'countTokens') {
      state.counted++;
      res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
      return void res.end(JSON.stringify({ totalTokens: tokensForChars(JSON.stringify(wire.contents ?? []).length) }));
    }
    const stream = method === 'streamGenerateContent';
    const body = canonicalBody(wire, model, stream);
    const index = requests.length;
    const recorded: GeminiRecordedRequest = { index, method: 'POST', path: url.pathname, headers: flatHeaders(req), body, stream, time: Date.now(), wire, model };
    requests.push(recorded);

    const accounted = cache.account(body);
    const ex: GeminiExchange = { res, gone, stream, model, requestId, promptTokens: accounted.promptTokens, cachedTokens: accounted.cachedTokens };
    let scripted: Scripted;
    try {
      scripted = await script(recorded, index);
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      http.scriptErrors.push(err);
      return sendGeminiError(res, { status: 400, code: 'INVALID_ARGUMENT', message: `test script error: ${err.message}` });
    }
    await respond(ex, scripted, accounted.responseStarted);
  }

  async function respond(ex: GeminiExchange, scripted: Scripted, cacheWrite: () => void): Promise<void> {
    switch (scripted.kind) {
      case 'reply':
        // Only a reply fills the cache, so a retried failure leaves usage as it was.
        ex.responseStarted = cacheWrite;
        return ex.stream ? sendGeminiStream(ex, scripted) : sendGeminiJson(ex, scripted);
      case 'drop':
        if (!ex.stream) return void ex.res.socket?.destroy();
        return sendGeminiStream(ex, scripted.reply, { afterContentEvents: scripted.afterContentEvents, how: 'drop' });
      case 'stream-error':
        if (!ex.stream) return sendGeminiError(ex.res, geminiErrorFor({ kind: scripted.errorType === 'overloaded_error' ? 'overloaded' : 'server-error' }));
        return sendGeminiStream(ex, scripted.reply, { afterContentEvents: scripted.afterContentEvents, how: scripted.errorType });
      default:
        if (!(await pause(scripted.beforeMs, ex.gone))) return;
        return sendGeminiError(ex.res, geminiErrorFor(scripted));
    }
  }

  const http = await startScriptedHttp(answer, (res, message) => sendGeminiError(res, { status: 400, code: 'INVALID_ARGUMENT', message }));
  return {
    url: http.origin,
    requests,
    get counted() {
      return state.counted;
    },
    strays,
    scriptErrors: http.scriptErrors,
    idle: http.idle,
    close: http.close,
  };
}
