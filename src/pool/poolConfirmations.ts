/**
 * Confirmations of pooled runs (issue 44): a worker's run asks (a schema file its spec does not
 * name, a large deletion…); the question waits in the database and the run is set aside
 * (`question.parked`), waiting at `awaiting-approval` and holding no worker. A supervisor or admin
 * answers in the portal (the spec gate's roles): the answer queues the run again with it
 * (`flags.answer`), and whichever worker takes it continues it through the engine's
 * `answerQuestion` (issue 72: the one way a parked question is answered). One question per run.
 * Asked again with the same question (the run resumed after its worker was killed before it set
 * the run aside: the engine's one rule, questionKey, kept beside it) it stays the same question,
 * its wait counted from the first asking (the database's clock); past limits.confirmationWaitSec
 * unanswered, a worker stops the run, resumably (expire).
 */
import { questionKey } from '../core/engineBundle';
import type { Asked } from '../core/questions';
import type { PgRow } from '../core/queue/pgStore';
import { announced } from './poolSql';

export type Query = (sql: string, params: unknown[]) => Promise<PgRow[]>;

/** What was asked, with its words (questions.ts), the journaled question's id and its wait. */
export type PooledAsk = Asked & { question: string; questionId?: string; waitSec?: number };

export interface PooledConfirmation {
  runId: string;
  asked: PooledAsk;
  /** When it was first asked (ISO, the database's clock): names the question a decision answers. */
  since: string;
  /** Seconds since then, by the database's clock. */
  waitedSec: number;
  allowed?: boolean;
  by?: string;
}

/** Created by the pool's second migration (poolSchema.ts). `since` to the millisecond: a page names the question by it, as JSON dates go. */
export const CONFIRMATIONS_TABLE = `CREATE TABLE IF NOT EXISTS pool_confirmations (
  run_id TEXT PRIMARY KEY REFERENCES pool_runs (run_id), asked JSONB NOT NULL, since TIMESTAMPTZ NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
  allowed BOOLEAN, decided_by TEXT)`;

/** The fourth migration: the question's identity as the engine computes it (questionKey), which "asked again" compares. A question asked before it is asked anew once. */
export const CONFIRMATIONS_KEY = `ALTER TABLE pool_confirmations ADD COLUMN IF NOT EXISTS question_key TEXT NOT NULL DEFAULT ''`;

const COLUMNS = `run_id, asked, since, allowed, decided_by, EXTRACT(EPOCH FROM clock_timestamp() - since) AS waited`;

function confirmationOf(row: PgRow): PooledConfirmation {
  return {
    runId: String(row.run_id),
    asked: row.asked as PooledAsk,
    since: row.since instanceof Date ? row.since.toISOString() : String(row.since),
    waitedSec: Number(row.waited ?? 0),
    ...(row.allowed === null || row.allowed === undefined ? {} : { allowed: Boolean(row.allowed) }),
    ...(row.decided_by ? { by: String(row.decided_by) } : {}),
  };
}

export class PoolConfirmations {
  constructor(private readonly query: Query) {}

  /**
   * Asks (or finds the same question asked before: its wait counted from then); another question
   * replaces it. An answer stays only with the asking it answered (the journaled question's id).
   */
  async ask(runId: string, asked: PooledAsk): Promise<PooledConfirmation> {
    await this.query(
      `INSERT INTO pool_confirmations (run_id, asked, question_key) VALUES ($1, $2::jsonb, $3)
       ON CONFLICT (run_id) DO UPDATE SET asked = EXCLUDED.asked, question_key = EXCLUDED.question_key,
         since = CASE WHEN pool_confirmations.question_key = EXCLUDED.question_key THEN pool_confirmations.since ELSE date_trunc('milliseconds', clock_timestamp()) END,
         allowed = NULL, decided_by = NULL
       WHERE pool_confirmations.question_key <> EXCLUDED.question_key OR pool_confirmations.asked->>'questionId' IS DISTINCT FROM EXCLUDED.asked->>'questionId'`,
      [runId, JSON.stringify(asked), questionKey(asked)],
    );
    return (await this.of(runId))!;
  }

  async of(runId: string): Promise<PooledConfirmation | undefined> {
    const [row] = await this.query(`SELECT ${COLUMNS} FROM pool_confirmations WHERE run_id = $1`, [runId]);
    return row && confirmationOf(row);
  }

  /**
   * The question answered, only if it is still the one asked `since` and unanswered: false
   * otherwise (a stale page). The run set aside on it is queued again with the answer.
   */
  async decide(runId: string, since: string, allowed: boolean, by: string): Promise<boolean> {
    const rows = await this.query(
      `UPDATE pool_confirmations SET allowed = $3, decided_by = $4 WHERE run_id = $1 AND since = $2::timestamptz AND allowed IS NULL RETURNING run_id`,
      [runId, since, allowed, by],
    );
    if (rows.length === 0) return false;
    await this.continueAnswered(runId);
    return true;
  }

  /**
   * The run set aside on its answered question, queued again with the answer (`flags.answer`) for
   * any worker, which continues it through engine.answerQuestion; the question goes from the table
   * (the journal keeps it and its answer). Called by the answer and by the
   * worker once it has set the run aside: whichever comes second queues it (each is its own
   * statement, so the later one sees the other's write). Whether it was queued.
   */
  async continueAnswered(runId: string): Promise<boolean> {
    const rows = await this.query(
      `WITH answered AS (DELETE FROM pool_confirmations c USING pool_runs r
         WHERE c.run_id = $1 AND r.run_id = c.run_id AND r.status = 'awaiting-approval' AND c.allowed IS NOT NULL AND c.asked ? 'questionId'
         RETURNING c.run_id, c.asked->>'questionId' AS question_id, c.allowed, c.decided_by)
       UPDATE pool_runs r SET status = 'queued', reason = NULL, updated_at = clock_timestamp(),
         flags = (r.flags - 'answer') || jsonb_build_object('answer', jsonb_build_object('questionId', a.question_id,
           'answer', CASE WHEN a.allowed THEN 'yes' ELSE 'no' END, 'by', a.decided_by))
       FROM answered a WHERE r.run_id = a.run_id RETURNING r.run_id, ${announced('r.')}`,
      [runId],
    );
    return rows.length > 0;
  }

  /**
   * Runs set aside on a question no one answered within its wait (limits.confirmationWaitSec, as
   * the run asked it): stopped, saying so, their question gone (a resumed run asks anew). The runs stopped.
   */
  async expire(): Promise<{ runId: string; reason: string }[]> {
    const rows = await this.query(
      `WITH expired AS (DELETE FROM pool_confirmations c USING pool_runs r
         WHERE r.run_id = c.run_id AND r.status = 'awaiting-approval' AND c.allowed IS NULL AND c.asked ? 'waitSec'
           AND clock_timestamp() - c.since >= make_interval(secs => (c.asked->>'waitSec')::float8)
         RETURNING c.run_id, c.asked->>'waitSec' AS wait)
       UPDATE pool_runs r SET status = 'stopped', updated_at = clock_timestamp(),
         reason = 'no answer to the confirmation in the portal within ' || expired.wait || ' s (limits.confirmationWaitSec)'
       FROM expired WHERE r.run_id = expired.run_id RETURNING r.run_id, r.reason, ${announced('r.')}`,
      [],
    );
    return rows.map((row) => ({ runId: String(row.run_id), reason: String(row.reason) }));
  }

  /** Questions no one answered yet, of runs still going (set aside on it, or queued again, or running until they are set aside). */
  async waiting(): Promise<(PooledConfirmation & { request: string; specId?: string })[]> {
    const rows = await this.query(
      `SELECT c.run_id, c.asked, c.since, c.allowed, c.decided_by, EXTRACT(EPOCH FROM clock_timestamp() - c.since) AS waited, r.request, r.spec_id
       FROM pool_confirmations c JOIN pool_runs r ON r.run_id = c.run_id WHERE c.allowed IS NULL AND r.status IN ('queued', 'running', 'awaiting-approval') ORDER BY c.since`,
      [],
    );
    return rows.map((row) => ({
      ...confirmationOf(row),
      request: String(row.request),
      ...(row.spec_id ? { specId: String(row.spec_id) } : {}),
    }));
  }
}
