/**
 * The sidebar's view of the workspace's task queue, re-read when it changes: through this
 * window's own service, and through every other process or machine (the queue service's
 * `follow()`: the SQLite file's writes, PostgreSQL's NOTIFY with `queue.url`); no polling.
 * Only while the queue cannot be read (a broken config, an unreachable server) is it tried again
 * every few seconds. And the human's actions on it — a new task, an artifact approved or rejected. Approving applies
 * through the engine's guard and validation, so it needs a trusted workspace.
 */
import { userInfo } from 'node:os';
import * as vscode from 'vscode';
import type { QueueService } from '../../core/queue';
import type { QueueView } from '../../shared/viewState';
import { type Engine, loadEngine } from '../engine';
import type { EventLog } from '../log/eventLog';
import { Disposable } from '../util/disposable';
import type { ViewStore } from '../view/store';
import type { WorkspaceFolders } from '../workspace/folders';
import { ArtifactDocuments } from './artifactDocuments';
import { taskView } from './queueTaskView';
import { CoalescedRead } from '../util/coalescedRead';

/** While the queue cannot be opened or read: how soon to try again. */
const RETRY_MS = 5000;
/** Finished tasks kept in the list (the newest). */
const DONE_SHOWN = 20;

export class QueueController extends Disposable {
  private queue: { workspace: string; trusted: boolean; service: QueueService; stop: () => Promise<void> } | undefined;
  private started = false;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private lastShown = '';
  private readonly reads = new CoalescedRead(() => this.read());
  private readonly documents = this.register(new ArtifactDocuments());

  constructor(
    private readonly engine: Engine,
    private readonly store: ViewStore,
    private readonly folders: WorkspaceFolders,
    private readonly log: EventLog,
  ) {
    super();
    this.register({ dispose: () => this.stop() });
  }

  /** From the first time the sidebar shows: follows the queue's changes until the window closes. */
  start(): void {
    if (this.started) return;
    this.started = true;
    void this.refresh();
  }

  /** Re-reads the queue; a change heard during a read gets one more read after it (it may have come too late for this one). */
  refresh(): Promise<void> {
    return this.reads.run();
  }

  async create(title: string, description: string): Promise<string> {
    const task = await (await this.service()).createTask({ title, description }, 'sidebar');
    await this.refresh();
    return task.id;
  }

  /** The reviewer's decision; the notice says what happened (applied files, or why not). */
  async review(
    taskId: string,
    artifactId: string | undefined,
    verdict: 'approved' | 'rejected',
    comment: string | undefined,
  ): Promise<{ level: 'info' | 'warn'; text: string }> {
    if (verdict === 'approved' && !vscode.workspace.isTrusted)
      return {
        level: 'warn',
        text: "Approving applies the artifact and runs the layer's validation: trust the workspace first.",
      };
    const reviewer = await reviewerName();
    const outcome = await (
      await this.service()
    ).review({
      taskId,
      ...(artifactId ? { artifactId } : {}),
      verdict,
      reviewer,
      ...(comment?.trim() ? { comment: comment.trim() } : {}),
    });
    await this.refresh();
    if (outcome.refusal)
      return {
        level: 'warn',
        text: `Approved, but not applied: ${outcome.refusal}. The claimer was told; the task is in progress again.`,
      };
    if (verdict === 'rejected')
      return {
        level: 'info',
        text: `Rejected; ${outcome.task.claimer ?? 'the claimer'} sees your comment in the task's thread.`,
      };
    return {
      level: 'info',
      text: outcome.files.length ? `Approved: ${outcome.files.join(', ')} written and validated.` : 'Approved.',
    };
  }

  /** The artifact's whole change in an editor: the workspace file beside the submitted one, or the submitted diff. */
  async showDiff(taskId: string, artifactId: string): Promise<void> {
    const workspace = this.folders.current()?.uri.fsPath;
    const artifact = (await (await this.service()).detail(taskId)).artifacts.find((a) => a.id === artifactId);
    if (!workspace || !artifact) throw new Error(`no artifact ${artifactId} on task ${taskId}`);
    await this.documents.show(workspace, artifact);
  }

  private async service(): Promise<QueueService> {
    const workspace = this.folders.current()?.uri.fsPath;
    if (!workspace) throw new Error('open a workspace folder first');
    const trusted = vscode.workspace.isTrusted;
    // A granted trust reopens the queue able to apply work (and to reach a team's queue.url).
    if (this.queue?.workspace !== workspace || this.queue.trusted !== trusted) {
      await this.close();
      const service = await this.engine.openQueue(workspace, {
        trusted,
        say: (line) => this.log.write('info', `task queue: ${line}`),
      });
      const unsubscribe = service.onChange(() => void this.refresh());
      // Its file deleted or replaced under us: said, and the queue opened again on the next read.
      service.onLost((error) => {
        this.log.write('error', `task queue: ${error.message}`);
        void this.close().then(() => this.refresh());
      });
      const unfollow = await service.follow().catch(async (error: unknown) => {
        unsubscribe();
        await service.close().catch(() => undefined);
        throw error;
      });
      this.queue = { workspace, trusted, service, stop: async () => (unsubscribe(), await unfollow()) };
    }
    return this.queue.service;
  }

  private async read(): Promise<void> {
    let view: QueueView;
    try {
      const service = await this.service();
      const tasks = await service.listTasks();
      const open = tasks.filter((t) => t.status !== 'done');
      const done = tasks.filter((t) => t.status === 'done').slice(-DONE_SHOWN);
      view = {
        tasks: await Promise.all([...open, ...done].map(async (t) => taskView(await service.detail(t.id), service))),
      };
    } catch (error) {
      // A broken config or an unreachable queue.url: shown, and tried again in a few seconds.
      await this.close();
      view = { tasks: this.store.state.queue?.tasks ?? [], error: (error as Error).message };
      clearTimeout(this.retry);
      if (this.started) this.retry = setTimeout(() => void this.refresh(), RETRY_MS);
    }
    const shown = JSON.stringify(view);
    if (shown === this.lastShown) return;
    if (view.error && !this.lastShown.includes(view.error)) this.log.write('warn', `task queue: ${view.error}`);
    this.lastShown = shown;
    this.store.dispatch({ type: 'queue', queue: view });
  }

  private async close(): Promise<void> {
    const queue = this.queue;
    this.queue = undefined;
    await queue?.stop().catch(() => undefined);
    await queue?.service.close().catch(() => undefined);
  }

  private stop(): void {
    this.started = false;
    clearTimeout(this.retry);
    void this.close();
  }
}

/** Who decides: git's user.name, else the OS account. */
async function reviewerName(): Promise<string> {
  return (await loadEngine().hostCheckout.userName(process.cwd(), true)) || userInfo().username;
}
