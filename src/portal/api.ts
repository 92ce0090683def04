/**
 * The portal's JSON API under `/api/`, for its page (and scripts with a session). Who may do what:
 * any signed-in account reads the queue; supervisors and admins decide, message and add tasks;
 * admins manage accounts. Every request that changes something needs the session's CSRF token in
 * `X-CSRF-Token` (sessions.ts). Every decision and message carries the account's name as its author.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { QueueService, Role } from '../core/queue';
import { PhaseGateError, QueueError, SpecGateError } from '../core/engineBundle';
import type { TaskView } from '../shared/portalApi';
import { matchRoute, ROUTES, type RouteName, type RouteSpec } from '../shared/portalRoutes';
import { AccountError, type Accounts } from './accounts';
import { SENT, type ApiCall, type Handler, type Handlers } from './apiCall';
import { HttpError, readJson, sendJson } from './httpKit';
import type { SignInLimiter } from './rateLimit';
import type { Realtime } from './realtime';
import type { Session, Sessions } from './sessions';
import { specsHandlers, type SpecsApiContext } from './specsApi';
import {
  approvePooled,
  cancelPooled,
  changePooled,
  decidePooledConfirmation,
  pooledConfirmations,
  pooledGates,
  pooledSpecs,
} from './poolSpecs';
import { gatesHandlers, type GatesApiContext } from './gatesApi';
import { pooledJournal } from './poolJournal';
import type { PortalPool } from './poolBoard';

/** A portal request body: sign-in, a comment, a new task (its description ≤ 20,000 characters). */
const API_BODY_BYTES = 256 * 1024;

export interface ApiContext {
  queue: QueueService;
  accounts: Accounts;
  sessions: Sessions;
  limiter: SignInLimiter;
  realtime: Realtime;
  /** The pool of workers on the queue's PostgreSQL (the Pool page). */
  pool: PortalPool;
  /** The GitHub channel's gates (issue 39), when `serve` takes GitHub's webhooks. */
  github?: SpecsApiContext['github'];
  /** What the sign-in page offers besides a password: the OpenID Connect button's label, when configured. */
  oidcLabel?: string;
}

/** A call of the API (src/shared/portalRoutes.ts): the route the method and path name, by who (a public route needs no one), with what role. */
export async function handleApi(
  ctx: ApiContext,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  const method = req.method ?? 'GET';
  const found = matchRoute(method, path);
  if (found && ROUTES[found.name].access === 'public')
    return answer(ctx, found.name, { req, res, params: found.params, session: undefined, headers: {} });

  const session = await ctx.sessions.of(req);
  if (!session) throw new HttpError(401, 'sign in first');
  if (method !== 'GET' && !ctx.sessions.csrfMatches(session, req))
    throw new HttpError(403, 'the CSRF token is missing or wrong: reload the page');
  // Only admins learn which account paths there are: anyone else is refused before one is looked up.
  if (path.startsWith('/api/accounts')) need(session, ROUTES.accounts.access.roles, ROUTES.accounts.access.may);
  if (!found) throw new HttpError(404, `no ${method} ${path}`);
  const { access } = ROUTES[found.name] as RouteSpec;
  if (typeof access === 'object') need(session, access.roles, access.may);
  return answer(ctx, found.name, { req, res, params: found.params, session, headers: {} });
}

function need(session: Session, roles: readonly Role[], what: string): void {
  if (!roles.includes(session.role))
    throw new HttpError(
      403,
      `${session.name}'s role is ${session.role}: only ${roles.join(' or ')} accounts may ${what}`,
    );
}

/** A call as the dispatcher makes it: the session checked against the route's access already. */
type Dispatched = Omit<ApiCall<RouteSpec>, 'session' | 'params'> & {
  session: Session | undefined;
  params: Record<string, string>;
};

async function answer(ctx: ApiContext, name: RouteName, call: Dispatched): Promise<void> {
  const value = await (HANDLERS[name] as unknown as (ctx: ApiContext, call: Dispatched) => Promise<unknown>)(ctx, call);
  if (value !== SENT) sendJson(call.res, (ROUTES[name] as RouteSpec).status ?? 200, value, call.headers);
}

/** The Specs page's own: pooled specs and gates beside the workspace's, each change told to every open page. */
const changed = (ctx: ApiContext) => () => ctx.realtime.publish({ taskId: '', kind: 'task' });
const specsContext = (ctx: ApiContext): SpecsApiContext => ({
  workspace: ctx.queue.workspace,
  changed: changed(ctx),
  pool: {
    specs: () => pooledSpecs(ctx.queue),
    approve: (specId, approval) => approvePooled(ctx.queue, specId, approval),
    changes: (specId, changes, journalEnd) => changePooled(ctx.queue, specId, changes, journalEnd),
  },
  ...(ctx.github ? { github: ctx.github } : {}),
});
const gatesContext = (ctx: ApiContext): GatesApiContext => ({
  workspace: ctx.queue.workspace,
  changed: changed(ctx),
  pool: {
    gates: () => pooledGates(ctx.queue),
    approve: (specId, journalEnd, by) =>
      approvePooled(ctx.queue, specId, { by, ...(journalEnd !== undefined ? { journalEnd } : {}) }),
    confirmations: () => pooledConfirmations(ctx.queue),
    confirm: (runId, since, allowed, by) => decidePooledConfirmation(ctx.queue, runId, since, allowed, by),
  },
});

/** Handlers of another context, each given its context made from the API's. */
function within<C, K extends RouteName>(
  handlers: Handlers<C, K>,
  context: (ctx: ApiContext) => C,
): Handlers<ApiContext, K> {
  return Object.fromEntries(
    Object.entries<Handler<RouteSpec, C>>(handlers).map(([name, handler]) => [
      name,
      (ctx: ApiContext, call: ApiCall<RouteSpec>) => handler(context(ctx), call),
    ]),
  ) as unknown as Handlers<ApiContext, K>;
}

const queryOf = (req: IncomingMessage) => new URL(req.url ?? '/', 'http://portal').searchParams;

const HANDLERS: Handlers<ApiContext> = {
  signIn,
  signInOptions: async (ctx) => ({ oidc: ctx.oidcLabel ? { label: ctx.oidcLabel, start: '/auth/oidc/start' } : null }),
  me: async (ctx, { session }) => ({
    name: session.name,
    role: session.role,
    csrf: session.csrf,
    pool: ctx.pool.configured,
  }),
  signOut: async (ctx, call) => {
    call.headers['set-cookie'] = await ctx.sessions.end(call.session);
    return { ok: true };
  },
  events: async (ctx, { res, session }) => {
    const refused = ctx.realtime.open(res, session.name);
    if (refused) throw new HttpError(refused.status, refused.message);
    return SENT;
  },
  tasks: async (ctx, { req }) => {
    const query = queryOf(req);
    const pick = (name: string) => query.get(name) ?? undefined;
    return ctx.queue.listPage({
      status: pick('status'),
      source: pick('source'),
      cursor: pick('cursor'),
      limit: pick('limit'),
    });
  },
  addTask: async (ctx, { req }) => {
    const body = (await readJson(req, API_BODY_BYTES)) as { title?: unknown; description?: unknown };
    return ctx.queue.createTask({ title: body.title, description: body.description ?? '' }, 'portal');
  },
  task: async (ctx, { params }) => taskView(ctx.queue, params.id),
  review: async (ctx, { req, params, session }) => {
    const body = (await readJson(req, API_BODY_BYTES)) as {
      verdict?: unknown;
      comment?: unknown;
      artifactId?: unknown;
    };
    if (body.verdict !== 'approved' && body.verdict !== 'rejected')
      throw new HttpError(400, 'verdict must be "approved" or "rejected"');
    return ctx.queue.review({
      taskId: params.id,
      verdict: body.verdict,
      reviewer: session.name,
      ...(typeof body.artifactId === 'string' ? { artifactId: body.artifactId } : {}),
      ...(typeof body.comment === 'string' ? { comment: body.comment } : {}),
    });
  },
  message: async (ctx, { req, params, session }) => {
    const body = (await readJson(req, API_BODY_BYTES)) as { text?: unknown };
    return ctx.queue.sendMessage(params.id, session.name, body.text);
  },
  pool: async (ctx) => ctx.pool.page(),
  poolJournal: async (ctx, { req, params }) => pooledJournal(ctx.pool, params.runId, queryOf(req)),
  stopPooled: async (ctx, { params: { runId }, session }) => {
    const was = await cancelPooled(ctx.queue, runId, session.name);
    if (!was)
      throw new HttpError(409, `pooled run ${runId} is not going (it ended, or there is none): reload the page`);
    return { runId, was, status: 'stopped', by: session.name };
  },
  accounts: async (ctx) => ctx.accounts.list(),
  putAccount: async (ctx, { req }) => {
    const body = (await readJson(req, API_BODY_BYTES)) as {
      name?: unknown;
      role?: unknown;
      password?: unknown;
      email?: unknown;
    };
    // A changed role or password ends the account's sessions (Accounts.put): it applies at once.
    return ctx.accounts.put(
      body.name,
      body.role,
      typeof body.password === 'string' && body.password !== '' ? body.password : undefined,
      body.email,
    );
  },
  issueToken: async (ctx, { params }) => {
    const name = decodeURIComponent(params.name);
    return { name, token: await ctx.accounts.issueToken(name) };
  },
  revokeToken: async (ctx, { params }) => {
    await ctx.accounts.revokeToken(decodeURIComponent(params.name));
    return { ok: true };
  },
  deleteAccount: async (ctx, { params, session }) => {
    const name = decodeURIComponent(params.name);
    if (name === session.name) throw new HttpError(400, 'you cannot delete your own account');
    await ctx.accounts.remove(name);
    return { ok: true };
  },
  ...within(specsHandlers, specsContext),
  ...within(gatesHandlers, gatesContext),
};

/** A task with its thread and artifacts, and for the one awaiting review what approving it would change. */
async function taskView(queue: QueueService, id: string): Promise<TaskView> {
  const detail = await queue.detail(id);
  const awaiting = detail.artifacts.filter((a) => !a.decision).at(-1);
  const preview = awaiting && detail.status === 'review_pending' ? await queue.preview(awaiting) : undefined;
  return { ...detail, ...(preview ? { preview: { artifactId: awaiting!.id, ...preview } } : {}) };
}

async function signIn(
  ctx: ApiContext,
  { req, res, headers }: Parameters<Handler<(typeof ROUTES)['signIn'], ApiContext>>[1],
) {
  const body = (await readJson(req, 4096)) as { name?: unknown; password?: unknown };
  const name = typeof body.name === 'string' ? body.name.slice(0, 64) : '';
  const password = typeof body.password === 'string' ? body.password : '';
  const nameKey = `name:${name}`;
  const addressKey = `addr:${req.socket.remoteAddress ?? ''}`;
  // Counted before the password is compared: parallel guesses cannot all get past a check made before any of them failed.
  const wait = await ctx.limiter.attempt([nameKey, addressKey]);
  if (wait > 0) {
    sendJson(
      res,
      429,
      { error: `too many failed sign-ins: try again in ${Math.ceil(wait / 60)} minute(s)` },
      { 'retry-after': String(wait) },
    );
    return SENT;
  }
  const account = await ctx.accounts.signIn(name, password);
  if (!account) throw new HttpError(401, 'wrong name or password');
  await ctx.limiter.succeeded(nameKey, [addressKey]);
  const { session, cookie } = await ctx.sessions.start(account.name, account.role);
  headers['set-cookie'] = cookie;
  return { name: session.name, role: session.role, csrf: session.csrf, pool: ctx.pool.configured };
}

/**
 * A refusal of the queue's or the accounts' rules is the caller's mistake: 400 (404 for no such
 * task, 409 when someone else decided first). A store lost under the server (its file deleted,
 * replaced or truncated) is 503: nothing was stored, and the caller may retry once it is back.
 */
export function statusOf(error: unknown): { status: number; message: string } | undefined {
  if ((error as { code?: unknown } | undefined)?.code === 'E_STORE_LOST')
    return {
      status: 503,
      message:
        'the queue is unavailable (its store was lost under this server): nothing was stored; retry once the server is restarted',
    };
  if (error instanceof HttpError) return { status: error.status, message: error.message };
  if (error instanceof QueueError)
    return {
      status: /^no task /.test(error.message) ? 404 : /by someone else/.test(error.message) ? 409 : 400,
      message: error.message,
    };
  // A phase gate's decision: no such gate 404, a stale page or a busy workspace 409, bad input 400.
  if (error instanceof PhaseGateError)
    return {
      status: error.reason === 'missing' ? 404 : error.reason === 'invalid' ? 400 : 409,
      message: error.message,
    };
  if (error instanceof AccountError || error instanceof SpecGateError) return { status: 400, message: error.message };
  return undefined;
}
