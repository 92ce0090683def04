/**
 * After a window reload nothing is running, but the user should still see how the last run
 * went (and whether it can be resumed): rebuild its view from its journal.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EngineEvent } from '../../core/events';
import type { Engine } from '../engine';
import type { EventLog } from '../log/eventLog';
import { parseJournal } from '../view/journal';
import type { ViewStore } from '../view/store';

/** A run's journal as engine events; empty when it cannot be read. */
export async function readJournal(workspace: string, runId: string): Promise<EngineEvent[]> {
  try {
    const file = vscode.Uri.file(path.join(workspace, '.claude', 'runs', runId, 'events.jsonl'));
    return parseJournal(new TextDecoder().decode(await vscode.workspace.fs.readFile(file)));
  } catch {
    return [];
  }
}

export async function restoreLatestRun(engine: Engine, store: ViewStore, workspace: string, log: EventLog): Promise<void> {
  if (store.state.run || store.state.busy) return;
  try {
    const runs = await engine.listRuns(workspace);
    const latest = [...runs].filter((r) => r.status !== 'unreadable').sort((a, b) => b.started.localeCompare(a.started))[0];
    if (!latest) return;
    const events = await readJournal(workspace, latest.runId);
    if (events.length > 0) store.dispatch({ type: 'run.restored', info: latest, events });
  } catch (err) {
    log.write('trace', `no run to restore: ${String(err)}`);
  }
}
