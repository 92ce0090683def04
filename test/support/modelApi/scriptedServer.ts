/**
 * The core of the four model-API test servers (messagesApiServer.ts, chatCompletionsServer.ts,
 * responsesApiServer.ts, geminiApiServer.ts): it reads each request, lets the protocol route,
 * refuse or record it, runs the script, and answers what the script chose (a reply as JSON or
 * SSE, a connection dropped mid-stream, an error inside a 200 stream, an HTTP fault after an
 * optional pause) with the protocol's encoder. A script that throws gets a 400 in the protocol's
 * envelope, so the client stops rather than retries.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { flatHeaders, readBody, startScriptedHttp } from '../scriptedHttp';
import type { RecordedRequest, Script, Scripted, ScriptedReply } from '../messagesApi/types';
import { pause, type BaseExchange, type HttpFault, type Interruption } from './wire';

/** What every model test server gives a test. */
export interface ScriptedModelServer<R extends RecordedRequest = RecordedRequest> {
  /** Where the client is pointed (each protocol says what it includes). */
  url: string;
  /** Every request for the script, in arrival order (client retries included). */
  requests: R[];
  /** Errors thrown by the script; each was answered with a 400 so the client stops. */
  scriptErrors: Error[];
  /** Resolves once every request received so far has been fully answered or abandoned. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** The options every model test server takes. */
export interface ScriptedServerOptions {
  /** When set, a request carrying any other key gets the protocol's authentication error without consulting the script. */
  apiKey?: string;
  /** The model's context window in tokens (~4 characters a token): a longer prompt gets the protocol's 400, without consulting the script. */
  contextWindow?: number;
}

/** One request as it arrives, before the protocol has made anything of it. */
export interface Arrival {
  req: IncomingMessage;
  res: ServerResponse;
  gone: AbortSignal;
  /** The body as text. */
  raw: string;
  /** The URL's path, without the query. */
  path: string;
  /** `<prefix><arrival number>`: unique per request, whatever it was for. */
  requestId: string;
  /** Records the request for the test (index, method, headers and time filled in) and returns it. */
  record<R extends RecordedRequest>(fields: Omit<R, 'index' | 'method' | 'headers' | 'time'>): R;
}

/** A request the protocol recorded for the script. */
export interface Accepted<R extends RecordedRequest, Ex extends BaseExchange> {
  recorded: R;
  exchange: Ex;
  /** The script chose a reply: the cache model's accounting, returning the cue that its response began. */
  replying(): (() => void) | undefined;
  /** The script chose a stream cut short (a drop, an in-stream error). */
  interrupting?(): void;
}

/** One wire protocol: how it takes requests and how it writes what the script chose. */
export interface Protocol<R extends RecordedRequest, Ex extends BaseExchange> {
  /** Request ids are this prefix and a six-digit arrival number. */
  idPrefix: string;
  /** What the server's `url` adds to its origin (/v1 where clients add the rest). */
  urlPath: string;
  /** Answers what is not for the script (a wrong path, a bad key, a listing) and returns nothing; records and returns the rest. */
  receive(arrival: Arrival): Accepted<R, Ex> | void;
  json(ex: Ex, reply: ScriptedReply): Promise<void>;
  stream(ex: Ex, reply: ScriptedReply, interruption?: Interruption): Promise<void>;
  /** Sends a fault as the protocol's HTTP error. */
  fault(ex: Ex, fault: HttpFault): void;
  /** Sends a 400 in the protocol's envelope (a script error, a test server failure). */
  badRequest(res: ServerResponse, requestId: string, message: string): void;
}

/** The body as JSON, or undefined when it is not. */
export function parsed<T>(raw: string): T | undefined {
  try {
    return JSON.parse(raw) as T;
  } catch {
    return undefined;
  }
}

async function respond<R extends RecordedRequest, Ex extends BaseExchange>(
  protocol: Protocol<R, Ex>,
  ex: Ex,
  scripted: Scripted,
): Promise<void> {
  switch (scripted.kind) {
    case 'reply':
      return ex.stream ? protocol.stream(ex, scripted) : protocol.json(ex, scripted);
    case 'drop':
      if (!ex.stream) return void ex.res.socket?.destroy();
      return protocol.stream(ex, scripted.reply, { afterContentEvents: scripted.afterContentEvents, how: 'drop' });
    case 'stream-error':
      if (!ex.stream)
        return protocol.fault(ex, { kind: scripted.errorType === 'overloaded_error' ? 'overloaded' : 'server-error' });
      return protocol.stream(ex, scripted.reply, {
        afterContentEvents: scripted.afterContentEvents,
        how: scripted.errorType,
      });
    default:
      if (!(await pause(scripted.beforeMs, ex.gone))) return;
      return protocol.fault(ex, scripted);
  }
}

/** Serves `protocol` on 127.0.0.1, answering each recorded request as `script` says. */
export async function startScriptedModelServer<R extends RecordedRequest, Ex extends BaseExchange>(
  script: Script,
  protocol: Protocol<R, Ex>,
): Promise<ScriptedModelServer<R>> {
  const requests: R[] = [];
  let served = 0;
  const idOf = (n: number | string): string =>
    `${protocol.idPrefix}${typeof n === 'number' ? String(n).padStart(6, '0') : n}`;

  async function answer(req: IncomingMessage, res: ServerResponse, gone: AbortSignal): Promise<void> {
    const requestId = idOf(served++);
    const raw = await readBody(req);
    const record = <T extends RecordedRequest>(fields: Omit<T, 'index' | 'method' | 'headers' | 'time'>): T => {
      const { path, body, stream, ...rest } = fields as Omit<RecordedRequest, 'index' | 'method' | 'headers' | 'time'>;
      const recorded = {
        index: requests.length,
        method: req.method ?? 'POST',
        path,
        headers: flatHeaders(req),
        body,
        stream,
        time: Date.now(),
        ...rest,
      } as T;
      requests.push(recorded as unknown as R);
      return recorded;
    };
    const accepted = protocol.receive({ req, res, gone, raw, path: (req.url ?? '').split('?')[0]!, requestId, record });
    if (!accepted) return;
    const { recorded, exchange } = accepted;
    let scripted: Scripted;
    try {
      scripted = await script(recorded, recorded.index);
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      http.scriptErrors.push(err);
      return protocol.badRequest(res, requestId, `test script error: ${err.message}`);
    }
    // Only a reply writes the cache, so a retried failure leaves usage as it was.
    if (scripted.kind === 'reply') exchange.responseStarted = accepted.replying();
    else if (scripted.kind === 'drop' || scripted.kind === 'stream-error') accepted.interrupting?.();
    await respond(protocol, exchange, scripted);
  }

  const http = await startScriptedHttp(answer, (res, message) => protocol.badRequest(res, idOf('_failure'), message));
  return {
    url: `${http.origin}${protocol.urlPath}`,
    requests,
    scriptErrors: http.scriptErrors,
    idle: http.idle,
    close: http.close,
  };
}

/** What `body` gives with the server `started` resolves to; the server is closed after, whatever `body` did. */
export async function serving<S extends { close(): Promise<void> }, T>(
  started: Promise<S>,
  body: (server: S) => Promise<T>,
): Promise<T> {
  const server = await started;
  try {
    return await body(server);
  } finally {
    await server.close();
  }
}
