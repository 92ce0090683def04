/**
 * The portal's JSON API as one table: each route's method, path, who may call it, what it is sent
 * and what it answers (portalApi.ts). The server dispatches from it (src/portal/api.ts) and the
 * page's fetch helper is typed from it (src/portal/client/api.ts), so neither declares the API again.
 * A body the server parses with a schema has it here; one the server checks its own way (its
 * refusals name the field) is a shape for the page to follow. zod/mini and types only: the browser bundles it.
 */
import * as z from 'zod/mini';
import type { Message, ReviewOutcome, Role, Task, TaskPage } from '../core/queue';
import { MAX_ATTEMPTS } from '../core/text/runnerNames';

/** The bound of `attempts` in a decision and how it is said, for the page too. */
export { attemptsPerLayer, MAX_ATTEMPTS } from '../core/text/runnerNames';
import type { ChangeSetView } from './changeSetView';
import type {
  JournalPage,
  Me,
  PoolPage,
  PortalConfirmation,
  PortalGate,
  PortalSpec,
  PublicAccount,
  SignInOptions,
  TaskView,
} from './portalApi';

/** Stands for a type: what the server checks its own way, or answers. */
const shape = <T>(): T => undefined as T;

export const DECIDERS = ['admin', 'supervisor'] as const satisfies readonly Role[];
const ADMINS = ['admin'] as const satisfies readonly Role[];

/** At most this many entries in a page of a pooled run's journal. */
export const JOURNAL_MAX_PAGE = 200;

const taskId = /[A-Za-z0-9-]{1,40}/;
const poolRunId = /[0-9a-z-]{1,64}/;
const specId = /[a-z0-9-]{1,100}/;
const gateRunId = /[A-Za-z0-9][A-Za-z0-9_-]{0,99}/;
/** An account's name as the path carries it (still %-encoded: the server decodes it). */
const accountName = /[^/]{1,64}/;

const decisionAction = z.enum(['approve', 'save', 'changes']);
const layerName = z.string().check(z.minLength(1), z.maxLength(64));

export interface RouteSpec {
  method: 'GET' | 'POST' | 'DELETE';
  /** `:name` stands for one segment matching `params.name`. */
  path: string;
  params?: Record<string, RegExp>;
  /** `public`: no session needed; `session`: any signed-in account; else one of `roles` (`may`: what they may do, named in a refusal). */
  access: 'public' | 'session' | { roles: readonly Role[]; may: string };
  /** 201 for what it creates; else 200. */
  status?: 201;
  /** A zod schema the server parses the body (or the query) with, or the shape the page sends. */
  body?: unknown;
  query?: unknown;
  answer: unknown;
}

export const ROUTES = {
  signIn: {
    method: 'POST',
    path: '/api/signin',
    access: 'public',
    body: shape<{ name: string; password: string }>(),
    answer: shape<Me>(),
  },
  signInOptions: { method: 'GET', path: '/api/signin', access: 'public', answer: shape<SignInOptions>() },
  me: { method: 'GET', path: '/api/me', access: 'session', answer: shape<Me>() },
  signOut: { method: 'POST', path: '/api/signout', access: 'session', answer: shape<{ ok: true }>() },
  /** Server-Sent Events (`change`, `pool`): the page opens an EventSource on it. */
  events: { method: 'GET', path: '/api/events', access: 'session', answer: shape<never>() },
  /** A page at a time, with the counts per status: bounded for any queue size. */
  tasks: {
    method: 'GET',
    path: '/api/tasks',
    access: 'session',
    query: shape<{ status?: string; source?: string; cursor?: string; limit?: string }>(),
    answer: shape<TaskPage>(),
  },
  addTask: {
    method: 'POST',
    path: '/api/tasks',
    access: { roles: DECIDERS, may: 'add tasks' },
    status: 201,
    body: shape<{ title: string; description: string }>(),
    answer: shape<Task>(),
  },
  task: { method: 'GET', path: '/api/tasks/:id', params: { id: taskId }, access: 'session', answer: shape<TaskView>() },
  review: {
    method: 'POST',
    path: '/api/tasks/:id/review',
    params: { id: taskId },
    access: { roles: DECIDERS, may: 'approve or reject' },
    body: shape<{ verdict: 'approved' | 'rejected'; artifactId?: string; comment?: string }>(),
    answer: shape<ReviewOutcome>(),
  },
  message: {
    method: 'POST',
    path: '/api/tasks/:id/messages',
    params: { id: taskId },
    access: { roles: DECIDERS, may: "write in a task's thread" },
    status: 201,
    body: shape<{ text: string }>(),
    answer: shape<Message>(),
  },
  /** The pool's runs and today's spend: every signed-in account reads it (as it reads the queue). */
  pool: { method: 'GET', path: '/api/pool', access: 'session', answer: shape<PoolPage>() },
  /** A pooled run's journal, a page at a time from its end. */
  poolJournal: {
    method: 'GET',
    path: '/api/pool/runs/:runId/events',
    params: { runId: poolRunId },
    access: 'session',
    query: z.object({
      before: z.optional(z.coerce.number().check(z.int(), z.minimum(2))),
      limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(JOURNAL_MAX_PAGE))),
    }),
    answer: shape<JournalPage>(),
  },
  stopPooled: {
    method: 'POST',
    path: '/api/pool/runs/:runId/cancel',
    params: { runId: poolRunId },
    access: { roles: DECIDERS, may: 'stop pooled runs' },
    answer: shape<{ runId: string; was: string; status: 'stopped'; by: string }>(),
  },
  accounts: {
    method: 'GET',
    path: '/api/accounts',
    access: { roles: ADMINS, may: 'manage accounts' },
    answer: shape<PublicAccount[]>(),
  },
  /** A changed role or password ends the account's sessions: it applies at once. */
  putAccount: {
    method: 'POST',
    path: '/api/accounts',
    access: { roles: ADMINS, may: 'manage accounts' },
    status: 201,
    body: shape<{ name: string; role: string; password?: string; email?: string | null }>(),
    answer: shape<PublicAccount>(),
  },
  issueToken: {
    method: 'POST',
    path: '/api/accounts/:name/token',
    params: { name: accountName },
    access: { roles: ADMINS, may: 'manage accounts' },
    status: 201,
    answer: shape<{ name: string; token: string }>(),
  },
  revokeToken: {
    method: 'DELETE',
    path: '/api/accounts/:name/token',
    params: { name: accountName },
    access: { roles: ADMINS, may: 'manage accounts' },
    answer: shape<{ ok: true }>(),
  },
  deleteAccount: {
    method: 'DELETE',
    path: '/api/accounts/:name',
    params: { name: accountName },
    access: { roles: ADMINS, may: 'manage accounts' },
    answer: shape<{ ok: true }>(),
  },
  specs: { method: 'GET', path: '/api/specs', access: 'session', answer: shape<PortalSpec[]>() },
  /** The served workspace's change-sets (issue 73), the latest first: each one run with one status per member. */
  changeSets: { method: 'GET', path: '/api/changesets', access: 'session', answer: shape<ChangeSetView[]>() },
  /** The layer a person picks for tasks naming no file (the model's proposal, changed). */
  assignLayers: {
    method: 'POST',
    path: '/api/specs/:specId/layers',
    params: { specId },
    access: { roles: DECIDERS, may: 'assign layers' },
    body: z.strictObject({
      assignments: z
        .array(z.strictObject({ task: layerName, layer: layerName }))
        .check(z.minLength(1), z.maxLength(500)),
    }),
    answer: shape<{ specId: string; assignments: { task: string; layer: string }[]; by: string }>(),
  },
  decideSpec: {
    method: 'POST',
    path: '/api/specs/:specId/decision',
    params: { specId },
    access: { roles: DECIDERS, may: 'decide specs' },
    body: z.object({
      action: decisionAction,
      feedback: z.optional(z.string().check(z.maxLength(20_000))),
      /** A pooled spec's approval only: every layer of its run tried this many times, one kept (docs/attempts.md); absent, the config's. */
      attempts: z.optional(z.int().check(z.minimum(1), z.maximum(MAX_ATTEMPTS))),
    }),
    answer: shape<{
      specId: string;
      action: z.infer<typeof decisionAction>;
      by: string;
      pool?: { runId: string; attempts?: number };
      github?: true;
    }>(),
  },
  gates: { method: 'GET', path: '/api/gates', access: 'session', answer: shape<PortalGate[]>() },
  confirmations: {
    method: 'GET',
    path: '/api/gates/confirmations',
    access: 'session',
    answer: shape<PortalConfirmation[]>(),
  },
  /** Before the gate's decision: a run id of `confirmations` would match both. */
  confirm: {
    method: 'POST',
    path: '/api/gates/confirmations/:runId',
    params: { runId: gateRunId },
    access: { roles: DECIDERS, may: 'answer confirmations' },
    body: z.object({ since: z.string().check(z.maxLength(64)), allow: z.boolean() }),
    answer: shape<{ runId: string; since: string; allow: boolean; by: string }>(),
  },
  decideGate: {
    method: 'POST',
    path: '/api/gates/:runId/decision',
    params: { runId: gateRunId },
    access: { roles: DECIDERS, may: 'decide phase gates' },
    body: z.object({
      phase: z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/)),
      asked: z.number().check(z.int(), z.minimum(0)),
      action: decisionAction,
      feedback: z.optional(z.string().check(z.maxLength(20_000))),
    }),
    answer: shape<{
      runId: string;
      phase: string;
      action: z.infer<typeof decisionAction>;
      by: string;
      pool?: { runId: string };
    }>(),
  },
} as const satisfies Record<string, RouteSpec>;

export type Routes = typeof ROUTES;
export type RouteName = keyof Routes;

type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;
/** A route's path parameters, by name. */
export type ParamsOf<R extends RouteSpec> = { [K in ParamNames<R['path']>]: string };
/** What a route is sent: the input of its schema, or its shape. */
export type BodyOf<R extends RouteSpec> = R extends { body: infer B }
  ? B extends z.ZodMiniType
    ? z.input<B>
    : B
  : never;
/** A route's query as the page writes it: strings under the names its schema (or shape) has. */
export type QueryOf<R extends RouteSpec> = R extends { query: infer Q }
  ? Q extends z.ZodMiniType
    ? { [K in keyof z.output<Q>]?: string }
    : Q
  : never;
export type AnswerOf<R extends RouteSpec> = R['answer'];

const patterns = new Map<RouteSpec, RegExp>();

function patternOf(route: RouteSpec): RegExp {
  let pattern = patterns.get(route);
  if (!pattern) {
    const escaped = route.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    pattern = new RegExp(
      `^${escaped.replace(/:([A-Za-z]+)/g, (_, name: string) => `(?<${name}>${route.params![name]!.source})`)}$`,
    );
    patterns.set(route, pattern);
  }
  return pattern;
}

/** The first route of the table for this method and (still %-encoded) path, with its parameters as the path has them. */
export function matchRoute(
  method: string,
  path: string,
): { name: RouteName; params: Record<string, string> } | undefined {
  for (const [name, route] of Object.entries(ROUTES) as [RouteName, RouteSpec][]) {
    if (route.method !== method) continue;
    const match = patternOf(route).exec(path);
    if (match) return { name, params: { ...match.groups } };
  }
  return undefined;
}

/** The path of a route with its parameters, each %-encoded. */
export function pathOf<R extends RouteSpec>(route: R, params: ParamsOf<R>): string {
  return route.path.replace(/:([A-Za-z]+)/g, (_, name: string) =>
    encodeURIComponent((params as Record<string, string>)[name]!),
  );
}
