/**
 * The portal's JSON API from the page: a route of the one table (src/shared/portalRoutes.ts) called
 * with what it takes and answering what it answers; the session's CSRF token on every change, errors as messages.
 */
import {
  pathOf,
  type AnswerOf,
  type BodyOf,
  type ParamsOf,
  type QueryOf,
  type RouteSpec,
} from '../../shared/portalRoutes';

export type { Me } from '../../shared/portalApi';
export { attemptsPerLayer, MAX_ATTEMPTS, ROUTES } from '../../shared/portalRoutes';

let csrf = '';

export function setCsrf(token: string): void {
  csrf = token;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** What a call of the route takes: its path's parameters, its body and its query, each when it has them. */
type CallInput<R extends RouteSpec> = (keyof ParamsOf<R> extends never ? unknown : { params: ParamsOf<R> }) &
  (R extends { body: unknown } ? { body: BodyOf<R> } : unknown) &
  (R extends { query: unknown } ? { query: QueryOf<R> } : unknown);

export async function call<R extends RouteSpec>(
  route: R,
  ...[input]: object extends CallInput<R> ? [CallInput<R>?] : [CallInput<R>]
): Promise<AnswerOf<R>> {
  const { params, body, query } = (input ?? {}) as {
    params?: ParamsOf<R>;
    body?: unknown;
    query?: Record<string, string | undefined>;
  };
  const search = new URLSearchParams(
    Object.entries(query ?? {}).filter((e): e is [string, string] => !!e[1]),
  ).toString();
  const res = await fetch(`${pathOf(route, params ?? ({} as ParamsOf<R>))}${search ? `?${search}` : ''}`, {
    method: route.method,
    credentials: 'same-origin',
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(route.method !== 'GET' ? { 'x-csrf-token': csrf } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const data = (await res.json().catch(() => ({}))) as { error?: string };
  if (!res.ok) throw new ApiError(res.status, data.error ?? `${res.status} ${res.statusText}`);
  return data as AnswerOf<R>;
}
