/** One call of the portal's API as its route's handler sees it (the routes: src/shared/portalRoutes.ts). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AnswerOf, ParamsOf, RouteName, Routes, RouteSpec } from '../shared/portalRoutes';
import type { Session } from './sessions';

/** What a handler returns when it wrote the response itself (a stream, a refusal with headers of its own). */
export const SENT = Symbol('sent');

export interface ApiCall<R extends RouteSpec> {
  req: IncomingMessage;
  res: ServerResponse;
  /** The path's parameters as it carries them (%-encoded). */
  params: ParamsOf<R>;
  session: R['access'] extends 'public' ? undefined : Session;
  /** Headers to send with the answer (a session's cookie). */
  headers: Record<string, string | string[]>;
}

/** A route's handler: its answer, sent as JSON with the route's status. */
export type Handler<R extends RouteSpec, C> = (ctx: C, call: ApiCall<R>) => Promise<AnswerOf<R> | typeof SENT>;
export type Handlers<C, K extends RouteName = RouteName> = { [N in K]: Handler<Routes[N], C> };
