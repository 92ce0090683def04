/**
 * The team's queue: PostgreSQL at `queue.url`, one queue shared across machines. The schema is
 * created or migrated on first use under an advisory lock (two machines starting at once do
 * not race). A claim is one conditional UPDATE: PostgreSQL locks the row, and a concurrent
 * claimer re-checks `status = 'pending'` after the winner commits and finds nothing — exactly
 * one wins, with no lost update and no second claim.
 */
import type { Pool } from 'pg';
import { PgAccountStore } from './pgAccounts';
import { inTransaction, listenChannel, openPgPool, type PgSchema } from './pgKit';
import { artifactOf, replyOf, leaseEnd, messageOf, MIGRATIONS, newId, taskOf, taskWhere, type Row } from './rows';
import type {
  QueueChange,
  Reply,
  Artifact,
  DecisionRecord,
  Message,
  NewTask,
  QueueStore,
  Task,
  TaskFilter,
  TaskStatus,
} from './types';

/** The NOTIFY channel of queue changes (every `serve` process on the database listens). */
const CHANNEL = 'orchestrator_queue';

/** The queue's tables; 804_004 is the lock that serializes their migrations. */
const QUEUE_SCHEMA: PgSchema = {
  versionTable: 'orchestrator_queue_schema',
  lock: 804_004,
  migrations: MIGRATIONS,
  what: 'queue',
};

// The pool of workers (src/pool) keeps its tables on the same database with the same machinery.
export { inTransaction, listenChannel, openPgPool, redactUrl, type PgRow, type PgSchema, type TxQuery } from './pgKit';

export class PgQueueStore extends PgAccountStore implements QueueStore {
  private pool: Pool | undefined;

  constructor(private readonly url: string) {
    super();
  }

  async open(): Promise<void> {
    if (this.pool) return;
    this.pool = await openPgPool(this.url, QUEUE_SCHEMA);
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.end();
  }

  protected async all(sql: string, params: unknown[]): Promise<Row[]> {
    if (!this.pool) throw new Error('the queue store is not open');
    return (await this.pool.query(sql, params)).rows as Row[];
  }

  protected async one(sql: string, params: unknown[]): Promise<Row | undefined> {
    return (await this.all(sql, params))[0];
  }

  async createTask(task: NewTask, now: Date): Promise<Task> {
    const at = now.toISOString();
    const row = await this.one(
      `INSERT INTO tasks (id, title, description, source, status, requester, layer, run_id, spec_id, created_at, updated_at)
       VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7, $8, $9, $9) RETURNING *`,
      [
        newId('t'),
        task.title,
        task.description ?? '',
        task.source ?? 'cli',
        task.requester ?? null,
        task.layer ?? null,
        task.runId ?? null,
        task.specId ?? null,
        at,
      ],
    );
    return taskOf(row!);
  }

  async getTask(id: string): Promise<Task | undefined> {
    const row = await this.one('SELECT * FROM tasks WHERE id = $1', [id]);
    return row && taskOf(row);
  }

  async listTasks(filter: TaskFilter = {}): Promise<Task[]> {
    let n = 0;
    const { where, params } = taskWhere(filter, () => `$${++n}`);
    const limit = filter.limit === undefined ? '' : ` LIMIT ${Math.max(0, Math.floor(filter.limit))}`;
    return (await this.all(`SELECT * FROM tasks${where} ORDER BY created_at, id${limit}`, params)).map(taskOf);
  }

  async countTasks(filter: { source?: string } = {}): Promise<Partial<Record<TaskStatus, number>>> {
    const rows =
      filter.source === undefined
        ? await this.all('SELECT status, COUNT(*) AS n FROM tasks GROUP BY status', [])
        : await this.all('SELECT status, COUNT(*) AS n FROM tasks WHERE source = $1 GROUP BY status', [filter.source]);
    return Object.fromEntries(rows.map((row) => [String(row.status), Number(row.n)]));
  }

  async claim(taskId: string, claimer: string, now: Date, leaseSec: number): Promise<Task | undefined> {
    const row = await this.one(
      `UPDATE tasks SET status = 'claimed', claimer = $1, lease_until = $2, updated_at = $3 WHERE id = $4 AND status = 'pending' RETURNING *`,
      [claimer, leaseEnd(now, leaseSec), now.toISOString(), taskId],
    );
    return row && taskOf(row);
  }

  async renewLease(taskId: string, claimer: string, now: Date, leaseSec: number): Promise<boolean> {
    const row = await this.one(
      `UPDATE tasks SET lease_until = $1, updated_at = $2 WHERE id = $3 AND claimer = $4 AND status IN ('claimed', 'in_progress') RETURNING id`,
      [leaseEnd(now, leaseSec), now.toISOString(), taskId, claimer],
    );
    return row !== undefined;
  }

  async releaseExpired(now: Date): Promise<string[]> {
    const at = now.toISOString();
    const rows = await this.all(
      `UPDATE tasks SET status = 'pending', claimer = NULL, lease_until = NULL, updated_at = $1
       WHERE status IN ('claimed', 'in_progress') AND lease_until < $1 RETURNING id`,
      [at],
    );
    return rows.map((row) => String(row.id));
  }

  async setStatus(taskId: string, from: readonly TaskStatus[], to: TaskStatus, now: Date): Promise<boolean> {
    const row = await this.one(
      `UPDATE tasks SET status = $1, updated_at = $2 WHERE id = $3 AND status = ANY($4::text[]) RETURNING id`,
      [to, now.toISOString(), taskId, [...from]],
    );
    return row !== undefined;
  }

  /** Runs `work` on one connection inside BEGIN … COMMIT; a throw rolls back. */
  protected async transaction<T>(
    work: (query: (sql: string, params: unknown[]) => Promise<Row | undefined>) => Promise<T>,
  ): Promise<T> {
    if (!this.pool) throw new Error('the queue store is not open');
    return inTransaction(this.pool, (query) => work(async (sql, params) => (await query(sql, params))[0]));
  }

  async submitArtifact(artifact: Omit<Artifact, 'id' | 'decision'>, now: Date): Promise<Artifact | undefined> {
    return this.transaction(async (query) => {
      // The row lock taken by this UPDATE holds until COMMIT: a concurrent submit or decision waits, then re-checks.
      const held = await query(
        `UPDATE tasks SET status = 'review_pending', updated_at = $1 WHERE id = $2 AND claimer = $3 AND status IN ('claimed', 'in_progress') RETURNING id`,
        [now.toISOString(), artifact.taskId, artifact.submittedBy],
      );
      if (!held) return undefined;
      const row = await query(
        `INSERT INTO artifacts (id, task_id, type, content, path, submitted_by, submitted_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
        [
          newId('a'),
          artifact.taskId,
          artifact.type,
          artifact.content,
          artifact.path ?? null,
          artifact.submittedBy,
          artifact.submittedAt,
        ],
      );
      return artifactOf(row!);
    });
  }

  async listArtifacts(taskId: string): Promise<Artifact[]> {
    return (await this.all('SELECT * FROM artifacts WHERE task_id = $1 ORDER BY submitted_at, id', [taskId])).map(
      artifactOf,
    );
  }

  async holdDecision(
    artifactId: string,
    holder: string,
    now: Date,
    holdSec: number,
    takeOverFrom?: string,
  ): Promise<boolean> {
    const row = await this.one(
      `UPDATE artifacts SET deciding_by = $1, deciding_until = $2
       WHERE id = $3 AND verdict IS NULL AND (deciding_until IS NULL OR deciding_until < $4 OR deciding_by = $5)
         AND task_id IN (SELECT id FROM tasks WHERE status = 'review_pending') RETURNING id`,
      [holder, leaseEnd(now, holdSec), artifactId, now.toISOString(), takeOverFrom ?? null],
    );
    return row !== undefined;
  }

  async decisionHolder(artifactId: string): Promise<string | undefined> {
    const row = await this.one('SELECT deciding_by FROM artifacts WHERE id = $1 AND verdict IS NULL', [artifactId]);
    return row?.deciding_by === null || row?.deciding_by === undefined ? undefined : String(row.deciding_by);
  }

  async recordDecision(artifactId: string, holder: string, record: DecisionRecord): Promise<boolean> {
    const { decision } = record;
    return this.transaction(async (query) => {
      const row = await query(
        `UPDATE artifacts SET verdict = $1, comment = $2, decided_by = $3, decided_at = $4, refusal = $5, deciding_by = NULL, deciding_until = NULL
         WHERE id = $6 AND deciding_by = $7 AND verdict IS NULL RETURNING task_id`,
        [
          decision.verdict,
          decision.comment ?? null,
          decision.by,
          decision.at,
          decision.refusal ?? null,
          artifactId,
          holder,
        ],
      );
      if (!row) return false;
      const taskId = String(row.task_id);
      if (record.leaseSec !== undefined) {
        await query('UPDATE tasks SET status = $1, lease_until = $2, updated_at = $3 WHERE id = $4', [
          record.taskStatus,
          leaseEnd(new Date(decision.at), record.leaseSec),
          decision.at,
          taskId,
        ]);
      } else
        await query('UPDATE tasks SET status = $1, updated_at = $2 WHERE id = $3', [
          record.taskStatus,
          decision.at,
          taskId,
        ]);
      if (record.message)
        await query('INSERT INTO messages (id, task_id, author, text, at) VALUES ($1, $2, $3, $4, $5)', [
          newId('m'),
          taskId,
          record.message.author,
          record.message.text,
          record.message.at,
        ]);
      if (record.reply)
        await query(
          'INSERT INTO replies (id, task_id, channel, recipient, body, created_at, next_at) VALUES ($1, $2, $3, $4, $5, $6, $6)',
          [newId('r'), taskId, record.reply.channel, record.reply.recipient, record.reply.body, decision.at],
        );
      return true;
    });
  }

  async releaseDecision(artifactId: string, holder: string): Promise<void> {
    await this.all(
      'UPDATE artifacts SET deciding_by = NULL, deciding_until = NULL WHERE id = $1 AND deciding_by = $2',
      [artifactId, holder],
    );
  }

  async addMessage(message: Omit<Message, 'id'>): Promise<Message> {
    const row = await this.one(
      'INSERT INTO messages (id, task_id, author, text, at) VALUES ($1, $2, $3, $4, $5) RETURNING *',
      [newId('m'), message.taskId, message.author, message.text, message.at],
    );
    return messageOf(row!);
  }

  async listMessages(taskId: string): Promise<Message[]> {
    return (await this.all('SELECT * FROM messages WHERE task_id = $1 ORDER BY at, id', [taskId])).map(messageOf);
  }

  async createDeliveredTask(deliveryId: string, task: NewTask, now: Date): Promise<{ task: Task; duplicate: boolean }> {
    const at = now.toISOString();
    return this.transaction(async (query) => {
      // One redelivery at a time per id (a transaction lock on its hash): the second finds the first's row.
      await query('SELECT pg_advisory_xact_lock(hashtext($1))', [deliveryId]);
      const seen = await query('SELECT t.* FROM deliveries d JOIN tasks t ON t.id = d.task_id WHERE d.id = $1', [
        deliveryId,
      ]);
      if (seen) return { task: taskOf(seen), duplicate: true };
      const row = await query(
        `INSERT INTO tasks (id, title, description, source, status, requester, created_at, updated_at) VALUES ($1, $2, $3, $4, 'pending', $5, $6, $6) RETURNING *`,
        [newId('t'), task.title, task.description ?? '', task.source ?? 'form', task.requester ?? null, at],
      );
      await query('INSERT INTO deliveries (id, task_id, at) VALUES ($1, $2, $3)', [deliveryId, String(row!.id), at]);
      return { task: taskOf(row!), duplicate: false };
    });
  }

  async addReply(reply: Pick<Reply, 'taskId' | 'channel' | 'recipient' | 'body'>, now: Date): Promise<Reply> {
    const at = now.toISOString();
    const row = await this.one(
      'INSERT INTO replies (id, task_id, channel, recipient, body, created_at, next_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING *',
      [newId('r'), reply.taskId, reply.channel, reply.recipient, reply.body, at],
    );
    return replyOf(row!);
  }

  async listReplies(taskId: string): Promise<Reply[]> {
    return (await this.all('SELECT * FROM replies WHERE task_id = $1 ORDER BY created_at, id', [taskId])).map(replyOf);
  }

  async takeDueReplies(now: Date, holdSec: number, limit: number): Promise<Reply[]> {
    // The outer condition is checked again on each row after a concurrent sender's commit: one taker per reply.
    const rows = await this.all(
      `UPDATE replies SET next_at = $1 WHERE sent_at IS NULL AND next_at <= $2
         AND id IN (SELECT id FROM replies WHERE sent_at IS NULL AND next_at <= $2 ORDER BY next_at LIMIT $3) RETURNING *`,
      [leaseEnd(now, holdSec), now.toISOString(), limit],
    );
    return rows.map(replyOf);
  }

  async replySent(id: string, now: Date): Promise<void> {
    await this.all('UPDATE replies SET sent_at = $1, attempts = attempts + 1, last_error = NULL WHERE id = $2', [
      now.toISOString(),
      id,
    ]);
  }

  async replyFailed(id: string, error: string, nextAt: Date): Promise<void> {
    await this.all(
      'UPDATE replies SET attempts = attempts + 1, last_error = $1, next_at = $2 WHERE id = $3 AND sent_at IS NULL',
      [error.slice(0, 1000), nextAt.toISOString(), id],
    );
  }

  async announce(change: QueueChange): Promise<void> {
    await this.all('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify(change)]);
  }

  /** LISTEN on a connection of its own; changes made while it was lost are not replayed (a page re-reads on its next event). */
  async watch(listener: (change: QueueChange) => void): Promise<() => Promise<void>> {
    return listenChannel(this.url, CHANNEL, (payload) => {
      try {
        const change = JSON.parse(payload) as QueueChange;
        if (typeof change.taskId === 'string' && typeof change.kind === 'string') listener(change);
      } catch {
        // not one of ours
      }
    });
  }
}
