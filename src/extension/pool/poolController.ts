/**
 * The sidebar's view of the pool of workers (issue 28): every pooled run live — status, phase,
 * wave, cost and the worker running it — and the team's spend today. Live through the pool's
 * LISTEN/NOTIFY (the same follower as the portal's Pool page: src/pool/board.ts), re-read on each
 * change; no polling. Only while the database cannot be reached is it tried again every few seconds.
 *
 * Shown only when the workspace's queue is on PostgreSQL (`queue.url` or ORCHESTRATOR_QUEUE_URL)
 * and the workspace is trusted: like the team queue, a server the workspace names is not
 * contacted in Restricted Mode. The pool's code (dist/pool.js, with the PostgreSQL client) is
 * loaded only then.
 *
 * Approve queues a pooled spec at the gate again for any free worker (the call of `approve
 * <specId>` and the portal's Specs page); Apply fetches a completed run's `orchestrator/<slug>`
 * branch and brings it into the working tree three ways (`apply <runId>`). Journal shows a run's
 * journal in the run panel as its workers mirrored it, as a local run's is shown from its own, read
 * again on each change of that run while it is shown (`orchestrator events <runId>` reads the same).
 */
import { userInfo } from 'node:os';
import * as vscode from 'vscode';
import type * as PoolBundle from '../../pool/index';
import type { PoolView } from '../../shared/viewState';
import { RUNS_GIT, requireTrust } from '../host/trust';
import type { EventLog } from '../log/eventLog';
import { Disposable } from '../util/disposable';
import type { ViewStore } from '../view/store';
import type { WorkspaceFolders } from '../workspace/folders';
import { CoalescedRead } from '../util/coalescedRead';
import { hasPool, poolBundle } from './poolBundle';

/** While the pool cannot be read: how soon to try again. */
const RETRY_MS = 5000;
/** Changes closer together than this are one re-read (a run's cost moves with each model call). */
const COALESCE_MS = 100;

type Notice = (level: 'info' | 'warn' | 'error', text: string) => void;

export class PoolController extends Disposable {
  private follower: { workspace: string; open: Promise<PoolBundle.PoolFollower> } | undefined;
  private started = false;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private soon: ReturnType<typeof setTimeout> | undefined;
  private readonly reads = new CoalescedRead(() => this.read());
  private applying: string | undefined;
  /** The pooled run whose journal the run panel shows (its Journal). */
  private shown: string | undefined;
  private shownMoved = false;
  private readonly shownReads = new CoalescedRead(() => this.readShown());

  constructor(
    private readonly store: ViewStore,
    private readonly folders: WorkspaceFolders,
    private readonly log: EventLog,
    private readonly notice: Notice,
    /** After an Apply: the files it brought (a spec among them) change the sidebar's lists. */
    private readonly applied: () => void = () => undefined,
  ) {
    super();
    this.register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.started && void this.refresh()));
    this.register(folders.onDidChange(() => this.started && void this.refresh()));
    this.register({ dispose: () => this.stop() });
  }

  /** From the first time the sidebar shows: follows the pool until the window closes. */
  start(): void {
    if (this.started) return;
    this.started = true;
    void this.refresh();
  }

  /** Re-reads the pool; a change heard during a read gets one more read after it. */
  refresh(): Promise<void> {
    return this.reads.run();
  }

  async approve(specId: string): Promise<void> {
    const run = await (await this.open())?.approve(specId, whoAmI());
    if (run) this.notice('info', `Approved ${specId}: pooled run ${run.runId} continues on the next free worker.`);
    else this.notice('warn', `No pooled run waits with the spec ${specId} any more.`);
  }

  /** A pooled run still going stopped (queued, at its gate or running: its worker stops its agents and pushes nothing more). */
  async stopRun(runId: string): Promise<void> {
    const stopped = await (await this.open())?.cancel(runId, `cancelled by ${whoAmI()} in VS Code`);
    if (stopped) this.notice('info', `Stopped pooled run ${runId} (it was ${stopped.was}).`);
    else this.notice('warn', `Pooled run ${runId} is not going any more.`);
  }

  /** The completed run's branch, fetched from the team's remote and merged into the working tree (nothing staged or committed). */
  async apply(runId: string): Promise<void> {
    if (!requireTrust('Apply', RUNS_GIT)) return;
    const workspace = this.folders.current()?.uri.fsPath;
    if (!workspace || this.applying) return;
    this.applying = runId;
    this.show();
    try {
      const report = await poolBundle().applyPooledRun(workspace, runId);
      const count = report.written.length + report.merged.length + report.deleted.length;
      const merged = report.merged.length ? ` (${report.merged.length} merged with your edits)` : '';
      const text = `Applied pooled run ${runId} (branch ${report.branch}): ${count} file(s)${merged}; nothing staged or committed.`;
      this.log.write('info', text);
      this.notice('info', text);
      this.applied();
    } catch (error) {
      // A conflict writes nothing and names the files (issue 22's three-way apply).
      this.log.write('warn', `pool: apply ${runId}: ${(error as Error).message}`);
      this.notice('error', (error as Error).message);
    } finally {
      this.applying = undefined;
      this.show();
    }
  }

  /** A pooled run's journal in the run panel (read-only), followed while shown; not over a run going in this window. */
  async showRun(runId: string): Promise<void> {
    // The pool is a server the workspace names: not contacted in Restricted Mode (open() refuses too).
    if (
      !requireTrust("Show a pooled run's journal", "contacts the pool's database that the workspace names (queue.url)")
    )
      return;
    const follower = await this.open();
    if (!follower) return this.notice('warn', 'This workspace has no pool (queue.url on PostgreSQL).');
    if (this.store.state.busy)
      return this.notice('warn', `A run goes in this window: show pooled run ${runId} once it ended.`);
    const read = await follower.journal(runId);
    if (!read) return this.notice('warn', `The pool has no run ${runId} any more.`);
    this.store.dispatch({ type: 'run.pooled', ...read });
    this.shown = runId;
    // A change heard while it was read was not followed yet: one more read of a run still going.
    if (read.info.status === 'running') void this.shownReads.run();
  }

  /** The shown pooled run read again (its journal grew, or it moved on); nothing once the panel shows another run. */
  private async readShown(): Promise<void> {
    const runId = this.shown;
    if (!runId || !this.store.state.run?.pooled || this.store.state.run.runId !== runId)
      return void (this.shown = undefined);
    try {
      const read = await (await this.open())?.journal(runId);
      if (read) this.store.dispatch({ type: 'run.pooled', ...read, follow: true });
    } catch (error) {
      this.log.write('warn', `pool: the journal of ${runId}: ${(error as Error).message}`);
    }
  }

  /** The follower of the sidebar's workspace's pool, or none: no workspace, not trusted, no PostgreSQL. */
  private async open(): Promise<PoolBundle.PoolFollower | undefined> {
    const workspace = this.folders.current()?.uri.fsPath;
    if (!workspace || !vscode.workspace.isTrusted || !(await hasPool(workspace))) {
      await this.close();
      return undefined;
    }
    if (this.follower?.workspace !== workspace) {
      await this.close();
      const open = poolBundle().followPool(workspace, (change) => this.changed(change));
      this.follower = { workspace, open };
      open.catch(() => {
        if (this.follower?.open === open) this.follower = undefined;
      });
    }
    return this.follower.open;
  }

  private changed(change?: PoolBundle.PoolChange): void {
    if (this.shown && (!change || change.runId === this.shown)) this.shownMoved = true;
    if (this.soon) return;
    this.soon = setTimeout(() => {
      this.soon = undefined;
      if (this.shownMoved) {
        this.shownMoved = false;
        void this.shownReads.run();
      }
      void this.refresh();
    }, COALESCE_MS);
  }

  private last: PoolView | undefined;

  private async read(): Promise<void> {
    clearTimeout(this.retry);
    try {
      const follower = await this.open();
      if (!follower) {
        this.last = undefined;
      } else {
        const board = await follower.board();
        this.last = {
          runs: board.runs,
          day: board.day,
          spentTodayUsd: board.spentTodayUsd,
          requestsToday: board.requestsToday,
          budgetUsdPerDay: board.budgetUsdPerDay,
        };
      }
    } catch (error) {
      // PostgreSQL unreachable (or a broken config): said, the last runs kept, tried again shortly.
      const message = (error as Error).message;
      if (this.last?.error !== message) this.log.write('warn', `pool: ${message}`);
      this.last = { ...(this.last ?? { runs: [] }), error: message };
      await this.close();
      if (this.started) this.retry = setTimeout(() => void this.refresh(), RETRY_MS);
    }
    this.show();
  }

  private show(): void {
    const view = this.last && { ...this.last, ...(this.applying ? { applying: this.applying } : {}) };
    if (JSON.stringify(view) !== JSON.stringify(this.store.state.pool))
      this.store.dispatch({ type: 'pool', pool: view });
  }

  private async close(): Promise<void> {
    const follower = this.follower;
    this.follower = undefined;
    await (await follower?.open.catch(() => undefined))?.close().catch(() => undefined);
  }

  private stop(): void {
    this.started = false;
    clearTimeout(this.retry);
    clearTimeout(this.soon);
    void this.close();
  }
}

/** Who stopped a run, as a dispatch names who asked for it (the OS account). */
function whoAmI(): string {
  try {
    return userInfo().username;
  } catch {
    return 'someone';
  }
}
