/**
 * The embedded queue: one SQLite file in the user's data folder (dataDir.ts) through Node's built-in `node:sqlite`
 * (no native module to build; the editor's Electron and Node ≥ 22.13 have it). WAL lets readers
 * and one writer work at once; a busy timeout makes concurrent writers from other processes
 * wait their turn instead of failing. A claim is one conditional UPDATE, so of any number of
 * claimers (threads, processes) exactly one finds the task still pending.
 */
import type { SQLInputValue } from 'node:sqlite';
import { artifactOf, replyOf, leaseEnd, messageOf, newId, taskOf, taskWhere, type Row } from './rows';
import { SqliteAccountStore } from './sqliteAccounts';
import { CheckedConnection } from './sqliteConnection';
import { openQueueFile } from './sqliteOpen';
import { StoreFileGuard, watchCommits } from './storeFileGuard';
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

export class SqliteQueueStore extends SqliteAccountStore implements QueueStore {
  private db: CheckedConnection | undefined;
  private readonly guard: StoreFileGuard;

  constructor(readonly file: string) {
    super();
    this.guard = new StoreFileGuard(file);
  }

  async open(): Promise<void> {
    if (this.db) return;
    const db = await openQueueFile(this.file);
    this.guard.watch();
    this.db = new CheckedConnection(db, this.guard);
  }

  async close(): Promise<void> {
    this.guard.stop();
    this.db?.close();
    this.db = undefined;
  }

  /** Tells `listener` once when the database file vanishes or is replaced under this process; returns the unsubscribe. */
  onLost(listener: (error: Error) => void): () => void {
    return this.guard.onLost(listener);
  }

  /** Statements prepared once, the file's identity checked after each (sqliteConnection.ts). */
  protected get conn(): CheckedConnection {
    if (!this.db) throw new Error('the queue store is not open');
    return this.db;
  }

  protected all(sql: string, ...params: SQLInputValue[]): Row[] {
    return this.conn.all(sql, ...params);
  }

  protected one(sql: string, ...params: SQLInputValue[]): Row | undefined {
    return this.conn.one(sql, ...params);
  }

  async createTask(task: NewTask, now: Date): Promise<Task> {
    const at = now.toISOString();
    const row = this.one(
      `INSERT INTO tasks (id, title, description, source, status, requester, layer, run_id, spec_id, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?) RETURNING *`,
      newId('t'),
      task.title,
      task.description ?? '',
      task.source ?? 'cli',
      task.requester ?? null,
      task.layer ?? null,
      task.runId ?? null,
      task.specId ?? null,
      at,
      at,
    );
    return taskOf(row!);
  }

  async getTask(id: string): Promise<Task | undefined> {
    const row = this.one('SELECT * FROM tasks WHERE id = ?', id);
    return row && taskOf(row);
  }

  async listTasks(filter: TaskFilter = {}): Promise<Task[]> {
    const { where, params } = taskWhere(filter, () => '?');
    const limit = filter.limit === undefined ? '' : ` LIMIT ${Math.max(0, Math.floor(filter.limit))}`;
    return this.all(`SELECT * FROM tasks${where} ORDER BY created_at, id${limit}`, ...(params as SQLInputValue[])).map(
      taskOf,
    );
  }

  async countTasks(filter: { source?: string } = {}): Promise<Partial<Record<TaskStatus, number>>> {
    const rows =
      filter.source === undefined
        ? this.all('SELECT status, COUNT(*) AS n FROM tasks GROUP BY status')
        : this.all('SELECT status, COUNT(*) AS n FROM tasks WHERE source = ? GROUP BY status', filter.source);
    return Object.fromEntries(rows.map((row) => [String(row.status), Number(row.n)]));
  }

  async claim(taskId: string, claimer: string, now: Date, leaseSec: number): Promise<Task | undefined> {
    const row = this.one(
      `UPDATE tasks SET status = 'claimed', claimer = ?, lease_until = ?, updated_at = ? WHERE id = ? AND status = 'pending' RETURNING *`,
      claimer,
      leaseEnd(now, leaseSec),
      now.toISOString(),
      taskId,
    );
    return row && taskOf(row);
  }

  async renewLease(taskId: string, claimer: string, now: Date, leaseSec: number): Promise<boolean> {
    const row = this.one(
      `UPDATE tasks SET lease_until = ?, updated_at = ? WHERE id = ? AND claimer = ? AND status IN ('claimed', 'in_progress') RETURNING id`,
      leaseEnd(now, leaseSec),
      now.toISOString(),
      taskId,
      claimer,
    );
    return row !== undefined;
  }

  async releaseExpired(now: Date): Promise<string[]> {
    const at = now.toISOString();
    return this.all(
      // By the status index, always: with few claimed tasks among many, SQLite's statistics may otherwise pick a scan of the whole queue (every list runs this).
      `UPDATE tasks INDEXED BY tasks_status SET status = 'pending', claimer = NULL, lease_until = NULL, updated_at = ?
       WHERE status IN ('claimed', 'in_progress') AND lease_until < ? RETURNING id`,
      at,
      at,
    ).map((row) => String(row.id));
  }

  async setStatus(taskId: string, from: readonly TaskStatus[], to: TaskStatus, now: Date): Promise<boolean> {
    const marks = from.map(() => '?').join(', ');
    const row = this.one(
      `UPDATE tasks SET status = ?, updated_at = ? WHERE id = ? AND status IN (${marks}) RETURNING id`,
      to,
      now.toISOString(),
      taskId,
      ...from,
    );
    return row !== undefined;
  }

  /** Runs `work` in one write transaction (taken at once, so a concurrent writer waits instead of failing midway). */
  protected transaction<T>(work: () => T): T {
    return this.conn.transaction(work);
  }

  async submitArtifact(artifact: Omit<Artifact, 'id' | 'decision'>, now: Date): Promise<Artifact | undefined> {
    return this.transaction(() => {
      const held = this.one(
        `UPDATE tasks SET status = 'review_pending', updated_at = ? WHERE id = ? AND claimer = ? AND status IN ('claimed', 'in_progress') RETURNING id`,
        now.toISOString(),
        artifact.taskId,
        artifact.submittedBy,
      );
      if (!held) return undefined;
      const row = this.one(
        `INSERT INTO artifacts (id, task_id, type, content, path, submitted_by, submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *`,
        newId('a'),
        artifact.taskId,
        artifact.type,
        artifact.content,
        artifact.path ?? null,
        artifact.submittedBy,
        artifact.submittedAt,
      );
      return artifactOf(row!);
    });
  }

  async listArtifacts(taskId: string): Promise<Artifact[]> {
    return this.all('SELECT * FROM artifacts WHERE task_id = ? ORDER BY submitted_at, id', taskId).map(artifactOf);
  }

  async holdDecision(
    artifactId: string,
    holder: string,
    now: Date,
    holdSec: number,
    takeOverFrom?: string,
  ): Promise<boolean> {
    const row = this.one(
      `UPDATE artifacts SET deciding_by = ?, deciding_until = ?
       WHERE id = ? AND verdict IS NULL AND (deciding_until IS NULL OR deciding_until < ? OR deciding_by = ?)
         AND task_id IN (SELECT id FROM tasks WHERE status = 'review_pending') RETURNING id`,
      holder,
      leaseEnd(now, holdSec),
      artifactId,
      now.toISOString(),
      takeOverFrom ?? null,
    );
    return row !== undefined;
  }

  async decisionHolder(artifactId: string): Promise<string | undefined> {
    const row = this.one('SELECT deciding_by FROM artifacts WHERE id = ? AND verdict IS NULL', artifactId);
    return row?.deciding_by === null || row?.deciding_by === undefined ? undefined : String(row.deciding_by);
  }

  async recordDecision(artifactId: string, holder: string, record: DecisionRecord): Promise<boolean> {
    const { decision } = record;
    return this.transaction(() => {
      const row = this.one(
        `UPDATE artifacts SET verdict = ?, comment = ?, decided_by = ?, decided_at = ?, refusal = ?, deciding_by = NULL, deciding_until = NULL
         WHERE id = ? AND deciding_by = ? AND verdict IS NULL RETURNING task_id`,
        decision.verdict,
        decision.comment ?? null,
        decision.by,
        decision.at,
        decision.refusal ?? null,
        artifactId,
        holder,
      );
      if (!row) return false;
      const taskId = String(row.task_id);
      if (record.leaseSec !== undefined) {
        this.one(
          `UPDATE tasks SET status = ?, lease_until = ?, updated_at = ? WHERE id = ? RETURNING id`,
          record.taskStatus,
          leaseEnd(new Date(decision.at), record.leaseSec),
          decision.at,
          taskId,
        );
      } else
        this.one(
          `UPDATE tasks SET status = ?, updated_at = ? WHERE id = ? RETURNING id`,
          record.taskStatus,
          decision.at,
          taskId,
        );
      if (record.message)
        this.one(
          'INSERT INTO messages (id, task_id, author, text, at) VALUES (?, ?, ?, ?, ?) RETURNING id',
          newId('m'),
          taskId,
          record.message.author,
          record.message.text,
          record.message.at,
        );
      if (record.reply)
        this.one(
          'INSERT INTO replies (id, task_id, channel, recipient, body, created_at, next_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id',
          newId('r'),
          taskId,
          record.reply.channel,
          record.reply.recipient,
          record.reply.body,
          decision.at,
          decision.at,
        );
      return true;
    });
  }

  async releaseDecision(artifactId: string, holder: string): Promise<void> {
    this.one(
      'UPDATE artifacts SET deciding_by = NULL, deciding_until = NULL WHERE id = ? AND deciding_by = ? RETURNING id',
      artifactId,
      holder,
    );
  }

  async addMessage(message: Omit<Message, 'id'>): Promise<Message> {
    const row = this.one(
      'INSERT INTO messages (id, task_id, author, text, at) VALUES (?, ?, ?, ?, ?) RETURNING *',
      newId('m'),
      message.taskId,
      message.author,
      message.text,
      message.at,
    );
    return messageOf(row!);
  }

  async listMessages(taskId: string): Promise<Message[]> {
    return this.all('SELECT * FROM messages WHERE task_id = ? ORDER BY at, id', taskId).map(messageOf);
  }

  async createDeliveredTask(deliveryId: string, task: NewTask, now: Date): Promise<{ task: Task; duplicate: boolean }> {
    return this.transaction(() => {
      const seen = this.one('SELECT t.* FROM deliveries d JOIN tasks t ON t.id = d.task_id WHERE d.id = ?', deliveryId);
      if (seen) return { task: taskOf(seen), duplicate: true };
      const at = now.toISOString();
      const row = this.one(
        `INSERT INTO tasks (id, title, description, source, status, requester, created_at, updated_at) VALUES (?, ?, ?, ?, 'pending', ?, ?, ?) RETURNING *`,
        newId('t'),
        task.title,
        task.description ?? '',
        task.source ?? 'form',
        task.requester ?? null,
        at,
        at,
      )!;
      this.one(
        'INSERT INTO deliveries (id, task_id, at) VALUES (?, ?, ?) RETURNING id',
        deliveryId,
        String(row.id),
        at,
      );
      return { task: taskOf(row), duplicate: false };
    });
  }

  async addReply(reply: Pick<Reply, 'taskId' | 'channel' | 'recipient' | 'body'>, now: Date): Promise<Reply> {
    const at = now.toISOString();
    const row = this.one(
      'INSERT INTO replies (id, task_id, channel, recipient, body, created_at, next_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *',
      newId('r'),
      reply.taskId,
      reply.channel,
      reply.recipient,
      reply.body,
      at,
      at,
    );
    return replyOf(row!);
  }

  async listReplies(taskId: string): Promise<Reply[]> {
    return this.all('SELECT * FROM replies WHERE task_id = ? ORDER BY created_at, id', taskId).map(replyOf);
  }

  async takeDueReplies(now: Date, holdSec: number, limit: number): Promise<Reply[]> {
    const at = now.toISOString();
    return this.all(
      `UPDATE replies SET next_at = ? WHERE sent_at IS NULL AND next_at <= ?
         AND id IN (SELECT id FROM replies WHERE sent_at IS NULL AND next_at <= ? ORDER BY next_at LIMIT ?) RETURNING *`,
      leaseEnd(now, holdSec),
      at,
      at,
      limit,
    ).map(replyOf);
  }

  async replySent(id: string, now: Date): Promise<void> {
    this.one(
      'UPDATE replies SET sent_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ? RETURNING id',
      now.toISOString(),
      id,
    );
  }

  async replyFailed(id: string, error: string, nextAt: Date): Promise<void> {
    this.one(
      'UPDATE replies SET attempts = attempts + 1, last_error = ?, next_at = ? WHERE id = ? AND sent_at IS NULL RETURNING id',
      error.slice(0, 1000),
      nextAt.toISOString(),
      id,
    );
  }

  /** One file on one machine: its writes are the announcement (see watch). */
  async announce(): Promise<void> {}

  /**
   * Every process's writes land in the file or its WAL: the folder is watched (inotify, FSEvents,
   * ReadDirectoryChangesW; no polling) and a burst of writes becomes one change without a task id
   * (`taskId: ''`: something changed, re-read). SQLite's `data_version` moves only on another
   * connection's commit: this connection's own writes (already told by the service) are not news.
   */
  async watch(listener: (change: QueueChange) => void): Promise<() => Promise<void>> {
    return watchCommits(
      this.file,
      () => {
        try {
          return this.db ? Number((this.one('PRAGMA data_version') as Row).data_version) : -1;
        } catch {
          return -1; // the file is lost: told through onLost
        }
      },
      () => listener({ taskId: '', kind: 'task' }),
    );
  }
}
