/**
 * The queue's rules, for every host (MCP server, CLI, sidebar, a spec's external layers):
 * who may claim, message and submit, when a lease lapses, and what a human's decision does.
 * Nothing from outside touches the workspace before a human approves it; every decision is
 * stored with its artifact (who, when, comment) and appended to `.claude/runs/queue-decisions.jsonl`.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUNS_DIR } from '../journal/runPaths';
import { ensureStateDir } from '../journal/stateDir';
import { z } from 'zod';
import type { OrchestratorConfig } from '../project/config/config';
import { applyArtifact } from './applyArtifact';
import { ARTIFACT_TYPES, TASK_STATUSES, type Artifact, type Message, type QueueStore, type Task } from './types';

/** Beside the queue's database, in the run-time folder that ignores itself. */
const DECISIONS_FILE = join(RUNS_DIR, 'queue-decisions.jsonl');
const MAX_CONTENT = 5 * 1024 * 1024;

/** Inputs as outside agents send them (MCP tools, CLI flags, the sidebar): checked before anything else. */
export const newTaskInput = z.strictObject({
  title: z.string().trim().min(1, 'title is empty').max(300),
  description: z.string().max(20_000).default(''),
  source: z.string().trim().min(1).max(40).optional(),
});
export const artifactInput = z.strictObject({
  task_id: z.string().min(1).max(40),
  type: z.enum(ARTIFACT_TYPES),
  content: z.string().max(MAX_CONTENT, 'content is larger than 5 MB'),
  path: z.string().min(1).max(1000).optional(),
});
const statusInput = z.enum(TASK_STATUSES);

/** A call the queue's rules refuse (unknown task, not the claimer, bad input): the caller's mistake, said plainly. */
export class QueueError extends Error {
  readonly code = 'E_USAGE';
}

export interface TaskDetail extends Task {
  artifacts: Artifact[];
  messages: Message[];
}

export interface ReviewOutcome {
  task: Task;
  artifact: Artifact;
  /** Files written when an approved code/diff artifact applied and validated. */
  files: string[];
  /** Why an approval could not land (nothing was written); the claimer is told in the thread. */
  refusal?: string;
}

export interface QueueServiceOptions {
  workspace: string;
  config: OrchestratorConfig;
  store: QueueStore;
  trusted: boolean;
  now?: () => Date;
}

export class QueueService {
  private readonly now: () => Date;

  constructor(private readonly opts: QueueServiceOptions) {
    this.now = opts.now ?? (() => new Date());
  }

  get store(): QueueStore {
    return this.opts.store;
  }

  close(): Promise<void> {
    return this.store.close();
  }

  private get leaseSec(): number {
    return this.opts.config.queue.leaseSec;
  }

  async createTask(input: unknown, defaultSource: string): Promise<Task> {
    const parsed = parse(newTaskInput, input);
    return this.store.createTask({ title: parsed.title, description: parsed.description, source: parsed.source ?? defaultSource }, this.now());
  }

  async listTasks(status?: unknown): Promise<Task[]> {
    await this.store.releaseExpired(this.now());
    return this.store.listTasks(status === undefined ? {} : { status: parse(statusInput, status) });
  }

  async detail(taskId: string): Promise<TaskDetail> {
    const task = await this.task(taskId);
    const [artifacts, messages] = await Promise.all([this.store.listArtifacts(task.id), this.store.listMessages(task.id)]);
    return { ...task, artifacts, messages };
  }

  async claim(taskId: string, claimer: string): Promise<Task> {
    const now = this.now();
    await this.store.releaseExpired(now);
    const won = await this.store.claim(taskId, claimer, now, this.leaseSec);
    if (won) return won;
    const task = await this.task(taskId);
    throw new QueueError(`task ${taskId} is ${task.status}${task.claimer ? ` (claimed by ${task.claimer})` : ''}: only a pending task can be claimed`);
  }

  /** A message in the task's thread; from the claimer it renews the lease and marks the task in progress. */
  async sendMessage(taskId: string, author: string, text: string): Promise<Message> {
    if (text.trim() === '') throw new QueueError('the message is empty');
    const task = await this.task(taskId);
    const now = this.now();
    if (task.claimer === author) await this.keepAlive(task, now);
    return this.store.addMessage({ taskId, author, text, at: now.toISOString() });
  }

  /** Work from the claimer, held for a human: nothing is written to the workspace here. */
  async submitArtifact(input: unknown, claimer: string): Promise<Artifact> {
    const parsed = parse(artifactInput, input);
    const task = await this.task(parsed.task_id);
    if (task.claimer !== claimer || !['claimed', 'in_progress'].includes(task.status)) {
      throw new QueueError(`task ${task.id} is ${task.status}${task.claimer ? ` and claimed by ${task.claimer}` : ''}: claim it before submitting work`);
    }
    if (parsed.type === 'code' && !parsed.path) throw new QueueError('a code artifact needs `path`: the workspace-relative file its content replaces');
    const now = this.now();
    const artifact = await this.store.addArtifact({
      taskId: task.id,
      type: parsed.type,
      content: parsed.content,
      ...(parsed.path ? { path: parsed.path } : {}),
      submittedBy: claimer,
      submittedAt: now.toISOString(),
    });
    await this.store.setStatus(task.id, ['claimed', 'in_progress'], 'review_pending', now);
    return artifact;
  }

  /**
   * A human's decision on the task's artifact awaiting review. Rejected: the comment goes to the
   * claimer's thread and the task is in progress again. Approved: a code or diff artifact
   * applies through the guard and validation (refused → nothing written, the claimer is told,
   * the task is in progress again); applied, or any other type, the task is done.
   */
  async review(taskId: string, verdict: 'approved' | 'rejected', reviewer: string, comment?: string): Promise<ReviewOutcome> {
    const task = await this.task(taskId);
    const artifact = (await this.store.listArtifacts(task.id)).filter((a) => !a.decision).at(-1);
    if (task.status !== 'review_pending' || !artifact) throw new QueueError(`task ${task.id} is ${task.status}: there is no artifact awaiting review`);
    const now = this.now();
    const decided = { by: reviewer, at: now.toISOString(), ...(comment ? { comment } : {}) };

    if (verdict === 'rejected') {
      await this.decide(task, artifact, { verdict, ...decided });
      await this.store.addMessage({ taskId: task.id, author: reviewer, text: `Rejected: ${comment || 'no reason given'}`, at: now.toISOString() });
      await this.reopen(task, now);
      return { task: (await this.store.getTask(task.id))!, artifact: { ...artifact, decision: { verdict, ...decided } }, files: [] };
    }

    const applied = artifact.type === 'code' || artifact.type === 'diff' ? await applyArtifact({ workspace: this.opts.workspace, config: this.opts.config, trusted: this.opts.trusted }, task, artifact) : { ok: true as const, files: [], layers: [] };
    if (!applied.ok) {
      await this.decide(task, artifact, { verdict: 'approved', ...decided, refusal: applied.reason });
      await this.store.addMessage({ taskId: task.id, author: 'orchestrator', text: `Approved by ${reviewer}, but it could not be applied: ${applied.reason}. Submit a corrected artifact.`, at: now.toISOString() });
      await this.reopen(task, now);
      return { task: (await this.store.getTask(task.id))!, artifact, files: [], refusal: applied.reason };
    }
    await this.decide(task, artifact, { verdict, ...decided }, applied.files);
    await this.store.setStatus(task.id, ['review_pending'], 'approved', now);
    await this.store.setStatus(task.id, ['approved'], 'done', now);
    return { task: (await this.store.getTask(task.id))!, artifact: { ...artifact, decision: { verdict, ...decided } }, files: applied.files };
  }

  private async decide(task: Task, artifact: Artifact, decision: NonNullable<Artifact['decision']>, files: string[] = []): Promise<void> {
    if (!(await this.store.decideArtifact(artifact.id, decision))) throw new QueueError(`artifact ${artifact.id} was decided meanwhile`);
    const line = { ts: decision.at, task: task.id, artifact: artifact.id, type: artifact.type, claimer: task.claimer, verdict: decision.verdict, by: decision.by, ...(decision.comment ? { comment: decision.comment } : {}), ...(decision.refusal ? { refusal: decision.refusal } : {}), ...(files.length ? { files } : {}) };
    ensureStateDir(this.opts.workspace);
    appendFileSync(join(this.opts.workspace, DECISIONS_FILE), `${JSON.stringify(line)}\n`);
  }

  /** Back to the claimer, with a fresh lease to answer in. */
  private async reopen(task: Task, now: Date): Promise<void> {
    await this.store.setStatus(task.id, ['review_pending'], 'in_progress', now);
    if (task.claimer) await this.store.renewLease(task.id, task.claimer, now, this.leaseSec);
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

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new QueueError(`${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`);
}

