/**
 * The sidebar's view of the workspace's task queue: read every few seconds while the window is
 * open (outside agents change it from other processes, even other machines with `queue.url`),
 * and the human's actions on it — a new task, an artifact approved or rejected. Approving applies
 * through the engine's guard and validation, so it needs a trusted workspace.
 */
import { execFile } from 'node:child_process';
import { userInfo } from 'node:os';
import * as vscode from 'vscode';
import type { QueueService } from '../../core/queue/queueService';
import type { QueueView } from '../../shared/viewState';
import type { Engine } from '../engine';
import type { EventLog } from '../log/eventLog';
import { Disposable } from '../util/disposable';
import type { ViewStore } from '../view/store';
import type { WorkspaceFolders } from '../workspace/folders';
import { ArtifactDocuments } from './artifactDocuments';
import { taskView } from './queueTaskView';

const POLL_MS = 2000;
/** Finished tasks kept in the list (the newest). */
const DONE_SHOWN = 20;

export class QueueController extends Disposable {
  private queue: { workspace: string; trusted: boolean; service: QueueService } | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private lastShown = '';
  private refreshing: Promise<void> | undefined;
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

  /** From the first time the sidebar shows: polls until the window closes. */
  start(): void {
    if (this.timer) return;
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), POLL_MS);
  }

  refresh(): Promise<void> {
    return (this.refreshing ??= this.read().finally(() => (this.refreshing = undefined)));
  }

  async create(title: string, description: string): Promise<string> {
    const task = await (await this.service()).createTask({ title, description }, 'sidebar');
    await this.refresh();
    return task.id;
  }

  /** The reviewer's decision; the notice says what happened (applied files, or why not). */
  async review(taskId: string, artifactId: string | undefined, verdict: 'approved' | 'rejected', comment: string | undefined): Promise<{ level: 'info' | 'warn'; text: string }> {
    if (verdict === 'approved' && !vscode.workspace.isTrusted) return { level: 'warn', text: 'Approving applies the artifact and runs the layer\'s validation: trust the workspace first.' };
    const reviewer = await reviewerName();
    const outcome = await (await this.service()).review({ taskId, ...(artifactId ? { artifactId } : {}), verdict, reviewer, ...(comment?.trim() ? { comment: comment.trim() } : {}) });
    await this.refresh();
    if (outcome.refusal) return { level: 'warn', text: `Approved, but not applied: ${outcome.refusal}. The claimer was told; the task is in progress again.` };
    if (verdict === 'rejected') return { level: 'info', text: `Rejected; ${outcome.task.claimer ?? 'the claimer'} sees your comment in the task's thread.` };
    return { level: 'info', text: outcome.files.length ? `Approved: ${outcome.files.join(', ')} written and validated.` : 'Approved.' };
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
      await this.queue?.service.close().catch(() => undefined);
      this.queue = undefined;
      this.queue = { workspace, trusted, service: await this.engine.openQueue(workspace, { trusted }) };
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
      view = { tasks: await Promise.all([...open, ...done].map(async (t) => taskView(await service.detail(t.id), service))) };
    } catch (error) {
      // A broken config or an unreachable queue.url: shown, and tried again at the next tick.
      await this.queue?.service.close().catch(() => undefined);
      this.queue = undefined;
      view = { tasks: this.store.state.queue?.tasks ?? [], error: (error as Error).message };
    }
    const shown = JSON.stringify(view);
    if (shown === this.lastShown) return;
    if (view.error && !this.lastShown.includes(view.error)) this.log.write('warn', `task queue: ${view.error}`);
    this.lastShown = shown;
    this.store.dispatch({ type: 'queue', queue: view });
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    void this.queue?.service.close().catch(() => undefined);
    this.queue = undefined;
  }
}

/** Who decides: git's user.name, else the OS account. */
function reviewerName(): Promise<string> {
  return new Promise((resolve) => {
    execFile('git', ['config', '--global', 'user.name'], { timeout: 3000 }, (error, stdout) => {
      const name = error ? '' : stdout.trim();
      resolve(name || userInfo().username);
    });
  });
}
