import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { RunInfo } from './runInfo';
import { readEvents } from './journal';
import { activeRunLock } from './lock';
import { runIdTime } from './runId';
import { JOURNAL_FILE, assertSafeRunId, runsDir } from './runPaths';
import { rebuildState, type RunState } from './state';
import { isResumableStatus } from './stateQueries';

/**
 * A run's state from its journal, with `running` told apart from `interrupted` by the
 * workspace lock: no terminal event + a live lock holder for this run = still running.
 */
export function loadRunState(workspace: string, runId: string): RunState {
  const state = rebuildState(readEvents(workspace, runId));
  state.runId ??= runId;
  // A worktree run holds the lock of its worktree, not the workspace's.
  const lockedIn = state.worktree?.path ?? workspace;
  if (state.status === 'interrupted' && activeRunLock(lockedIn)?.runId === runId) state.status = 'running';
  return state;
}

/**
 * Every run with a journal, newest first. A journal that cannot be read, or that holds no
 * `run.started`, is listed as `unreadable` with the reason, never hidden.
 */
export function listRuns(workspace: string): RunInfo[] {
  const dir = runsDir(workspace);
  if (!existsSync(dir)) return [];
  const runs: RunInfo[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const run = entry.isDirectory() ? runInfo(workspace, entry.name) : undefined;
    if (run) runs.push(run);
  }
  return runs.sort(newestFirst);
}

/** One run as `listRuns` lists it, undefined without a journal (for a caller following one run: its journal alone is read). */
export function runInfo(workspace: string, runId: string): RunInfo | undefined {
  const journal = join(runsDir(workspace), runId, JOURNAL_FILE);
  if (!existsSync(journal)) return undefined;
  try {
    assertSafeRunId(runId);
    const state = loadRunState(workspace, runId);
    if (!state.kind || state.request === undefined)
      return unreadable(runId, journal, 'the journal has no run.started event');
    const worktree = state.worktree
      ? {
          worktree: {
            path: state.worktree.path,
            outcome: state.worktree.outcome,
            ...(state.worktree.branch ? { branch: state.worktree.branch } : {}),
          },
        }
      : {};
    const spec = state.specId ? { specId: state.specId } : {};
    const workflow = state.workflow ? { workflow: state.workflow } : {};
    const gate = state.status === 'spec-saved' && state.waitingGate ? { gate: state.waitingGate } : {};
    const github = state.github ? { github: { ...state.github } } : {};
    return {
      runId,
      kind: state.kind,
      request: state.request,
      status: state.status,
      started: state.started ?? '',
      ...spec,
      ...workflow,
      ...gate,
      ...worktree,
      ...github,
    };
  } catch (err) {
    return unreadable(runId, journal, (err as Error).message);
  }
}

function unreadable(runId: string, journal: string, problem: string): RunInfo {
  let started = runIdTime(runId)?.toISOString();
  if (!started) {
    try {
      started = statSync(journal).mtime.toISOString();
    } catch {
      started = '';
    }
  }
  return { runId, request: '', status: 'unreadable', started, problem };
}

/**
 * The newest run that did not complete and is not running now: what a bare `resume`
 * continues. Unreadable journals are skipped and told to `onWarning`.
 */
export function findLatestResumableRun(
  workspace: string,
  onWarning: (message: string) => void = () => {},
): RunInfo | undefined {
  for (const run of listRuns(workspace)) {
    if (run.status === 'unreadable') onWarning(`Run ${run.runId} skipped: ${run.problem ?? 'unreadable journal'}`);
    // A worktree run already applied, branched or discarded has nothing left to continue.
    else if (isResumableStatus(run.status) && (run.worktree?.outcome ?? 'pending') === 'pending') return run;
  }
  return undefined;
}

function newestFirst(a: RunInfo, b: RunInfo): number {
  if (a.started !== b.started) return a.started < b.started ? 1 : -1;
  return a.runId < b.runId ? 1 : a.runId > b.runId ? -1 : 0;
}
