/**
 * Confirmations of pooled runs (issue 44): a worker's run asks (a schema file its spec does not
 * name, a large deletion…) and waits, holding its worker, while the question waits in the
 * database; a supervisor or admin answers in the portal (the spec gate's roles). One question per
 * run. Asked again with the same question (the run resumed by another worker after its own was
 * killed: the engine's one rule, questionKey, kept beside it) it stays the same question, its wait
 * counted from the first asking (the database's clock); past limits.confirmationWaitSec the run
 * stops, resumably.
 */
import { questionKey } from '../core/engineBundle';
import type { ConfirmationRequest } from '../core/host';
import type { Asked } from '../core/questions';
import type { PgRow } from '../core/queue/pgStore';

export type Query = (sql: string, params: unknown[]) => Promise<PgRow[]>;

/** What was asked, with its words (questions.ts). */
export type PooledAsk = Asked & { question: string };

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

  /** Asks (or finds the same question asked before, answered or not); another question replaces it. */
  async ask(runId: string, asked: PooledAsk): Promise<PooledConfirmation> {
    await this.query(
      `INSERT INTO pool_confirmations (run_id, asked, question_key) VALUES ($1, $2::jsonb, $3)
       ON CONFLICT (run_id) DO UPDATE SET asked = EXCLUDED.asked, question_key = EXCLUDED.question_key, since = date_trunc('milliseconds', clock_timestamp()), allowed = NULL, decided_by = NULL
       WHERE pool_confirmations.question_key <> EXCLUDED.question_key`,
      [runId, JSON.stringify(asked), questionKey(asked)],
    );
    return (await this.of(runId))!;
  }

  async of(runId: string): Promise<PooledConfirmation | undefined> {
    const [row] = await this.query(`SELECT ${COLUMNS} FROM pool_confirmations WHERE run_id = $1`, [runId]);
    return row && confirmationOf(row);
  }

  /** The question answered, only if it is still the one asked `since` and unanswered: false otherwise (a stale page). */
  async decide(runId: string, since: string, allowed: boolean, by: string): Promise<boolean> {
    const rows = await this.query(
      `UPDATE pool_confirmations SET allowed = $3, decided_by = $4 WHERE run_id = $1 AND since = $2::timestamptz AND allowed IS NULL RETURNING run_id`,
      [runId, since, allowed, by],
    );
    return rows.length > 0;
  }

  /** Questions no one answered yet, of runs still going (queued again after a worker was lost, or running). */
  async waiting(): Promise<(PooledConfirmation & { request: string; specId?: string })[]> {
    const rows = await this.query(
      `SELECT c.run_id, c.asked, c.since, c.allowed, c.decided_by, EXTRACT(EPOCH FROM clock_timestamp() - c.since) AS waited, r.request, r.spec_id
       FROM pool_confirmations c JOIN pool_runs r ON r.run_id = c.run_id WHERE c.allowed IS NULL AND r.status IN ('queued', 'running') ORDER BY c.since`,
      [],
    );
    return rows.map((row) => ({
      ...confirmationOf(row),
      request: String(row.request),
      ...(row.spec_id ? { specId: String(row.spec_id) } : {}),
    }));
  }

  /** The answer taken (or the wait given up): the run asks anew next time. */
  async clear(runId: string): Promise<void> {
    await this.query('DELETE FROM pool_confirmations WHERE run_id = $1', [runId]);
  }
}

/** How often a waiting worker reads the answer. */
const READ_EVERY_MS = 1000;

/**
 * A worker's run asks and waits for the answer given in the portal. A run stopped meanwhile
 * (cancelled, its worker draining or lost) stops waiting; the question stays for the run's next worker.
 */
export async function waitForConfirmation(
  confirmations: PoolConfirmations,
  runId: string,
  request: ConfirmationRequest,
  signal: AbortSignal,
): Promise<boolean> {
  const { waitSec } = request;
  const { kind, agent, paths, lines, question } = request;
  let asked: PooledConfirmation | undefined = await confirmations.ask(runId, {
    kind,
    agent,
    paths,
    ...(lines !== undefined ? { lines } : {}),
    question,
  });
  while (!signal.aborted) {
    if (asked?.allowed !== undefined) {
      await confirmations.clear(runId);
      return asked.allowed;
    }
    if (!asked || asked.waitedSec >= waitSec) {
      await confirmations.clear(runId);
      throw new Error(`no answer to the confirmation in the portal within ${waitSec} s (limits.confirmationWaitSec)`);
    }
    await pause(Math.min(READ_EVERY_MS, (waitSec - asked.waitedSec) * 1000), signal);
    asked = await confirmations.of(runId);
  }
  return false;
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
