/**
 * The queue's rules, for every host (MCP server, CLI, sidebar, a spec's external layers, a
 * portal): who may claim, message and submit, when a lease lapses, and what a human's decision
 * does. Nothing from outside touches the workspace before a human approves it; every decision
 * is stored with its artifact (who, when, comment) and appended to `.claude/runs/queue-decisions.jsonl`.
 *
 * The API a host uses (every input is checked here, whatever the host checked before):
 * - `createTask(input, defaultSource)`, `listTasks(status?)`, `detail(taskId)`: tasks, and one
 *   task with its artifacts and thread;
 * - `claim(taskId, claimer)`, `sendMessage(taskId, author, text)`, `submitArtifact(input, claimer)`:
 *   what a claimer does (a claimer is one identity per session: see src/mcp/queueServer.ts);
 * - `preview(artifact)`: what approving it would change, as a diff against the workspace file;
 * - `review({ taskId, artifactId?, verdict, reviewer, comment? })`: a human's decision, taken
 *   once (a hold on the artifact in the store), applied under that hold, recorded atomically.
 * A rule broken by the caller throws QueueError (code E_USAGE) with a message to show as is.
 */
import { randomUUID } from 'node:crypto';
import {
  artifactInput,
  cursorOf,
  deliveredTaskInput,
  limitInput,
  messageInput,
  newTaskInput,
  over,
  PAGE_LIMITS,
  parse,
  QUEUE_LIMITS,
  QueueError,
  statusInput,
  summary,
  type TaskPage,
} from './queueInputs';
import type { OrchestratorConfig } from '../project/config';
import { previewArtifact, type ArtifactPreview } from './artifactPreview';
import { pngProblem } from './png';
import { replyFor } from './replies';
import { ReviewDesk } from './reviewDesk';
import {
  type QueueChange,
  type ReviewOutcome,
  type ReviewRequest,
  type TaskDetail,
  type Artifact,
  type Message,
  type QueueStore,
  type Task,
} from './types';

/** How long a task's claim lasts without work or messages when `queue.leaseSec` is not set. */
const TASK_LEASE_SEC = 900;

export {
  artifactInput,
  deliveredTaskInput,
  newTaskInput,
  PAGE_LIMITS,
  QUEUE_LIMITS,
  QueueError,
  type TaskPage,
  type TaskSummary,
} from './queueInputs';
export type { ArtifactPreview } from './artifactPreview';
export type { QueueChange, ReviewOutcome, ReviewRequest, TaskDetail } from './types';

export { REPLY_CHANNELS } from './replies';

export interface QueueServiceOptions {
  workspace: string;
  config: OrchestratorConfig;
  store: QueueStore;
  trusted: boolean;
  now?: () => Date;
}

export class QueueService {
  private readonly now: () => Date;
  private readonly desk: ReviewDesk;
  private readonly listeners = new Set<(change: QueueChange) => void>();
  /** This instance, in its announcements: what it hears back from the store is not news to it. */
  private readonly origin = randomUUID();

  constructor(private readonly opts: QueueServiceOptions) {
    this.now = opts.now ?? (() => new Date());
    this.desk = new ReviewDesk({
      ...opts,
      now: this.now,
      leaseSec: () => this.leaseSec,
      task: (taskId) => this.task(taskId),
      changed: (taskId, kind) => this.changed(taskId, kind),
    });
  }

  get store(): QueueStore {
    return this.opts.store;
  }

  close(): Promise<void> {
    return this.store.close();
  }

  /** The workspace this queue serves (its specs are the portal's Specs page). */
  get workspace(): string {
    return this.opts.workspace;
  }

  /** The config's `queue` section: lease, team URL, the HTTP server's session bounds. */
  get settings(): OrchestratorConfig['queue'] {
    return this.opts.config.queue;
  }

  /** The config's `serve` section (the portal's port, host, public URL, Twilio's non-secret settings). */
  get serveSettings(): OrchestratorConfig['serve'] {
    return this.opts.config.serve;
  }

  private get leaseSec(): number {
    return this.opts.config.queue.leaseSec ?? TASK_LEASE_SEC;
  }

  /** Calls `listener` after every change made through this service (and, once `follow()`ed, through any other); returns the unsubscribe. */
  onChange(listener: (change: QueueChange) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /**
   * Hears the changes other processes make on this queue (PostgreSQL: several `serve` processes,
   * `task review` in a terminal) and passes them to the listeners too; returns the stop.
   */
  follow(): Promise<() => Promise<void>> {
    return this.store.watch((change) => {
      if (change.origin !== this.origin) this.tell({ taskId: change.taskId, kind: change.kind });
    });
  }

  /** Calls `listener` if the queue's store is lost under this process (its file deleted or replaced): the host stops; returns the unsubscribe. */
  onLost(listener: (error: Error) => void): () => void {
    return this.store.onLost?.(listener) ?? (() => undefined);
  }

  /** A host's own change to what a task shows (a reply sent or failed), told like the queue's. */
  notify(taskId: string, kind: QueueChange['kind']): void {
    this.changed(taskId, kind);
  }

  private changed(taskId: string, kind: QueueChange['kind']): void {
    this.tell({ taskId, kind });
    // Others hear it when they can; a failed announcement never fails the change itself.
    this.store.announce({ taskId, kind, origin: this.origin }).catch(() => undefined);
  }

  private tell(change: QueueChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        // a host's listener failing is the host's problem, never the caller's
      }
    }
  }

  async createTask(input: unknown, defaultSource: string): Promise<Task> {
    const parsed = parse(newTaskInput, input);
    const task = await this.store.createTask(
      { title: parsed.title, description: parsed.description, source: parsed.source ?? defaultSource },
      this.now(),
    );
    this.changed(task.id, 'task');
    return task;
  }

  /** A task from a channel's delivery (`source`: form, web_chat, whatsapp): stored once per delivery id. */
  async createDeliveredTask(
    deliveryId: string,
    input: unknown,
    source: string,
  ): Promise<{ task: Task; duplicate: boolean }> {
    if (typeof deliveryId !== 'string' || deliveryId.trim() === '' || deliveryId.length > QUEUE_LIMITS.deliveryIdChars)
      throw new QueueError(`the delivery id must be 1 to ${QUEUE_LIMITS.deliveryIdChars} characters`);
    const parsed = parse(deliveredTaskInput, input);
    const checkedSource = parse(newTaskInput.shape.source, source) ?? 'form';
    const result = await this.store.createDeliveredTask(deliveryId, { ...parsed, source: checkedSource }, this.now());
    if (!result.duplicate) this.changed(result.task.id, 'task');
    return result;
  }

  /**
   * One page of the queue, bounded however large it grows (the portal's list, MCP's list_tasks and
   * resource): at most `limit` tasks in queue order after `cursor`, filtered by status and source,
   * each description cut to a preview (the whole task is `detail`), with the counts per status (of
   * the source, when filtered) and the cursor of the next page when there is one.
   */
  async listPage(
    input: { status?: unknown; source?: unknown; cursor?: unknown; limit?: unknown },
    defaultLimit: number = PAGE_LIMITS.defaultTasks,
  ): Promise<TaskPage> {
    const status = input.status === undefined || input.status === '' ? undefined : parse(statusInput, input.status);
    const source =
      input.source === undefined || input.source === '' ? undefined : parse(newTaskInput.shape.source, input.source);
    const limit =
      input.limit === undefined || input.limit === ''
        ? defaultLimit
        : parse(limitInput, typeof input.limit === 'string' ? Number(input.limit) : input.limit);
    const after = input.cursor === undefined || input.cursor === '' ? undefined : cursorOf(input.cursor);
    for (const id of await this.store.releaseExpired(this.now())) this.changed(id, 'lease');
    const [rows, counts] = await Promise.all([
      this.store.listTasks({
        ...(status ? { status } : {}),
        ...(source ? { source } : {}),
        ...(after ? { after } : {}),
        limit: limit + 1,
      }),
      this.store.countTasks(source ? { source } : {}),
    ]);
    const tasks = rows.slice(0, limit);
    const last = tasks.at(-1);
    return {
      tasks: tasks.map(summary),
      counts,
      total: Object.values(counts).reduce((sum, n) => sum + (n ?? 0), 0),
      ...(rows.length > limit && last
        ? { nextCursor: Buffer.from(JSON.stringify([last.createdAt, last.id])).toString('base64url') }
        : {}),
    };
  }

  async listTasks(status?: unknown): Promise<Task[]> {
    for (const id of await this.store.releaseExpired(this.now())) this.changed(id, 'lease');
    return this.store.listTasks(status === undefined ? {} : { status: parse(statusInput, status) });
  }

  async detail(taskId: string): Promise<TaskDetail> {
    const task = await this.task(taskId);
    const [artifacts, messages, replies] = await Promise.all([
      this.store.listArtifacts(task.id),
      this.store.listMessages(task.id),
      this.store.listReplies(task.id),
    ]);
    return { ...task, artifacts, messages, replies };
  }

  async claim(taskId: string, claimer: string): Promise<Task> {
    const now = this.now();
    await this.store.releaseExpired(now);
    const won = await this.store.claim(taskId, claimer, now, this.leaseSec);
    if (won) {
      this.changed(won.id, 'claim');
      return won;
    }
    const task = await this.task(taskId);
    throw new QueueError(
      `task ${taskId} is ${task.status}${task.claimer ? ` (claimed by ${task.claimer})` : ''}: only a pending task can be claimed`,
    );
  }

  /** A message in the task's thread; from the claimer it renews the lease and marks the task in progress. */
  async sendMessage(taskId: string, author: string, text: unknown): Promise<Message> {
    const checked = parse(messageInput, text);
    const task = await this.task(taskId);
    const now = this.now();
    if (task.claimer === author) await this.keepAlive(task, now);
    const message = await this.store.addMessage({ taskId, author, text: checked, at: now.toISOString() });
    if (task.claimer === author) await this.owe(task, checked);
    this.changed(taskId, 'message');
    return message;
  }

  /** Work from the claimer, held for a human: nothing is written to the workspace here. */
  async submitArtifact(input: unknown, claimer: string): Promise<Artifact> {
    const parsed = parse(artifactInput, input);
    if (Buffer.byteLength(parsed.content, 'utf8') > QUEUE_LIMITS.artifactBytes)
      throw new QueueError(`content: ${over('content', 5, 'MB')}`);
    if (parsed.type === 'code' && !parsed.path)
      throw new QueueError('a code artifact needs `path`: the workspace-relative file its content replaces');
    if (parsed.type === 'screenshot') {
      const problem = pngProblem(parsed.content);
      if (problem) throw new QueueError(problem);
    }
    const task = await this.task(parsed.task_id);
    const now = this.now();
    // One step in the store: stored only while this claimer holds the task, which goes to review.
    const artifact = await this.store.submitArtifact(
      {
        taskId: task.id,
        type: parsed.type,
        content: parsed.content,
        ...(parsed.path ? { path: parsed.path } : {}),
        submittedBy: claimer,
        submittedAt: now.toISOString(),
      },
      now,
    );
    if (artifact) {
      this.changed(task.id, 'artifact');
      return artifact;
    }
    const current = (await this.store.getTask(task.id)) ?? task;
    throw new QueueError(
      `task ${current.id} is ${current.status}${current.claimer ? ` and claimed by ${current.claimer}` : ''}: claim it before submitting work${current.status === 'review_pending' && current.claimer === claimer ? ' (your artifact awaits review)' : ''}`,
    );
  }

  /** What approving `artifact` would change: a diff against the workspace file (undefined for text and screenshots). */
  preview(artifact: Artifact): Promise<ArtifactPreview | undefined> {
    return previewArtifact(this.opts.workspace, this.opts.config, artifact);
  }

  /** A human's decision on the task's artifact awaiting review (reviewDesk.ts). */
  review(request: ReviewRequest): Promise<ReviewOutcome> {
    return this.desk.review(request);
  }

  /** Approvals interrupted by a process that ended, put back (reviewDesk.ts); says what it did. */
  recoverApprovals(): Promise<string[]> {
    return this.desk.recoverApprovals();
  }

  /** A reply owed to the task's requester, kept in the store until a sender delivers it. */
  private async owe(task: Task, body: string): Promise<void> {
    const reply = replyFor(task, body);
    if (reply) await this.store.addReply({ taskId: task.id, ...reply }, this.now());
  }

  private async keepAlive(task: Task, now: Date): Promise<void> {
    await this.store.renewLease(task.id, task.claimer!, now, this.leaseSec);
    await this.store.setStatus(task.id, ['claimed'], 'in_progress', now);
  }

  private async task(taskId: string): Promise<Task> {
    const task = typeof taskId === 'string' ? await this.store.getTask(taskId) : undefined;
    if (!task) throw new QueueError(`no task ${JSON.stringify(taskId)} in the queue`);
    return task;
  }
}
