/**
 * The pool's tables, on the queue's PostgreSQL database beside the queue's own (their own
 * version table and migration lock, the same machinery: src/core/queue/pgKit.ts). Leases are
 * the database's clock (`now()`), so machines whose clocks drift still agree on who holds a run.
 */
import type { PgRow, PgSchema } from '../core/queue/pgStore';
import type { PoolKind, PoolRun, PoolStatus } from './types';
import { jobChoicesOf } from './jobChoices';
import { CONFIRMATIONS_KEY, CONFIRMATIONS_TABLE } from './poolConfirmations';
import { RECORD_TABLE } from './poolRecord';

const POOL_V1 = [
  `CREATE TABLE IF NOT EXISTS pool_runs (
    run_id TEXT PRIMARY KEY, kind TEXT NOT NULL, request TEXT NOT NULL, spec_id TEXT, spec_path TEXT, spec_markdown TEXT,
    remote TEXT NOT NULL, base_commit TEXT NOT NULL, changes_ref TEXT NOT NULL, changes_commit TEXT NOT NULL,
    flags JSONB NOT NULL DEFAULT '{}', labels TEXT[] NOT NULL DEFAULT '{}', requested_by TEXT NOT NULL,
    status TEXT NOT NULL, phase TEXT, wave TEXT, worker TEXT, lease_until TIMESTAMPTZ, attempts INTEGER NOT NULL DEFAULT 0,
    cost_usd DOUBLE PRECISION NOT NULL DEFAULT 0, reason TEXT, wip_commit TEXT, result_branch TEXT, result_commit TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(), updated_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp())`,
  `CREATE INDEX IF NOT EXISTS pool_runs_status ON pool_runs (status, created_at)`,
  `CREATE INDEX IF NOT EXISTS pool_runs_spec ON pool_runs (spec_id)`,
  // The journal of each pooled run, as its workers appended it (seq is the journal's own).
  `CREATE TABLE IF NOT EXISTS pool_events (
    run_id TEXT NOT NULL REFERENCES pool_runs (run_id), seq INTEGER NOT NULL, entry JSONB NOT NULL, PRIMARY KEY (run_id, seq))`,
  // The team's spend per UTC day.
  `CREATE TABLE IF NOT EXISTS pool_budget (day DATE PRIMARY KEY, spent_usd DOUBLE PRECISION NOT NULL DEFAULT 0, requests INTEGER NOT NULL DEFAULT 0)`,
];

// A pooled run's confirmation waiting for a person (issue 44, poolConfirmations.ts).
const POOL_V2 = [CONFIRMATIONS_TABLE];

// The runners' record of each repository the pool serves (issue 47, poolRecord.ts).
const POOL_V3 = [RECORD_TABLE];

// A confirmation's identity as the engine computes it (issue 62, poolConfirmations.ts).
const POOL_V4 = [CONFIRMATIONS_KEY];

export const POOL_SCHEMA: PgSchema = {
  versionTable: 'orchestrator_pool_schema',
  lock: 804_028,
  migrations: [POOL_V1, POOL_V2, POOL_V3, POOL_V4],
  what: 'pool',
};

const text = (value: unknown): string | undefined =>
  value === null || value === undefined ? undefined : String(value);
const iso = (value: unknown): string => (value instanceof Date ? value.toISOString() : String(value));

export function poolRunOf(row: PgRow): PoolRun {
  const spec =
    text(row.spec_path) !== undefined && text(row.spec_markdown) !== undefined
      ? { path: String(row.spec_path), markdown: String(row.spec_markdown) }
      : undefined;
  const optional = {
    specId: text(row.spec_id),
    spec,
    phase: text(row.phase),
    wave: text(row.wave),
    worker: text(row.worker),
    reason: text(row.reason),
    wipCommit: text(row.wip_commit),
    resultBranch: text(row.result_branch),
    resultCommit: text(row.result_commit),
  };
  return {
    runId: String(row.run_id),
    kind: String(row.kind) as PoolKind,
    request: String(row.request),
    remote: String(row.remote),
    baseCommit: String(row.base_commit),
    changesRef: String(row.changes_ref),
    changesCommit: String(row.changes_commit),
    flags: jobChoicesOf(row.flags),
    labels: (row.labels ?? []) as string[],
    requestedBy: String(row.requested_by),
    status: String(row.status) as PoolStatus,
    costUsd: Number(row.cost_usd ?? 0),
    attempts: Number(row.attempts ?? 0),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
  };
}
