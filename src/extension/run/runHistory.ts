/**
 * After a window reload nothing is running in this window, but the user should still see how the
 * last run went (and whether it can be resumed): rebuild its view from its journal. A run another
 * process still runs (its lock's holder lives) is followed instead, never offered for Resume.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EngineEvent } from '../../core/events';
import type { Engine } from '../engine';
import type { EventLog } from '../log/eventLog';
import { parseJournal } from '../view/journal';
import type { ViewStore } from '../view/store';
import type { ViewState } from '../../shared/viewState';

/** A run's journal as engine events; empty when it cannot be read. */
export async function readJournal(workspace: string, runId: string): Promise<EngineEvent[]> {
  try {
    const file = vscode.Uri.file(path.join(workspace, '.claude', 'runs', runId, 'events.jsonl'));
    return parseJournal(new TextDecoder().decode(await vscode.workspace.fs.readFile(file)));
  } catch {
    return [];
  }
}

/** How often a followed run's owner is asked after (whether it still lives): its journal's growth is watched. */
const OWNER_CHECK_MS = 5000;

/**
 * The last run, rebuilt from its journal. One another live process runs (`serve` from a GitHub issue,
 * a CLI run) is followed until it ends; the returned disposable stops that.
 */
export async function restoreLatestRun(
  engine: Engine,
  store: ViewStore,
  workspace: string,
  log: EventLog,
): Promise<vscode.Disposable> {
  const none = new vscode.Disposable(() => {});
  if (store.state.run || store.state.busy) return none;
  try {
    const runs = await engine.listRuns(workspace);
    const latest = [...runs]
      .filter((r) => r.status !== 'unreadable')
      .sort((a, b) => b.started.localeCompare(a.started))[0];
    if (!latest) return none;
    const events = await readJournal(workspace, latest.runId);
    if (events.length > 0) store.dispatch({ type: 'run.restored', info: latest, events });
    const shown: ViewState = store.state; // read anew: the dispatch changed it
    return shown.run?.elsewhere ? followElsewhere(engine, store, workspace, latest.runId, log) : none;
  } catch (err) {
    log.write('trace', `no run to restore: ${String(err)}`);
    return none;
  }
}

/**
 * A run another process owns, followed from its journal: read again when the journal changes, and
 * its owner asked after every few seconds (a `serve` killed writes nothing more). Once it ended, or
 * its owner is gone (then it is interrupted, and Resume is offered), or this window shows another
 * run, following stops.
 */
function followElsewhere(
  engine: Engine,
  store: ViewStore,
  workspace: string,
  runId: string,
  log: EventLog,
): vscode.Disposable {
  let reading = false;
  let again = false;
  const stop = () => {
    watcher.dispose();
    clearInterval(timer);
  };
  const read = async (): Promise<void> => {
    if (reading) return void (again = true);
    reading = true;
    try {
      if (store.state.run?.runId !== runId || !store.state.run.elsewhere) return stop();
      const info = await engine.runInfo(workspace, runId);
      if (!info) return stop();
      store.dispatch({ type: 'run.followed', info, events: await readJournal(workspace, runId) });
      if (!store.state.run?.elsewhere) stop();
    } catch (err) {
      log.write('trace', `run ${runId} not followed: ${String(err)}`);
    } finally {
      reading = false;
      if (again) {
        again = false;
        void read();
      }
    }
  };
  const watcher = vscode.workspace.createFileSystemWatcher(
    new vscode.RelativePattern(vscode.Uri.file(path.join(workspace, '.claude', 'runs', runId)), 'events.jsonl'),
  );
  watcher.onDidChange(() => void read());
  const timer = setInterval(() => void read(), OWNER_CHECK_MS);
  return new vscode.Disposable(stop);
}
