/**
 * The pool's store on PostgreSQL. No coordinator of our own: a worker claims the oldest run it
 * can take with `FOR UPDATE SKIP LOCKED` (two workers never take the same row, and neither
 * waits for the other) and holds it by a lease it renews; a run whose lease lapsed is free to any
 * worker. The team's budget per UTC day and the cap on runs at once are kept here too, so they
 * hold across machines. Every change is announced on one NOTIFY channel for live views (reads: poolReads.ts).
 */
import type { Pool } from 'pg';
import { inTransaction, listenChannel, openPgPool, type PgRow } from '../core/queue/pgStore';
import { PoolConfirmations } from './poolConfirmations';
import { poolRecord } from './poolRecord';
import type { RunnerRecord } from '../core/engineBundle';
import { PoolReads, type MirroredEntry } from './poolReads';
import { POOL_SCHEMA, poolRunOf } from './poolSchema';
import { checkedJobChoices } from './jobChoices';
import {
  POOL_BUDGET_LIMIT,
  type PoolChange,
  type JobChoices,
  type PoolRequest,
  type PoolRun,
  type PoolStatus,
  type RunEnd,
  type RunUpdate,
} from './types';
import {
  announced,
  CANDIDATE,
  CHANNEL,
  CLAIM_LOCK,
  LAST_SEQ,
  NO_CONFIRMATION,
  NOTES_INSERT,
  take,
  TODAY,
} from './poolSql';

export type { MirroredEntry } from './poolReads';

/** A journal entry a channel adds (its seq is given where it lands). */
export type NoteEntry = { type: string; ts: string } & Record<string, unknown>;

/** A decision at a gate: only on the journal's end as read (`journalEnd`), with what the deciding channel journals (`notes`), and who decided. */
export interface GateExtra {
  journalEnd?: number;
  notes?: readonly NoteEntry[];
  by?: string;
}

/** What an approval at the spec's gate adds to the run's choices. */
export type ApprovalFlags = Pick<JobChoices, 'allowUntested' | 'attempts'>;

export interface ClaimLimits {
  /** Only runs of this repository (remoteKey of its remote): one database may serve several. */
  repository?: string;
  maxConcurrentRuns?: number;
  budgetUsdPerDay?: number;
}

export class PoolStore extends PoolReads {
  /** The runs' confirmations waiting for a person (poolConfirmations.ts). */
  readonly confirmations = new PoolConfirmations((sql, params) => this.rows(sql, params));

  private constructor(db: Pool, url: string) {
    super(db, url);
  }

  static async open(url: string, connections = 4): Promise<PoolStore> {
    return new PoolStore(await openPgPool(url, POOL_SCHEMA, connections), url);
  }

  /** The runners' record of one repository (remoteKey of its remote) the pool serves (issue 47). */
  runnerRecord(repository: string): RunnerRecord {
    return poolRecord((sql, params) => this.rows(sql, params), repository);
  }

  async dispatch(request: PoolRequest): Promise<PoolRun> {
    const [row] = await this.rows(
      `INSERT INTO pool_runs (run_id, kind, request, spec_id, spec_path, spec_markdown, remote, base_commit, changes_ref, changes_commit, flags, labels, requested_by, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'queued') RETURNING *, ${announced()}`,
      [
        request.runId,
        request.kind,
        request.request,
        request.specId ?? null,
        request.spec?.path ?? null,
        request.spec?.markdown ?? null,
        request.remote,
        request.baseCommit,
        request.changesRef,
        request.changesCommit,
        JSON.stringify(checkedJobChoices(request.flags)),
        request.labels,
        request.requestedBy,
      ],
    );
    return poolRunOf(row!);
  }

  /**
   * The oldest run this worker may take: queued, or running under a lease that lapsed, and
   * asking only for labels the worker has. One statement (one round trip) in the usual case; a
   * run the day's budget keeps from starting is marked stopped instead (and returned as such).
   */
  async claim(
    worker: string,
    labels: readonly string[],
    leaseSec: number,
    limits: ClaimLimits = {},
  ): Promise<PoolRun | undefined> {
    if (limits.maxConcurrentRuns !== undefined) return this.claimCounted(worker, labels, leaseSec, limits);
    const [row] = await this.rows(
      `WITH candidate AS (${CANDIDATE} AND ($4::float8 IS NULL OR COALESCE((SELECT spent_usd FROM pool_budget WHERE day = ${TODAY}), 0) < $4)
         ORDER BY created_at, run_id LIMIT 1 FOR UPDATE SKIP LOCKED)
       ${take('$3', '$5')} FROM candidate WHERE r.run_id = candidate.run_id RETURNING r.*, ${announced('r.')}`,
      [[...labels], limits.repository ?? null, worker, limits.budgetUsdPerDay ?? null, leaseSec],
    );
    if (row) return poolRunOf(row);
    // Nothing taken: perhaps because the day's budget is spent; then the next run is stopped, saying why.
    if (limits.budgetUsdPerDay !== undefined && (await this.spentToday()) >= limits.budgetUsdPerDay)
      return this.claimCounted(worker, labels, leaseSec, limits);
    return undefined;
  }

  /**
   * The claim counting the runs going at once (claims take turns on a transaction lock, so two
   * cannot both see room for one more), or stopping a run the day's budget keeps from starting.
   * After the lock, the count, the budget and the take are one statement: a turn is three round
   * trips (lock, claim, commit), not six. Its snapshot is taken after the lock, so it sees every
   * claim made before its turn. A worker with nothing to take does not queue for the lock at all
   * (a run queued after that look is announced, and the worker looks again).
   */
  private async claimCounted(
    worker: string,
    labels: readonly string[],
    leaseSec: number,
    limits: ClaimLimits,
  ): Promise<PoolRun | undefined> {
    const capped = limits.maxConcurrentRuns !== undefined;
    // Every parameter is used whatever the limits (PostgreSQL must know each one's type); a null limit holds nothing.
    const sql = `WITH candidate AS (${CANDIDATE}
        AND ($6::int IS NULL OR (SELECT count(*) FROM pool_runs WHERE status = 'running' AND lease_until >= now()) < $6::int)
        ORDER BY created_at, run_id LIMIT 1 FOR UPDATE SKIP LOCKED),
      budget AS (SELECT ($5::float8 IS NOT NULL AND COALESCE((SELECT spent_usd FROM pool_budget WHERE day = ${TODAY}), 0) >= $5::float8) AS spent)
      UPDATE pool_runs r SET status = CASE WHEN budget.spent THEN 'stopped' ELSE 'running' END,
        worker = CASE WHEN budget.spent THEN r.worker ELSE $3::text END,
        lease_until = CASE WHEN budget.spent THEN NULL ELSE now() + make_interval(secs => $4::float8) END,
        attempts = CASE WHEN budget.spent THEN r.attempts ELSE r.attempts + 1 END,
        reason = CASE WHEN budget.spent THEN $7::text ELSE NULL END, updated_at = clock_timestamp()
      FROM candidate, budget WHERE r.run_id = candidate.run_id RETURNING r.*, ${announced('r.')}`;
    const params = [
      [...labels],
      limits.repository ?? null,
      worker,
      leaseSec,
      limits.budgetUsdPerDay ?? null,
      limits.maxConcurrentRuns ?? null,
      POOL_BUDGET_LIMIT,
    ];
    const claimed = async (
      query: (sql: string, params: unknown[]) => Promise<PgRow[]>,
    ): Promise<PoolRun | undefined> => {
      const [row] = await query(sql, params);
      return row && poolRunOf(row);
    };
    if (!capped) return claimed((text, values) => this.rows(text, values));
    // Nothing to take (the usual answer to an idle worker's look): said without queueing for the lock.
    const [any] = await this.rows(`${CANDIDATE} LIMIT 1`, [[...labels], limits.repository ?? null]);
    if (!any) return undefined;
    return inTransaction(this.db, async (query) => {
      await query('SELECT pg_advisory_xact_lock($1)', [CLAIM_LOCK]);
      return claimed(query);
    });
  }

  /** Renews the lease; false when the run is no longer this worker's (its lease lapsed and another took it). */
  async heartbeat(runId: string, worker: string, leaseSec: number): Promise<boolean> {
    const rows = await this.rows(
      `UPDATE pool_runs SET lease_until = now() + make_interval(secs => $3) WHERE run_id = $1 AND worker = $2 AND status = 'running' RETURNING run_id`,
      [runId, worker, leaseSec],
    );
    return rows.length > 0;
  }

  /** Mirrors journal entries, only while the run is this worker's: a worker that lost it writes nothing more. */
  /**
   * Appends journal entries while the worker still holds the run, with the run's progress (phase,
   * wave, cost, the wip commit the entries' push left on the remote), in one statement: the row is
   * locked first, so a worker that lost the run between two batches writes nothing.
   */
  async appendEvents(
    runId: string,
    worker: string,
    entries: readonly MirroredEntry[],
    progress: RunUpdate = {},
  ): Promise<boolean> {
    if (entries.length === 0) return true;
    const [row] = await this.rows(
      `WITH held AS (SELECT run_id FROM pool_runs WHERE run_id = $1 AND worker = $2 AND status = 'running' FOR UPDATE),
       added AS (INSERT INTO pool_events (run_id, seq, entry) SELECT held.run_id, e.seq, e.entry FROM held, jsonb_to_recordset($3::jsonb) AS e(seq int, entry jsonb)
         ON CONFLICT (run_id, seq) DO UPDATE SET entry = excluded.entry),
       moved AS (UPDATE pool_runs r SET phase = COALESCE($4, r.phase), wave = COALESCE($5, r.wave), cost_usd = COALESCE($6, r.cost_usd), wip_commit = COALESCE($7, r.wip_commit),
         updated_at = clock_timestamp() FROM held WHERE r.run_id = held.run_id RETURNING r.run_id, ${announced('r.')})
       SELECT (SELECT count(*) FROM moved)::int AS held`,
      [
        runId,
        worker,
        JSON.stringify(entries.map((entry) => ({ seq: entry.seq, entry }))),
        progress.phase ?? null,
        progress.wave ?? null,
        progress.costUsd ?? null,
        progress.wipCommit ?? null,
      ],
    );
    return row?.held === 1;
  }

  async update(runId: string, worker: string, update: RunUpdate): Promise<boolean> {
    const [row] = await this.rows(
      `UPDATE pool_runs SET phase = COALESCE($3, phase), wave = COALESCE($4, wave), cost_usd = COALESCE($5, cost_usd), wip_commit = COALESCE($6, wip_commit),
         updated_at = clock_timestamp() WHERE run_id = $1 AND worker = $2 AND status = 'running' RETURNING run_id, ${announced()}`,
      [runId, worker, update.phase ?? null, update.wave ?? null, update.costUsd ?? null, update.wipCommit ?? null],
    );
    return row !== undefined;
  }

  /** The run ends here (or waits at the spec gate, holding no worker). The worker's name stays on it. */
  async finish(runId: string, worker: string, end: RunEnd): Promise<boolean> {
    const [row] = await this.rows(
      `UPDATE pool_runs SET status = $3, reason = $4, spec_id = COALESCE($5, spec_id), spec_path = COALESCE($6, spec_path), spec_markdown = COALESCE($7, spec_markdown),
         result_branch = COALESCE($8, result_branch), result_commit = COALESCE($9, result_commit), wip_commit = COALESCE($10, wip_commit),
         cost_usd = COALESCE($11, cost_usd), lease_until = NULL, updated_at = clock_timestamp()
       WHERE run_id = $1 AND worker = $2 AND status = 'running' RETURNING run_id, ${announced()}`,
      [
        runId,
        worker,
        end.status,
        end.reason ?? null,
        end.specId ?? null,
        end.spec?.path ?? null,
        end.spec?.markdown ?? null,
        end.resultBranch ?? null,
        end.resultCommit ?? null,
        end.wipCommit ?? null,
        end.costUsd ?? null,
      ],
    );
    return row !== undefined;
  }

  /** A draining worker gives a run back: queued again, for any worker to resume. */
  async handBack(runId: string, worker: string): Promise<boolean> {
    const [row] = await this.rows(
      `UPDATE pool_runs SET status = 'queued', lease_until = NULL, updated_at = clock_timestamp() WHERE run_id = $1 AND worker = $2 AND status = 'running' RETURNING run_id, ${announced()}`,
      [runId, worker],
    );
    return row !== undefined;
  }

  /**
   * `approve <specId>` of a run waiting at the gate: queued again for any free worker with the
   * approval of that gate only (`approval.seq`: the last journal entry mirrored when approved, the
   * gate's question; a worker applies it only while the run still waits there, so the gates after
   * it ask again). `allowUntested` (`approve … --allow-untested`) and `attempts` (`approve …
   * --attempts N`, the portal's Approve: docs/attempts.md) join the flags it travels with.
   * `journalEnd` (a page's read of the gate): approved only while the run's journal still ends
   * there, so an approval given on what was read cannot answer a later gate of the same run.
   * `notes` (what the deciding channel did, `github.spec.decided`) join the journal in the same statement.
   */
  async approve(specId: string, extra: GateExtra & ApprovalFlags = {}): Promise<PoolRun | undefined> {
    const flags: ApprovalFlags = {
      ...(extra.allowUntested ? { allowUntested: true } : {}),
      ...(extra.attempts !== undefined ? { attempts: extra.attempts } : {}),
    };
    return this.decideAtGate(specId, flags, 'approval', extra.by !== undefined ? { by: extra.by } : {}, extra);
  }

  /**
   * Changes asked of a run waiting at the gate (`/changes <what>` on its GitHub issue): queued again
   * for any free worker with that gate's answer `changes` (`changes.seq`, as an approval's), whose
   * spec agent writes the spec again with the feedback; the run then waits at the gate again.
   */
  async requestChanges(
    specId: string,
    changes: { feedback: string; by: string },
    extra: GateExtra = {},
  ): Promise<PoolRun | undefined> {
    return this.decideAtGate(specId, {}, 'changes', changes, extra);
  }

  private async decideAtGate(
    specId: string,
    flags: object,
    key: 'approval' | 'changes',
    decision: object,
    extra: GateExtra,
  ): Promise<PoolRun | undefined> {
    const [row] = await this.rows(
      `WITH target AS (SELECT r.run_id, ${LAST_SEQ} AS last FROM pool_runs r WHERE r.spec_id = $1 AND r.status = 'awaiting-approval' AND ${NO_CONFIRMATION} ORDER BY r.created_at DESC LIMIT 1 FOR UPDATE),
       ok AS (SELECT * FROM target WHERE $3::int IS NULL OR last = $3::int),
       noted AS (${NOTES_INSERT('ok', '$4')})
       UPDATE pool_runs r SET status = 'queued', reason = NULL, updated_at = clock_timestamp(),
         flags = (r.flags - 'approval' - 'changes') || $2::jsonb || jsonb_build_object($5::text, $6::jsonb || jsonb_build_object('seq', ok.last + jsonb_array_length($4::jsonb)))
       FROM ok WHERE r.run_id = ok.run_id RETURNING r.*, ${announced('r.')}`,
      [
        specId,
        JSON.stringify(flags),
        extra.journalEnd ?? null,
        JSON.stringify(extra.notes ?? []),
        key,
        JSON.stringify(decision),
      ],
    );
    return row && poolRunOf(row);
  }

  /**
   * Entries a channel adds to a run's journal (`github.*`: what it made or heard), after its last,
   * only while no worker writes it (waiting at a gate, or ended): a worker's own entries take the
   * next seqs. The journal's new end; undefined when a worker may be writing it (queued, running).
   */
  async note(runId: string, entries: readonly NoteEntry[]): Promise<number | undefined> {
    const [row] = await this.rows(
      `WITH target AS (SELECT r.run_id, ${LAST_SEQ} AS last FROM pool_runs r WHERE r.run_id = $1 AND r.status IN ('awaiting-approval', 'completed', 'stopped', 'failed') FOR UPDATE),
       noted AS (${NOTES_INSERT('target', '$2')})
       SELECT target.last + jsonb_array_length($2::jsonb) AS "end", (SELECT ${announced('r.')} FROM pool_runs r WHERE r.run_id = target.run_id) FROM target`,
      [runId, JSON.stringify(entries)],
    );
    return row ? Number(row.end) : undefined;
  }

  /**
   * A run stopped by a person (`/cancel` on its issue, the portal): `stopped` with `reason`,
   * whatever it was doing. Queued or at a gate it is over at once; a worker running it hears so at
   * its next heartbeat (or the announcement) and stops its agents: its writes are refused from now
   * on. The run as it was before, and after; undefined when it had ended already.
   */
  async cancel(runId: string, reason: string): Promise<{ was: PoolStatus; run: PoolRun } | undefined> {
    const [row] = await this.rows(
      `WITH before AS (SELECT run_id, status FROM pool_runs WHERE run_id = $1 AND status IN ('queued', 'running', 'awaiting-approval') FOR UPDATE)
       UPDATE pool_runs r SET status = 'stopped', reason = $2, lease_until = NULL, updated_at = clock_timestamp()
       FROM before WHERE r.run_id = before.run_id RETURNING r.*, before.status AS was, ${announced('r.')}`,
      [runId, reason],
    );
    return row && { was: String(row.was) as PoolStatus, run: poolRunOf(row) };
  }

  /** Whether the run was stopped under this worker (cancelled while it ran it), rather than taken by another. */
  async stoppedUnder(runId: string, worker: string): Promise<boolean> {
    return (
      (
        await this.rows(`SELECT 1 FROM pool_runs WHERE run_id = $1 AND worker = $2 AND status = 'stopped'`, [
          runId,
          worker,
        ])
      ).length > 0
    );
  }

  /**
   * One model call's cost, added to today's spend in one statement; the day's total after it. The
   * same statement announces the new total (`kind: budget`) for the live views; workers ignore it.
   */
  async charge(usd: number | undefined): Promise<number> {
    const [row] = await this.rows(
      `INSERT INTO pool_budget (day, spent_usd, requests) VALUES (${TODAY}, $1, 1)
       ON CONFLICT (day) DO UPDATE SET spent_usd = pool_budget.spent_usd + excluded.spent_usd, requests = pool_budget.requests + 1
       RETURNING spent_usd, pg_notify('${CHANNEL}', json_build_object('runId', '', 'status', 'running', 'kind', 'budget', 'spentUsd', spent_usd)::text) AS announced`,
      [usd ?? 0],
    );
    return Number(row!.spent_usd);
  }

  async announce(change: PoolChange): Promise<void> {
    await this.rows('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify(change)]);
  }

  /** Every change of any process on the database, as it happens; `onReconnect` after the server came back (re-read then). */
  async watch(listener: (change: PoolChange) => void, onReconnect?: () => void): Promise<() => Promise<void>> {
    return listenChannel(
      this.url,
      CHANNEL,
      (payload) => {
        try {
          const change = JSON.parse(payload) as PoolChange;
          if (typeof change.runId === 'string' && typeof change.status === 'string') listener(change);
        } catch {
          // not one of ours
        }
      },
      onReconnect,
    );
  }
}
