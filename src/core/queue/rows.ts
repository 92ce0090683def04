/**
 * The queue's tables, shared by both stores: one schema, one row ↔ object mapping. Times are
 * ISO strings in UTC on both sides, so comparing them as text orders them in time.
 */
import { randomBytes } from 'node:crypto';
import type { Artifact, ArtifactDecision, Message, Task, TaskStatus } from './types';

/** Bumped when the tables change; each store migrates from the version it finds. */
export const SCHEMA_VERSION = 2;

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
const SCHEMA_V2 = [`ALTER TABLE artifacts ADD COLUMN deciding_by TEXT`, `ALTER TABLE artifacts ADD COLUMN deciding_until TEXT`];

/** MIGRATIONS[v] takes a queue at version v to v + 1. */
export const MIGRATIONS: readonly (readonly string[])[] = [SCHEMA_V1, SCHEMA_V2];

/** Short ids people can type (`task review t-3f9a1c2b`), random so machines sharing a queue never collide in practice. */
export function newId(prefix: 't' | 'a' | 'm'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

export type Row = Record<string, unknown>;

const text = (value: unknown): string | undefined => (value === null || value === undefined ? undefined : String(value));

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
  const optional = { layer: text(row.layer), runId: text(row.run_id), specId: text(row.spec_id), claimer: text(row.claimer), leaseUntil: text(row.lease_until) };
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
    const decision: ArtifactDecision = { verdict: String(row.verdict) as ArtifactDecision['verdict'], by: String(row.decided_by), at: String(row.decided_at) };
    if (row.comment !== null && row.comment !== undefined) decision.comment = String(row.comment);
    if (row.refusal !== null && row.refusal !== undefined) decision.refusal = String(row.refusal);
    artifact.decision = decision;
  }
  return artifact;
}

export function messageOf(row: Row): Message {
  return { id: String(row.id), taskId: String(row.task_id), author: String(row.author), text: String(row.text), at: String(row.at) };
}

export const leaseEnd = (now: Date, leaseSec: number): string => new Date(now.getTime() + leaseSec * 1000).toISOString();
