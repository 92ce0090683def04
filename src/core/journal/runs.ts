import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RunInfo } from '../api';
import { readEvents } from './journal';
import { activeRunLock } from './lock';
import { JOURNAL_FILE, assertSafeRunId, runsDir } from './runPaths';
import { rebuildState, type RunState } from './state';

/**
 * A run's state from its journal, with `running` told apart from `interrupted` by the
 * workspace lock: no terminal event + a live lock holder for this run = still running.
 */
export function loadRunState(workspace: string, runId: string): RunState {
  const state = rebuildState(readEvents(workspace, runId));
  state.runId ??= runId;
  if (state.status === 'interrupted' && activeRunLock(workspace)?.runId === runId) state.status = 'running';
  return state;
}

/**
 * Every run with a journal, newest first. A journal that cannot be read, or that holds no
 * `run.started` yet, is skipped and reported through `onWarning` rather than hiding the rest.
 */
export function listRuns(workspace: string, onWarning: (message: string) => void = () => {}): RunInfo[] {
  const dir = runsDir(workspace);
  if (!existsSync(dir)) return [];
  const runs: RunInfo[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || !existsSync(join(dir, entry.name, JOURNAL_FILE))) continue;
    try {
      assertSafeRunId(entry.name);
      const state = loadRunState(workspace, entry.name);
      if (!state.kind || state.request === undefined) {
        onWarning(`Run ${entry.name} has no run.started event; skipped`);
        continue;
      }
      runs.push({
        runId: entry.name,
        kind: state.kind,
        request: state.request,
        status: state.status,
        started: state.started ?? '',
      });
    } catch (err) {
      onWarning(`Run ${entry.name} skipped: ${(err as Error).message}`);
    }
  }
  return runs.sort(newestFirst);
}

/**
 * What `resume` without an id continues: the newest run that did not complete and is not
 * running now — interrupted (crash, Ctrl-C, cancel) or stopped for a reason resuming can fix
 * (the API unavailable, the budget raised, validation after the human fixed the code).
 */
export function findLatestUnfinishedRun(
  workspace: string,
  onWarning?: (message: string) => void,
): RunInfo | undefined {
  return listRuns(workspace, onWarning).find((run) => run.status === 'interrupted' || run.status === 'stopped');
}

function newestFirst(a: RunInfo, b: RunInfo): number {
  if (a.started !== b.started) return a.started < b.started ? 1 : -1;
  return a.runId < b.runId ? 1 : a.runId > b.runId ? -1 : 0;
}
