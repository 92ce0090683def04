/**
 * The runs `/status` and `orchestrator_runStatus` report, as plain data (the tool returns it as
 * JSON): the runs of this window as the sidebar's view model has them (the in-place run and the
 * worktree lanes), else the workspace's journals; and, when the workspace has a pool, the pool's
 * runs as `runs --pool` lists them (their worker, phase, wave, cost, and the gate a run waits
 * at). No vscode import (trust is the caller's): unit-tested on a real PostgreSQL.
 */
import type { PoolRunView, PooledWait } from '../../pool/index';
import type { ChangeSetView, RunView } from '../../shared/viewState';
import { hasPool, poolBundle } from '../pool/poolBundle';
import type { Services } from '../services';
import { criteriaProof, type CriterionProofStatus } from './runReport';

export interface RunStatusData {
  runId?: string;
  kind?: string;
  request: string;
  status: string;
  /** Going: in this window, or in the pool (queued, running, or waiting at a gate). */
  live: boolean;
  phase?: string;
  specId?: string;
  lane?: string;
  costUsd?: number;
  filesChanged?: string[];
  error?: string;
  /** The gate waiting for a human on this run: approve it in the chat, the sidebar, the portal or the CLI. */
  awaitingDecision?: { specId: string; phase?: string };
  /** A run of the pool of workers (`runs.dispatch: pool`, `--pool`): not running in this window. */
  dispatch?: 'pool';
  /** The pool's worker running it (or that ran it last). */
  worker?: string;
  /** The pool's wave in IMPLEMENT (`1/2`). */
  wave?: string;
  /** A completed pooled run's branch on the team's remote (Apply brings it into the working tree). */
  resultBranch?: string;
  /** Each criterion's proof (docs/proof.md) as the run's matrix has it: proven, vacuous, broken, failing or unproven. */
  proof?: CriterionProofStatus[];
}

export interface RunStatusAnswer {
  runs: RunStatusData[];
  /** The pool could not be read (PostgreSQL down, a broken `queue.url`): the local runs are still listed. */
  poolError?: string;
  /** The change-sets of the workspace of repositories the folder is in (issue 73), the latest first: one status per member. */
  changeSets?: ChangeSetView[];
  /** Its workspace file could not be read (a mistake in it): said, the runs still listed. */
  changeSetError?: string;
}

export type StatusServices = Pick<Services, 'store' | 'decisions' | 'engine'>;

function fromView(s: StatusServices, run: RunView): RunStatusData {
  const pending = s.decisions.pending;
  const waits =
    pending &&
    run.live &&
    (run.status === 'awaiting-approval' || run.workflow !== undefined) &&
    (run.specId === undefined || run.specId === pending.specId);
  return {
    ...(run.runId ? { runId: run.runId } : {}),
    kind: run.kind,
    request: run.request,
    status: run.status,
    live: run.live,
    ...(run.phase ? { phase: run.phase } : {}),
    ...(run.specId ? { specId: run.specId } : {}),
    ...(run.lane ? { lane: run.lane } : {}),
    costUsd: run.costUsd,
    filesChanged: [...run.filesChanged],
    ...(run.error ? { error: run.error } : {}),
    ...(waits
      ? {
          awaitingDecision: {
            specId: pending.specId,
            ...(pending.phase !== undefined ? { phase: pending.phase } : {}),
          },
        }
      : {}),
    ...(run.trace?.rows.length ? { proof: criteriaProof(run.trace.rows) } : {}),
  };
}

const POOL_GOING = new Set(['queued', 'running', 'awaiting-approval']);

function fromPool(run: PoolRunView, wait: PooledWait | undefined): RunStatusData {
  const gate =
    run.status === 'awaiting-approval' && run.specId
      ? { specId: run.specId, ...(wait?.gate ? { phase: wait.gate.phase } : {}) }
      : undefined;
  return {
    runId: run.runId,
    kind: run.kind,
    request: run.request,
    status: run.status,
    live: POOL_GOING.has(run.status),
    ...(run.phase ? { phase: run.phase } : {}),
    ...(run.specId ? { specId: run.specId } : {}),
    costUsd: run.costUsd,
    ...(run.reason ? { error: run.reason } : {}),
    ...(gate ? { awaitingDecision: gate } : {}),
    dispatch: 'pool',
    ...(run.worker ? { worker: run.worker } : {}),
    ...(run.wave ? { wave: run.wave } : {}),
    ...(run.resultBranch ? { resultBranch: run.resultBranch } : {}),
  };
}

/** The pool's runs, oldest first (none without a pool): `runs --pool`'s listing, with the gate each waiting run waits at. */
export async function pooledRunStatus(workspace: string): Promise<RunStatusData[]> {
  if (!(await hasPool(workspace))) return [];
  const pool = poolBundle();
  const [runs, waits] = await Promise.all([pool.listPoolRuns(workspace), pool.pooledWaiting(workspace)]);
  return runs.map((run) =>
    fromPool(
      run,
      waits.find((w) => w.run.runId === run.runId),
    ),
  );
}

/**
 * One run (by id), here or in the pool; else the runs going, in this window and in the pool; else
 * the latest here and the pool's latest. `trusted`: the pool, a server the workspace names, is
 * read only in a trusted workspace.
 */
export async function runStatusData(
  s: StatusServices,
  workspace: string,
  runId: string | undefined,
  trusted: boolean,
): Promise<RunStatusAnswer> {
  let pooled: RunStatusData[] = [];
  let poolError: string | undefined;
  try {
    if (trusted) pooled = await pooledRunStatus(workspace);
  } catch (error) {
    poolError = (error as Error).message;
  }
  // A set's members run in their own folders: its view is the one place its runs show as one (not asked for one run).
  let changeSets: ChangeSetView[] = [];
  let changeSetError: string | undefined;
  try {
    if (!runId) changeSets = (await s.engine.changeSets(workspace)).slice(0, 3);
  } catch (error) {
    changeSetError = (error as Error).message;
  }
  const answer = (runs: RunStatusData[]): RunStatusAnswer => ({
    runs,
    ...(poolError ? { poolError } : {}),
    ...(changeSets.length ? { changeSets } : {}),
    ...(changeSetError ? { changeSetError } : {}),
  });
  const views = [s.store.state.run, ...(s.store.state.lanes ?? [])].filter((r): r is RunView => r !== undefined);
  const live = views.filter((r) => (runId ? r.runId === runId : r.live)).map((r) => fromView(s, r));
  const poolShown = pooled.filter((r) => (runId ? r.runId === runId : r.live));
  if (live.length + poolShown.length > 0) return answer([...live, ...poolShown]);
  const journals = (await s.engine.listRuns(workspace)).sort((a, b) => b.started.localeCompare(a.started));
  const picked = runId ? journals.filter((r) => r.runId === runId) : journals.slice(0, 1);
  const local = picked.map((r): RunStatusData => ({
    runId: r.runId,
    ...(r.kind ? { kind: r.kind } : {}),
    request: r.request,
    status: r.status,
    live: false,
    ...(r.specId ? { specId: r.specId } : {}),
  }));
  return answer([...local, ...(runId ? [] : pooled.slice(-1))]);
}
