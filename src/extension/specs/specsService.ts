/**
 * Keeps the sidebar's lists of specs and runs fresh (engine.listSpecs / listRuns) and loads a
 * selected spec's markdown. Refreshes on demand, after runs, and when spec files change on disk.
 *
 * Listing loads the engine (see ../engine.ts), so nothing is listed until the lists are first
 * asked for (`refresh`: the sidebar is shown, a run ended); before that, file and folder events
 * are ignored.
 */
import * as vscode from 'vscode';
import type { Engine } from '../engine';
import type { EventLog } from '../log/eventLog';
import { Disposable } from '../util/disposable';
import type { ViewStore } from '../view/store';
import type { SpecItem } from '../../shared/viewState';
import type { WorkspaceFolders } from '../workspace/folders';
import { specFilePath, watchedWithFolders } from './specFiles';
import { driftViewOf } from '../view/driftView';
import { traceViewOf } from '../view/traceView';

export class SpecsService extends Disposable {
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Set by the first refresh; until then refreshSoon does nothing. */
  private listing = false;
  /** Counts select() calls, so that only the latest one shows its spec. */
  private selecting = 0;
  /** The spec the latest select() is still reading: the one to show, though not dispatched yet. */
  private reading: string | undefined;

  constructor(
    private readonly engine: Engine,
    private readonly store: ViewStore,
    private readonly folders: WorkspaceFolders,
    private readonly log: EventLog,
  ) {
    super();
    const soon = () => this.refreshSoon();
    // Our specs, Mustard's spec folders (`.claude/spec/{slug}/`, whose meta.json holds its stage),
    // Kiro and Spec Kit folders (listed until imported; Kiro writes tasks.md later), a change-set's
    // record and its end (issue 73; its members' runs end with a refresh too); the folders on their way.
    for (const pattern of watchedWithFolders([
      '**/spec/*/*/spec.md',
      '**/.claude/spec/*/{spec.md,meta.json,plan.json,notebook.md}',
      '**/.kiro/specs/*/*.md',
      '**/specs/*/{spec,plan,tasks}.md',
      '**/.claude/changesets/*/{set,outcome}.json',
    ])) {
      const watcher = this.register(vscode.workspace.createFileSystemWatcher(pattern));
      this.register(watcher.onDidCreate(soon));
      this.register(watcher.onDidChange(soon));
      this.register(watcher.onDidDelete(soon));
    }
    this.register(folders.onDidChange(soon));
    this.register({ dispose: () => clearTimeout(this.timer) });
  }

  /** Coalesces bursts of file events (a run moves a spec: delete + create). No-op before the first refresh. */
  refreshSoon(): void {
    if (!this.listing) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), 300);
  }

  async refresh(): Promise<void> {
    this.listing = true;
    const ws = this.folders.current()?.uri.fsPath;
    if (!ws) {
      this.store.dispatch({ type: 'specs', specs: [] });
      this.store.dispatch({ type: 'runs', runs: [] });
      this.store.dispatch({ type: 'changeSets', sets: [] });
      return;
    }
    const [specs, runs, sets] = await Promise.allSettled([
      this.engine.listSpecs(ws),
      this.engine.listRuns(ws),
      this.engine.changeSets(ws),
    ]);
    if (specs.status === 'fulfilled') {
      this.store.dispatch({ type: 'specs', specs: specs.value });
      // The shown spec may have changed on disk (status, revision, moved to completed/). One a
      // select() is still reading is the one shown next: re-reading the one shown before it would
      // take the selection back (an import selected its spec while a finished run's move refreshed).
      const shown = this.reading ?? this.store.state.selectedSpec?.id;
      if (shown && this.store.state.pendingDecision?.id !== shown && specs.value.some((x) => x.id === shown))
        await this.select(shown);
    } else this.log.write('warn', `listing specs failed: ${String(specs.reason)}`);
    if (runs.status === 'fulfilled') this.store.dispatch({ type: 'runs', runs: runs.value });
    else this.log.write('warn', `listing runs failed: ${String(runs.reason)}`);
    if (sets.status === 'fulfilled') this.store.dispatch({ type: 'changeSets', sets: sets.value });
    else this.log.write('warn', `listing change-sets failed: ${String(sets.reason)}`);
  }

  /** A spec or folder as the list shows it now. */
  listed(id: string): SpecItem | undefined {
    return this.store.state.specs.find((s) => s.id === id);
  }

  /** The human's layer for a task marked "no layer" (the sidebar's picker), written into spec.md; the lists refresh. */
  async assignLayer(specId: string, task: string, layer: string): Promise<void> {
    const ws = this.folders.current()?.uri.fsPath;
    if (!ws) throw new Error('no workspace folder is open');
    await this.engine.assignLayers(ws, specId, [{ task, layer }]);
    await this.refresh();
  }

  /** Shows a saved spec in the sidebar; the pending decision's spec comes with its markdown. */
  async select(id: string): Promise<void> {
    // The latest selection wins: a list refresh re-reading the spec shown before must not replace one chosen since.
    const token = ++this.selecting;
    this.reading = id;
    try {
      await this.show(id, token);
    } finally {
      if (token === this.selecting) this.reading = undefined;
    }
  }

  private async show(id: string, token: number): Promise<void> {
    const state = this.store.state;
    if (state.pendingDecision?.id === id) {
      this.store.dispatch({ type: 'select', spec: state.pendingDecision });
      return;
    }
    const spec = state.specs.find((s) => s.id === id);
    const ws = this.folders.current()?.uri.fsPath;
    if (!spec || !ws) return;
    const file = specFilePath(ws, spec.path);
    try {
      const bytes = await vscode.workspace.fs.readFile(vscode.Uri.file(file));
      if (token !== this.selecting) return;
      this.store.dispatch({ type: 'select', spec: { id, path: file, markdown: new TextDecoder().decode(bytes) } });
    } catch (err) {
      this.log.write('warn', `reading ${file} failed: ${String(err)}`);
      return;
    }
    // A Mustard, Kiro or Spec Kit folder has no journaled runs of its own to trace.
    if (!spec.mustard && !spec.foreign) await this.loadTrace(ws, id);
  }

  /**
   * Drift: the completed spec against today's code, shown under it. Its validate and test
   * commands run only in a trusted workspace (the engine reports them not run otherwise).
   * `strength`: its proof tests measured against mutants again (`verify --strength`).
   */
  async verify(id: string, trusted: boolean, strength = false): Promise<void> {
    const ws = this.folders.current()?.uri.fsPath;
    if (!ws) return;
    this.store.dispatch({
      type: 'drift',
      drift: { specId: id, running: true, notes: [], requirements: [], ...(strength ? { measuring: true } : {}) },
    });
    try {
      const report = await this.engine.verifySpecs(ws, [id], { trusted, strength });
      const drift = report.specs[0];
      if (drift) this.store.dispatch({ type: 'drift', drift: driftViewOf(drift) });
    } catch (err) {
      this.store.dispatch({
        type: 'drift',
        drift: {
          specId: id,
          running: false,
          notes: [],
          requirements: [],
          error: err instanceof Error ? err.message : String(err),
        },
      });
    }
  }

  /** The spec's traceability matrix (from its runs' journals), shown under it; none for a spec without requirements. */
  private async loadTrace(ws: string, id: string): Promise<void> {
    try {
      const { matrix } = await this.engine.traceSpec(ws, id);
      if (matrix.rows.length > 0) this.store.dispatch({ type: 'trace', trace: traceViewOf(matrix) });
    } catch (err) {
      this.log.write('warn', `tracing ${id} failed: ${String(err)}`);
    }
  }
}
