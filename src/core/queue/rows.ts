/**
 * The queue's tables, shared by both stores: one schema, one row ↔ object mapping. Times are
 * ISO strings in UTC on both sides, so comparing them as text orders them in time.
 */
import { randomBytes } from 'node:crypto';
import type {
  Account,
  Artifact,
  ArtifactDecision,
  Message,
  PendingSignIn,
  PortalSession,
  Reply,
  Role,
  SignInCount,
  Task,
  TaskFilter,
  TaskStatus,
} from './types';

/** Bumped when the tables change; each store migrates from the version it finds. */
export const SCHEMA_VERSION = 5;

const SCHEMA_V1 = [
  `CREATE TABLE IF NOT EXISTS tasks (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, description TEXT NOT NULL, source TEXT NOT NULL,
    status TEXT NOT NULL, layer TEXT, run_id TEXT, spec_id TEXT, claimer TEXT, lease_until TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS tasks_status ON tasks (status)`,
  `CREATE TABLE IF NOT EXISTS artifacts (
    id TEXT PRIMARY KEY, task_id TEXT NOT NULL REFERENCES tasks (id), type TEXT NOT NULL,
    content TEXT NOT NULL, path TEXT, submitted_by TEXT NOT NULL, submitted_at TEXT NOT NULL,
    verdict TEXT, comment TEXT, decided_by TEXT, decided_at TEXT, refusal TEXT)`,
  `CREATE INDEX IF NOT EXISTS artifacts_task ON artifacts (task_id)`,
  `CREATE TABLE IF NOT EXISTS messages (
    id TEXT PRIMARY KEY, task_id TEXT NOT NULL REFERENCES tasks (id), author TEXT NOT NULL,
    text TEXT NOT NULL, at TEXT NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS messages_task ON messages (task_id)`,
];

/**
 * Version 2: the hold on a decision. A reviewer first takes the artifact (compare-and-set on
 * `verdict IS NULL` and no live hold), then writes, validates and restores under that hold, and
 * records the verdict only while still holding it: one decision per artifact, whoever races.
 */
const SCHEMA_V2 = [
  `ALTER TABLE artifacts ADD COLUMN deciding_by TEXT`,
  `ALTER TABLE artifacts ADD COLUMN deciding_until TEXT`,
];

/**
 * Version 3: the supervisor portal (src/portal). Accounts with a role, a password hash and an
 * agent's MCP token hash; a task's requester (who to answer on its channel); webhook deliveries
 * already stored (a redelivery creates no second task); replies owed to requesters (an outbox:
 * kept until sent, retried with the last error shown).
 */
const SCHEMA_V3 = [
  `ALTER TABLE tasks ADD COLUMN requester TEXT`,
  `CREATE TABLE IF NOT EXISTS accounts (
    name TEXT PRIMARY KEY, role TEXT NOT NULL, password_hash TEXT, token_hash TEXT UNIQUE, created_at TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS deliveries (id TEXT PRIMARY KEY, task_id TEXT NOT NULL REFERENCES tasks (id), at TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS replies (
    id TEXT PRIMARY KEY, task_id TEXT NOT NULL REFERENCES tasks (id), channel TEXT NOT NULL, recipient TEXT NOT NULL,
    body TEXT NOT NULL, created_at TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_at TEXT NOT NULL,
    last_error TEXT, sent_at TEXT)`,
  `CREATE INDEX IF NOT EXISTS replies_due ON replies (sent_at, next_at)`,
];

/**
 * Version 4: sign-in shared by a team's `serve` processes. An account's email (OpenID Connect
 * sign-in maps a verified email to it; stored lower-case, one account per email); the portal's
 * sessions, by the SHA-256 of their id (the raw id lives only in the browser's cookie); OpenID
 * Connect sign-ins under way, by the SHA-256 of their state (the callback may reach any process).
 */
const SCHEMA_V4 = [
  `ALTER TABLE accounts ADD COLUMN email TEXT`,
  `CREATE UNIQUE INDEX IF NOT EXISTS accounts_email ON accounts (email)`,
  `CREATE TABLE IF NOT EXISTS sessions (
    id_hash TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL, csrf TEXT NOT NULL, created_at TEXT NOT NULL, last_seen TEXT NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS sessions_name ON sessions (name)`,
  `CREATE INDEX IF NOT EXISTS sessions_last_seen ON sessions (last_seen)`,
  `CREATE TABLE IF NOT EXISTS oidc_pending (
    state_hash TEXT PRIMARY KEY, verifier TEXT NOT NULL, nonce TEXT NOT NULL, browser_hash TEXT NOT NULL, created_at TEXT NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS oidc_pending_created ON oidc_pending (created_at)`,
];

/**
 * Version 5: a bad day (issue 31). Sign-in attempts counted in the store, before any password is
 * checked, per key (`name:…`, `addr:…`, `email:…`) in a fixed window: shared by every `serve`
 * process on the queue and kept across restarts. Indexes for the task list's pages (keyset on
 * created_at, id; filtered by status or source) and its counts per status.
 */
const SCHEMA_V5 = [
  `CREATE TABLE IF NOT EXISTS signin_attempts (key TEXT PRIMARY KEY, count INTEGER NOT NULL, window_start TEXT NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS signin_attempts_window ON signin_attempts (window_start)`,
  `CREATE INDEX IF NOT EXISTS tasks_order ON tasks (created_at, id)`,
  `CREATE INDEX IF NOT EXISTS tasks_status_order ON tasks (status, created_at, id)`,
  `CREATE INDEX IF NOT EXISTS tasks_source_order ON tasks (source, created_at, id)`,
];

/** MIGRATIONS[v] takes a queue at version v to v + 1. */
export const MIGRATIONS: readonly (readonly string[])[] = [SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SCHEMA_V4, SCHEMA_V5];

export const signInCountOf = (row: Row): SignInCount => ({
  key: String(row.key),
  count: Number(row.count),
  windowStart: String(row.window_start),
});

/** Short ids people can type (`task review t-3f9a1c2b`), random so machines sharing a queue never collide in practice. */
export function newId(prefix: 't' | 'a' | 'm' | 'r'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

export type Row = Record<string, unknown>;

const text = (value: unknown): string | undefined =>
  value === null || value === undefined ? undefined : String(value);

export function taskOf(row: Row): Task {
  const task: Task = {
    id: String(row.id),
    title: String(row.title),
    description: String(row.description),
    source: String(row.source),
    status: String(row.status) as TaskStatus,
    createdAt: String(row.created_at),
    updatedAt: String(row.updated_at),
  };
  const optional = {
    requester: text(row.requester),
    layer: text(row.layer),
    runId: text(row.run_id),
    specId: text(row.spec_id),
    claimer: text(row.claimer),
    leaseUntil: text(row.lease_until),
  };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) (task as unknown as Row)[key] = value;
  return task;
}

export function artifactOf(row: Row): Artifact {
  const artifact: Artifact = {
    id: String(row.id),
    taskId: String(row.task_id),
    type: String(row.type) as Artifact['type'],
    content: String(row.content),
    submittedBy: String(row.submitted_by),
    submittedAt: String(row.submitted_at),
  };
  if (row.path !== null && row.path !== undefined) artifact.path = String(row.path);
  if (row.verdict !== null && row.verdict !== undefined) {
    const decision: ArtifactDecision = {
      verdict: String(row.verdict) as ArtifactDecision['verdict'],
      by: String(row.decided_by),
      at: String(row.decided_at),
    };
    if (row.comment !== null && row.comment !== undefined) decision.comment = String(row.comment);
    if (row.refusal !== null && row.refusal !== undefined) decision.refusal = String(row.refusal);
    artifact.decision = decision;
  }
  return artifact;
}

export function messageOf(row: Row): Message {
  return {
    id: String(row.id),
    taskId: String(row.task_id),
    author: String(row.author),
    text: String(row.text),
    at: String(row.at),
  };
}

/** The WHERE of a task list, with its parameters in order; `mark()` makes each placeholder (`?`, `$1`…). */
export function taskWhere(filter: TaskFilter, mark: () => string): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (filter.status !== undefined) {
    clauses.push(`status = ${mark()}`);
    params.push(filter.status);
  }
  if (filter.source !== undefined) {
    clauses.push(`source = ${mark()}`);
    params.push(filter.source);
  }
  if (filter.after) {
    clauses.push(`(created_at, id) > (${mark()}, ${mark()})`);
    params.push(filter.after.createdAt, filter.after.id);
  }
  return { where: clauses.length ? ` WHERE ${clauses.join(' AND ')}` : '', params };
}

export const leaseEnd = (now: Date, leaseSec: number): string =>
  new Date(now.getTime() + leaseSec * 1000).toISOString();

export function accountOf(row: Row): Account {
  const account: Account = {
    name: String(row.name),
    role: String(row.role) as Role,
    createdAt: String(row.created_at),
    hasToken: row.token_hash !== null && row.token_hash !== undefined,
  };
  if (row.password_hash !== null && row.password_hash !== undefined) account.passwordHash = String(row.password_hash);
  if (row.email !== null && row.email !== undefined) account.email = String(row.email);
  return account;
}

export function sessionOf(row: Row): PortalSession {
  return {
    idHash: String(row.id_hash),
    name: String(row.name),
    role: String(row.role) as Role,
    csrf: String(row.csrf),
    createdAt: String(row.created_at),
    lastSeen: String(row.last_seen),
  };
}

export function replyOf(row: Row): Reply {
  const reply: Reply = {
    id: String(row.id),
    taskId: String(row.task_id),
    channel: String(row.channel),
    recipient: String(row.recipient),
    body: String(row.body),
    createdAt: String(row.created_at),
    attempts: Number(row.attempts),
    nextAt: String(row.next_at),
  };
  if (row.last_error !== null && row.last_error !== undefined) reply.lastError = String(row.last_error);
  if (row.sent_at !== null && row.sent_at !== undefined) reply.sentAt = String(row.sent_at);
  return reply;
}

export function pendingSignInOf(row: Row): PendingSignIn {
  return {
    stateHash: String(row.state_hash),
    verifier: String(row.verifier),
    nonce: String(row.nonce),
    browserHash: String(row.browser_hash),
    createdAt: String(row.created_at),
  };
}
