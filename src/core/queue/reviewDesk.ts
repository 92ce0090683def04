/**
 * A human's decision on a task's artifact awaiting review, taken once (the store's hold on the
 * artifact), applied under that hold and recorded with its effect on the task; and the approvals a
 * process left half done when it ended, put back. QueueService (queueService.ts) is its door.
 */
import { appendFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { redactSecrets } from '../text/secrets';
import type { OrchestratorConfig } from '../project/config';
import { ensureStateDir } from '../journal';
import { applyArtifact, type FilesBefore } from './applyArtifact';
import { ApprovalJournal, holderIsGone, holderName, restoreFiles, type ApprovalEntry } from './approvalJournal';
import { QUEUE_LIMITS, QueueError } from './queueInputs';
import { DECISIONS_FILE } from './queueFiles';
import { replyFor } from './replies';
import type {
  Artifact,
  ArtifactDecision,
  DecisionRecord,
  QueueChange,
  QueueStore,
  ReviewOutcome,
  ReviewRequest,
  Task,
} from './types';

/** Decisions this process holds right now (every QueueService in it): never taken for a dead process's. */
const HOLDING = new Set<string>();

export interface ReviewDeskOptions {
  workspace: string;
  config: OrchestratorConfig;
  store: QueueStore;
  trusted: boolean;
  now(): Date;
  /** A task's lease after a rejection or a refused approval sends it back to its claimer. */
  leaseSec(): number;
  /** The task, or QueueError when the queue has none by that id. */
  task(taskId: string): Promise<Task>;
  changed(taskId: string, kind: QueueChange['kind']): void;
}

export class ReviewDesk {
  private readonly journal: ApprovalJournal;

  constructor(private readonly opts: ReviewDeskOptions) {
    this.journal = new ApprovalJournal(opts.workspace);
  }

  /**
   * A human's decision on the task's artifact awaiting review, taken once: the store's hold on
   * the artifact (compare-and-set) comes first, and writing, validating and restoring happen
   * under it; the verdict is recorded with its effect on the task in one transaction. A second
   * reviewer, or the same one twice, is refused without touching the workspace.
   * Rejected: the comment goes to the claimer's thread and the task is in progress again.
   * Approved: a code or diff artifact applies through the guard and validation (refused →
   * nothing written, the claimer is told, the task is in progress again); applied, or any other
   * type, the task is done.
   */
  async review(request: ReviewRequest): Promise<ReviewOutcome> {
    const { verdict, reviewer } = request;
    const comment = request.comment?.trim() ? request.comment.trim().slice(0, QUEUE_LIMITS.messageChars) : undefined;
    const task = await this.opts.task(request.taskId);
    const artifact = (await this.opts.store.listArtifacts(task.id)).filter((a) => !a.decision).at(-1);
    if (task.status !== 'review_pending' || !artifact)
      throw new QueueError(`task ${task.id} is ${task.status}: there is no artifact awaiting review`);
    if (request.artifactId && request.artifactId !== artifact.id)
      throw new QueueError(
        `artifact ${request.artifactId} is not the one awaiting review on task ${task.id} (${artifact.id} is): review it again`,
      );

    const holder = holderName(reviewer, randomUUID());
    if (!(await this.takeHold(artifact.id, holder))) {
      throw new QueueError(`artifact ${artifact.id} is being decided or was decided by someone else: nothing was done`);
    }
    HOLDING.add(holder);
    try {
      return await this.decide(task, artifact, holder, verdict, reviewer, comment);
    } finally {
      HOLDING.delete(holder);
    }
  }

  /** The hold on the decision; a hold whose process is gone (this host, its pid dead) is taken over at once, its files put back first. */
  private async takeHold(artifactId: string, holder: string): Promise<boolean> {
    if (await this.opts.store.holdDecision(artifactId, holder, this.opts.now(), this.decisionHoldSec)) return true;
    const current = await this.opts.store.decisionHolder(artifactId);
    if (!current || !holderIsGone(current, HOLDING)) return false;
    const left = this.journal.get(artifactId);
    if (left) await this.recover(left);
    return this.opts.store.holdDecision(artifactId, holder, this.opts.now(), this.decisionHoldSec, current);
  }

  private async decide(
    task: Task,
    artifact: Artifact,
    holder: string,
    verdict: ReviewRequest['verdict'],
    reviewer: string,
    comment: string | undefined,
  ): Promise<ReviewOutcome> {
    // What every file was is journaled durably before the first write: a crash mid-validation is undone on the next start.
    const beforeWrite = (before: FilesBefore) =>
      this.journal.save({
        artifactId: artifact.id,
        taskId: task.id,
        holder,
        reviewer,
        startedAt: this.opts.now().toISOString(),
        ...before,
      });
    const applied =
      verdict === 'approved' && (artifact.type === 'code' || artifact.type === 'diff')
        ? await applyArtifact(
            { workspace: this.opts.workspace, config: this.opts.config, trusted: this.opts.trusted, beforeWrite },
            task,
            artifact,
          ).catch((error: unknown) => ({
            ok: false as const,
            reason: `could not apply it: ${(error as Error).message}`,
          }))
        : { ok: true as const, files: [], layers: [], undo: async () => undefined };
    // Refused: the files are back already (applyArtifact restored them).
    if (!applied.ok) this.journal.clear(artifact.id);

    const now = this.opts.now();
    const at = now.toISOString();
    const base = { by: reviewer, at, ...(comment ? { comment } : {}) };
    let decision: ArtifactDecision;
    let record: Omit<DecisionRecord, 'decision'>;
    if (verdict === 'rejected') {
      decision = { verdict, ...base };
      record = {
        taskStatus: 'in_progress',
        leaseSec: this.opts.leaseSec(),
        message: { author: reviewer, text: `Rejected: ${comment || 'no reason given'}`, at },
      };
    } else if (!applied.ok) {
      // What a validate command printed may quote the workspace: masked before the thread, the store and the log see it.
      const refusal = redactSecrets(applied.reason).text;
      decision = { verdict, ...base, refusal };
      record = {
        taskStatus: 'in_progress',
        leaseSec: this.opts.leaseSec(),
        message: {
          author: 'orchestrator',
          text: `Approved by ${reviewer}, but it could not be applied: ${refusal}. Submit a corrected artifact.`,
          at,
        },
      };
    } else {
      decision = { verdict, ...base };
      record = { taskStatus: 'done' };
    }

    const reply = decision.refusal
      ? undefined
      : replyFor(
          task,
          `${verdict === 'approved' ? 'Done' : 'Changes requested'} by ${reviewer}: ${task.title}${comment ? `\n${comment}` : ''}`,
        );
    let recorded = false;
    try {
      recorded = await this.opts.store.recordDecision(artifact.id, holder, {
        decision,
        ...record,
        ...(reply ? { reply } : {}),
      });
    } finally {
      if (!recorded) {
        // The hold lapsed and another reviewer took over: this decision does not stand, nor do its files.
        if (applied.ok) await applied.undo();
        await this.opts.store.releaseDecision(artifact.id, holder).catch(() => undefined);
      }
      this.journal.clear(artifact.id);
    }
    if (!recorded)
      throw new QueueError(`artifact ${artifact.id} was decided by someone else meanwhile: nothing was kept`);
    const files = applied.ok ? applied.files : [];
    this.log(task, artifact, decision, files);
    this.opts.changed(task.id, 'decision');
    return {
      task: (await this.opts.store.getTask(task.id))!,
      artifact: { ...artifact, decision },
      files,
      ...(decision.refusal ? { refusal: decision.refusal } : {}),
    };
  }

  /**
   * Approvals interrupted by a process that ended (killed mid-validation): every file is put back
   * as it was and the hold given up, so the task can be decided at once; a decision that was
   * recorded before the end stands. Run when a host opens the queue; says what it did.
   */
  async recoverApprovals(): Promise<string[]> {
    const said: string[] = [];
    for (const entry of this.journal.entries())
      if (holderIsGone(entry.holder, HOLDING)) said.push(await this.recover(entry));
    return said;
  }

  private async recover(entry: ApprovalEntry): Promise<string> {
    const artifact = (await this.opts.store.listArtifacts(entry.taskId)).find((a) => a.id === entry.artifactId);
    const decision = artifact?.decision;
    // Recorded, applied, by this approval (it ended between recording and clearing its journal): the files are the decision's.
    const stands =
      decision?.verdict === 'approved' &&
      !decision.refusal &&
      decision.by === entry.reviewer &&
      decision.at >= entry.startedAt;
    const root = await realpath(this.opts.workspace).catch(() => this.opts.workspace);
    const inside = (abs: string) => abs.startsWith(root + sep);
    if (!stands)
      await restoreFiles({
        files: entry.files.filter((f) => inside(f.abs)),
        createdDirs: entry.createdDirs.filter(inside),
      });
    if (artifact && !decision) await this.opts.store.releaseDecision(entry.artifactId, entry.holder);
    this.journal.clear(entry.artifactId);
    this.opts.changed(entry.taskId, 'decision');
    const files = entry.files.map((f) => relative(root, f.abs)).join(', ');
    return stands
      ? `task ${entry.taskId}: the approval of artifact ${entry.artifactId} by ${entry.reviewer} was recorded before its process ended; its files stay (${files})`
      : `task ${entry.taskId}: the approval of artifact ${entry.artifactId} by ${entry.reviewer} was interrupted (its process ended); put back as they were: ${files}. The task awaits a decision again.`;
  }

  /** How long a reviewer may hold an artifact: every validate command running to its timeout, and a minute more. */
  private get decisionHoldSec(): number {
    const commands = Object.values(this.opts.config.layers).reduce((n, layer) => n + layer.validate.length, 0);
    return 60 + Math.max(1, commands) * this.opts.config.limits.commandTimeoutSec;
  }

  private log(task: Task, artifact: Artifact, decision: ArtifactDecision, files: string[]): void {
    const line = {
      ts: decision.at,
      task: task.id,
      artifact: artifact.id,
      type: artifact.type,
      claimer: task.claimer,
      verdict: decision.verdict,
      by: decision.by,
      ...(decision.comment ? { comment: decision.comment } : {}),
      ...(decision.refusal ? { refusal: decision.refusal } : {}),
      ...(files.length ? { files } : {}),
    };
    const file = join(this.opts.workspace, DECISIONS_FILE);
    ensureStateDir(this.opts.workspace);
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  }
}
