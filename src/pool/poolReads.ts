// The pool's reads (runs, their mirrored journals, today's spend): what the live views, pages and workers ask; poolStore.ts writes.
import type { Pool } from 'pg';
import type { PgRow } from '../core/queue/pgStore';
import { poolRunOf } from './poolSchema';
import { NO_CONFIRMATION, TODAY } from './poolSql';
import type { PoolRun, PoolStatus } from './types';

/** A journal entry as the workers mirror it (the engine's JournalEntry: seq, ts, type, …). */
export type MirroredEntry = { seq: number; type: string } & Record<string, unknown>;

/** PoolStore's base: it holds the connections, which PoolStore opens. */
export class PoolReads {
  protected constructor(
    protected readonly db: Pool,
    readonly url: string,
  ) {}

  async close(): Promise<void> {
    await this.db.end().catch(() => undefined);
  }

  protected async rows(sql: string, params: unknown[] = []): Promise<PgRow[]> {
    return (await this.db.query(sql, params)).rows as PgRow[];
  }

  /** The run's journal as its workers mirrored it, in order. */
  async events(runId: string): Promise<MirroredEntry[]> {
    return (await this.rows('SELECT entry FROM pool_events WHERE run_id = $1 ORDER BY seq', [runId])).map(
      (row) => row.entry as MirroredEntry,
    );
  }

  /**
   * What a run's page shows besides its journal's page: its proof (docs/proof.md: its `proof.*`
   * entries and its latest `trace.updated`, the matrix with the criteria) and its attempts
   * (docs/attempts.md: its `attempt.*` entries), in order; not the whole journal.
   */
  async pageEntries(runId: string): Promise<MirroredEntry[]> {
    const rows = await this.rows(
      `SELECT entry FROM pool_events WHERE run_id = $1 AND (entry->>'type' LIKE 'proof.%' OR entry->>'type' LIKE 'attempt.%'
         OR seq = (SELECT max(seq) FROM pool_events WHERE run_id = $1 AND entry->>'type' = 'trace.updated')) ORDER BY seq`,
      [runId],
    );
    return rows.map((row) => row.entry as MirroredEntry);
  }

  /** The `limit` entries of the run's journal before seq `before` (its end when undefined), in order: one page, read backwards. */
  async eventsBefore(runId: string, before: number | undefined, limit: number): Promise<MirroredEntry[]> {
    const rows = await this.rows(
      'SELECT entry FROM pool_events WHERE run_id = $1 AND ($2::int IS NULL OR seq < $2) ORDER BY seq DESC LIMIT $3',
      [runId, before ?? null, limit],
    );
    return rows.map((row) => row.entry as MirroredEntry).reverse();
  }

  async get(runId: string): Promise<PoolRun | undefined> {
    const [row] = await this.rows('SELECT * FROM pool_runs WHERE run_id = $1', [runId]);
    return row && poolRunOf(row);
  }

  /** Runs waiting at a gate (the spec's, a phase's): `awaiting-approval` but for those set aside on a confirmation, which the portal asks apart. */
  async atGates(): Promise<PoolRun[]> {
    const rows = await this.rows(
      `SELECT * FROM pool_runs r WHERE status = 'awaiting-approval' AND ${NO_CONFIRMATION} ORDER BY created_at, run_id`,
    );
    return rows.map(poolRunOf);
  }

  async list(status?: PoolStatus): Promise<PoolRun[]> {
    const rows = status
      ? await this.rows('SELECT * FROM pool_runs WHERE status = $1 ORDER BY created_at, run_id', [status])
      : await this.rows('SELECT * FROM pool_runs ORDER BY created_at, run_id');
    return rows.map(poolRunOf);
  }

  /**
   * The live views' list: every run still going (queued, running, at the gate) and the `finished`
   * most recently ended, oldest first. Bounded however long the pool has been in use.
   */
  async board(finished = 50): Promise<PoolRun[]> {
    const rows = await this.rows(
      `SELECT * FROM (
         SELECT * FROM pool_runs WHERE status IN ('queued', 'running', 'awaiting-approval')
         UNION ALL
         (SELECT * FROM pool_runs WHERE status NOT IN ('queued', 'running', 'awaiting-approval') ORDER BY updated_at DESC LIMIT $1)
       ) shown ORDER BY created_at, run_id`,
      [finished],
    );
    return rows.map(poolRunOf);
  }

  /** The `github.*` entries of each of these runs (what a run from an issue made or heard on GitHub: the catalogue says which name a link), in order. */
  async githubEntries(runIds: readonly string[]): Promise<Map<string, MirroredEntry[]>> {
    const rows = await this.rows(
      `SELECT run_id, entry FROM pool_events WHERE run_id = ANY($1::text[]) AND entry->>'type' LIKE 'github.%' ORDER BY run_id, seq`,
      [[...runIds]],
    );
    const byRun = new Map<string, MirroredEntry[]>();
    for (const row of rows)
      byRun.set(String(row.run_id), [...(byRun.get(String(row.run_id)) ?? []), row.entry as MirroredEntry]);
    return byRun;
  }

  /** Today's (UTC, the database's clock) spend and model calls across the pool. */
  async spendToday(): Promise<{ day: string; spentUsd: number; requests: number }> {
    const [row] = await this.rows(
      `SELECT to_char(${TODAY}, 'YYYY-MM-DD') AS day, COALESCE(b.spent_usd, 0) AS spent_usd, COALESCE(b.requests, 0) AS requests
       FROM (SELECT 1) one LEFT JOIN pool_budget b ON b.day = ${TODAY}`,
    );
    return { day: String(row!.day), spentUsd: Number(row!.spent_usd), requests: Number(row!.requests) };
  }

  /** Today's (UTC) spend across the pool. */
  async spentToday(): Promise<number> {
    const [row] = await this.rows(`SELECT spent_usd FROM pool_budget WHERE day = ${TODAY}`);
    return row ? Number(row.spent_usd) : 0;
  }
}
