/**
 * The portal's JSON API under `/api/`, for its page (and scripts with a session). Who may do what:
 * any signed-in account reads the queue; supervisors and admins decide, message and add tasks;
 * admins manage accounts. Every request that changes something needs the session's CSRF token in
 * `X-CSRF-Token` (sessions.ts). Every decision and message carries the account's name as its author.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { QueueService } from '../core/queue/queueService';
import type { Role } from '../core/queue/types';
import { PhaseGateError, QueueError, SpecGateError } from '../core/engineBundle';
import { AccountError, type Accounts } from './accounts';
import { HttpError, readJson, sendJson } from './httpKit';
import type { SignInLimiter } from './rateLimit';
import type { Realtime } from './realtime';
import type { Session, Sessions } from './sessions';
import { specsApi, type SpecsApiContext } from './specsApi';
import { approvePooled, cancelPooled, changePooled, decidePooledConfirmation, pooledConfirmations, pooledGates, pooledSpecs } from './poolSpecs';
import { gatesApi } from './gatesApi';
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

const DECIDERS: readonly Role[] = ['admin', 'supervisor'];

export async function handleApi(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const method = req.method ?? 'GET';
  if (path === '/api/signin' && method === 'POST') return signIn(ctx, req, res);
  if (path === '/api/signin' && method === 'GET') return sendJson(res, 200, { oidc: ctx.oidcLabel ? { label: ctx.oidcLabel, start: '/auth/oidc/start' } : null });

  const session = await ctx.sessions.of(req);
  if (!session) throw new HttpError(401, 'sign in first');
  if (method !== 'GET' && !ctx.sessions.csrfMatches(session, req)) throw new HttpError(403, 'the CSRF token is missing or wrong: reload the page');
  const need = (roles: readonly Role[], what: string) => {
    if (!roles.includes(session.role)) throw new HttpError(403, `${session.name}'s role is ${session.role}: only ${roles.join(' or ')} accounts may ${what}`);
  };

  if (path === '/api/me' && method === 'GET') return sendJson(res, 200, { name: session.name, role: session.role, csrf: session.csrf, pool: ctx.pool.configured });
  if (path === '/api/signout' && method === 'POST') return sendJson(res, 200, { ok: true }, { 'set-cookie': await ctx.sessions.end(session) });
  if (path === '/api/events' && method === 'GET') {
    const refused = ctx.realtime.open(res, session.name);
    if (refused) throw new HttpError(refused.status, refused.message);
    return;
  }
  if (path === '/api/tasks' && method === 'GET') {
    // A page at a time (?status=&source=&cursor=&limit=), with the counts per status: bounded for any queue size.
    const query = new URL(req.url ?? '/', 'http://portal').searchParams;
    const pick = (name: string) => query.get(name) ?? undefined;
    return sendJson(res, 200, await ctx.queue.listPage({ status: pick('status'), source: pick('source'), cursor: pick('cursor'), limit: pick('limit') }));
  }
  if (path === '/api/tasks' && method === 'POST') {
    need(DECIDERS, 'add tasks');
    const body = (await readJson(req, API_BODY_BYTES)) as { title?: unknown; description?: unknown };
    return sendJson(res, 201, await ctx.queue.createTask({ title: body.title, description: body.description ?? '' }, 'portal'));
  }
  const task = /^\/api\/tasks\/([A-Za-z0-9-]{1,40})(\/review|\/messages)?$/.exec(path);
  if (task) {
    const [, id, action] = task as unknown as [string, string, string | undefined];
    if (!action && method === 'GET') return sendJson(res, 200, await taskView(ctx.queue, id));
    if (action === '/review' && method === 'POST') {
      need(DECIDERS, 'approve or reject');
      const body = (await readJson(req, API_BODY_BYTES)) as { verdict?: unknown; comment?: unknown; artifactId?: unknown };
      if (body.verdict !== 'approved' && body.verdict !== 'rejected') throw new HttpError(400, 'verdict must be "approved" or "rejected"');
      const outcome = await ctx.queue.review({
        taskId: id,
        verdict: body.verdict,
        reviewer: session.name,
        ...(typeof body.artifactId === 'string' ? { artifactId: body.artifactId } : {}),
        ...(typeof body.comment === 'string' ? { comment: body.comment } : {}),
      });
      return sendJson(res, 200, outcome);
    }
    if (action === '/messages' && method === 'POST') {
      need(DECIDERS, 'write in a task\'s thread');
      const body = (await readJson(req, API_BODY_BYTES)) as { text?: unknown };
      return sendJson(res, 201, await ctx.queue.sendMessage(id, session.name, body.text));
    }
  }
  // The pool's runs and today's spend: every signed-in account reads it (as it reads the queue).
  if (path === '/api/pool' && method === 'GET') return sendJson(res, 200, await ctx.pool.page());
  // A pooled run's journal, a page at a time from its end: read as the board is.
  const journal = /^\/api\/pool\/runs\/([0-9a-z-]{1,64})\/events$/.exec(path);
  if (journal && method === 'GET') return sendJson(res, 200, await pooledJournal(ctx.pool, journal[1]!, new URL(req.url ?? '/', 'http://portal').searchParams));
  const stop = /^\/api\/pool\/runs\/([0-9a-z-]{1,64})\/cancel$/.exec(path);
  if (stop && method === 'POST') {
    need(DECIDERS, 'stop pooled runs');
    const was = await cancelPooled(ctx.queue, stop[1]!, session.name);
    if (!was) throw new HttpError(409, `pooled run ${stop[1]} is not going (it ended, or there is none): reload the page`);
    return sendJson(res, 200, { runId: stop[1], was, status: 'stopped', by: session.name });
  }
  if (path.startsWith('/api/accounts')) return accountsApi(ctx, session, req, res, path, need);
  if (path.startsWith('/api/specs')) {
    const changed = () => ctx.realtime.publish({ taskId: '', kind: 'task' });
    const pool = {
      specs: () => pooledSpecs(ctx.queue), approve: (specId: string, journalEnd?: number) => approvePooled(ctx.queue, specId, journalEnd),
      changes: (specId: string, changes: { feedback: string; by: string }, journalEnd?: number) => changePooled(ctx.queue, specId, changes, journalEnd),
    };
    return specsApi({ workspace: ctx.queue.workspace, changed, pool, ...(ctx.github ? { github: ctx.github } : {}) }, req, res, path, (what) => (need(DECIDERS, what), { by: session.name }));
  }
  if (path.startsWith('/api/gates')) {
    const changed = () => ctx.realtime.publish({ taskId: '', kind: 'task' });
    const pool = {
      gates: () => pooledGates(ctx.queue), approve: (specId: string, journalEnd?: number) => approvePooled(ctx.queue, specId, journalEnd),
      confirmations: () => pooledConfirmations(ctx.queue), confirm: (runId: string, since: string, allowed: boolean, by: string) => decidePooledConfirmation(ctx.queue, runId, since, allowed, by),
    };
    return gatesApi({ workspace: ctx.queue.workspace, changed, pool }, req, res, path, (what) => (need(DECIDERS, what), { by: session.name }));
  }
  throw new HttpError(404, `no ${method} ${path}`);
}

/** A task with its thread and artifacts, and for the one awaiting review what approving it would change. */
async function taskView(queue: QueueService, id: string) {
  const detail = await queue.detail(id);
  const awaiting = detail.artifacts.filter((a) => !a.decision).at(-1);
  const preview = awaiting && detail.status === 'review_pending' ? await queue.preview(awaiting) : undefined;
  return { ...detail, ...(preview ? { preview: { artifactId: awaiting!.id, ...preview } } : {}) };
}

async function accountsApi(ctx: ApiContext, session: Session, req: IncomingMessage, res: ServerResponse, path: string, need: (roles: readonly Role[], what: string) => void): Promise<void> {
  need(['admin'], 'manage accounts');
  const method = req.method ?? 'GET';
  if (path === '/api/accounts' && method === 'GET') return sendJson(res, 200, await ctx.accounts.list());
  if (path === '/api/accounts' && method === 'POST') {
    const body = (await readJson(req, API_BODY_BYTES)) as { name?: unknown; role?: unknown; password?: unknown; email?: unknown };
    // A changed role or password ends the account's sessions (Accounts.put): it applies at once.
    const account = await ctx.accounts.put(body.name, body.role, typeof body.password === 'string' && body.password !== '' ? body.password : undefined, body.email);
    return sendJson(res, 201, account);
  }
  const one = /^\/api\/accounts\/([^/]{1,64})(\/token)?$/.exec(path);
  if (!one) throw new HttpError(404, `no ${method} ${path}`);
  const name = decodeURIComponent(one[1]!);
  if (one[2] && method === 'POST') return sendJson(res, 201, { name, token: await ctx.accounts.issueToken(name) });
  if (one[2] && method === 'DELETE') {
    await ctx.accounts.revokeToken(name);
    return sendJson(res, 200, { ok: true });
  }
  if (!one[2] && method === 'DELETE') {
    if (name === session.name) throw new HttpError(400, 'you cannot delete your own account');
    await ctx.accounts.remove(name);
    return sendJson(res, 200, { ok: true });
  }
  throw new HttpError(404, `no ${method} ${path}`);
}

async function signIn(ctx: ApiContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = (await readJson(req, 4096)) as { name?: unknown; password?: unknown };
  const name = typeof body.name === 'string' ? body.name.slice(0, 64) : '';
  const password = typeof body.password === 'string' ? body.password : '';
  const nameKey = `name:${name}`;
  const addressKey = `addr:${req.socket.remoteAddress ?? ''}`;
  // Counted before the password is compared: parallel guesses cannot all get past a check made before any of them failed.
  const wait = await ctx.limiter.attempt([nameKey, addressKey]);
  if (wait > 0) return sendJson(res, 429, { error: `too many failed sign-ins: try again in ${Math.ceil(wait / 60)} minute(s)` }, { 'retry-after': String(wait) });
  const account = await ctx.accounts.signIn(name, password);
  if (!account) throw new HttpError(401, 'wrong name or password');
  await ctx.limiter.succeeded(nameKey, [addressKey]);
  const { session, cookie } = await ctx.sessions.start(account.name, account.role);
  sendJson(res, 200, { name: session.name, role: session.role, csrf: session.csrf, pool: ctx.pool.configured }, { 'set-cookie': cookie });
}

/**
 * A refusal of the queue's or the accounts' rules is the caller's mistake: 400 (404 for no such
 * task, 409 when someone else decided first). A store lost under the server (its file deleted,
 * replaced or truncated) is 503: nothing was stored, and the caller may retry once it is back.
 */
export function statusOf(error: unknown): { status: number; message: string } | undefined {
  if ((error as { code?: unknown } | undefined)?.code === 'E_STORE_LOST') return { status: 503, message: 'the queue is unavailable (its store was lost under this server): nothing was stored; retry once the server is restarted' };
  if (error instanceof HttpError) return { status: error.status, message: error.message };
  if (error instanceof QueueError) return { status: /^no task /.test(error.message) ? 404 : /by someone else/.test(error.message) ? 409 : 400, message: error.message };
  // A phase gate's decision: no such gate 404, a stale page or a busy workspace 409, bad input 400.
  if (error instanceof PhaseGateError) return { status: error.reason === 'missing' ? 404 : error.reason === 'invalid' ? 400 : 409, message: error.message };
  if (error instanceof AccountError || error instanceof SpecGateError) return { status: 400, message: error.message };
  return undefined;
}
