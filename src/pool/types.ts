/**
 * The pool's shared types (a leaf module): a pooled run as `runs --pool --json` shows it, and the
 * request a dispatch stores (docs/pool.md).
 */

import type { GithubLinkView } from '../shared/githubLinks';
import type { PoolBoardRun, PoolKind, PoolRunView, PoolStatus } from '../shared/poolBoard';
import type { RunChoices } from '../core/api';
import { isCliRunner, type CliRunnerName } from '../core/text/runnerNames';

// How the pool's views show its runs is the UI contract's (src/shared/poolBoard.ts).
export {
  POOL_STATUSES,
  type PoolBoard,
  type PoolBoardRun,
  type PoolKind,
  type PoolRunView,
  type PoolStatus,
} from '../shared/poolBoard';

/**
 * What a pooled run's job row holds beside its kind and request (its `flags` column): the run's
 * choices (src/core/runChoices.ts: `--approve` as `autoApprove` and `approveGates`, `--yes` as
 * `assumeYes`, `--max-budget` as `overrides.limits.maxBudgetUsd`, `--workflow`, `--allow-untested`,
 * `--runner`, `--attempts`…), which travel with it to whichever worker takes it, and what the pool
 * adds. A CLI agent's runner also puts `runner:<name>` in the run's labels (runnerLabel): a worker
 * without that CLI never claims it. Rows written before issue 72 are read by jobChoicesOf.
 */
export interface JobChoices extends RunChoices {
  /**
   * `approve <specId>` of a run at a gate (spec or phase): that gate only, the one whose question
   * is the mirrored journal's entry `seq` (PoolStore.approve); a later gate asks again.
   */
  approval?: { seq: number; by?: string };
  /**
   * `/changes <what>` on a pooled run's issue at its gate: the gate whose question is entry `seq`
   * answered with changes (PoolStore.requestChanges); the spec agent writes again, the gate asks again.
   */
  changes?: { seq: number; feedback: string; by: string };
  /**
   * The portal's answer to the confirmation the run was set aside on (PoolConfirmations.decide):
   * the worker that takes it continues the run through engine.answerQuestion.
   */
  answer?: { questionId: string; answer: 'yes' | 'no'; by: string };
  /** An audit's settings (`audit <path> --dimension … --target …`). */
  audit?: { target: string; dimension?: string; targetScore?: number; maxIterations?: number; maxBudgetUsd?: number };
  /**
   * A follow-up of a completed pooled run (issue 39: CI failures and change requests on its pull
   * request): the run it continues (`of`, its journal the one mirrored here) and what for; it
   * starts from its base commit (the pull request's head) with the engine's `followUpRun`.
   */
  followUp?: PoolFollowUp;
}

export interface PoolFollowUp {
  of: string;
  /** A layer sent back with a failure found outside (a CI job's trimmed, masked log). */
  fix?: { layer: string; command: string; output: string };
  /** A change request to the approved spec: its amendment waits at the gate as a pooled spec does. */
  change?: string;
}

/** The label a run on a CLI agent requires, and a worker with that CLI installed advertises. */
export const runnerLabel = (runner: CliRunnerName): string => `runner:${runner}`;

/** The labels a request asks for: the user's `--labels`, plus each CLI agent's its run uses. */
export function labelsFor(labels: readonly string[], runners: readonly string[]): string[] {
  return [...new Set([...labels, ...runners.filter(isCliRunner).map(runnerLabel)])];
}

/** What a dispatch stores. */
export interface PoolRequest {
  runId: string;
  kind: PoolKind;
  /** The feature request or bug report; for `approve`, the spec's title. */
  request: string;
  /** `approve <specId> --pool`: the spec sent along (its markdown and path in the repository). */
  specId?: string;
  spec?: { path: string; markdown: string };
  remote: string;
  /** The user's HEAD. */
  baseCommit: string;
  /** `refs/orchestrator/base/<runId>` on the remote: HEAD plus the user's uncommitted changes. */
  changesRef: string;
  changesCommit: string;
  flags: JobChoices;
  /** Labels a worker must have to take the run. */
  labels: string[];
  requestedBy: string;
}

/** One pooled run as the database holds it. */
export interface PoolRun extends PoolRequest {
  status: PoolStatus;
  phase?: string;
  wave?: string;
  worker?: string;
  costUsd: number;
  reason?: string;
  /** The latest `refs/orchestrator/wip/<runId>` commit pushed after a finished layer. */
  wipCommit?: string;
  /** `orchestrator/<spec-slug>` on the remote once completed. */
  resultBranch?: string;
  resultCommit?: string;
  /** How many times a worker took it (more than once: it was resumed elsewhere). */
  attempts: number;
  createdAt: string;
  updatedAt: string;
}

/** What a NOTIFY on the pool's channel carries: enough for a live view to redraw one row. */
export interface PoolChange {
  runId: string;
  status: PoolStatus;
  phase?: string;
  wave?: string;
  worker?: string;
  costUsd?: number;
  /** `budget`: the team budget was charged (`spentUsd`: the day's spend after it); a worker re-checks before its next model call. */
  kind?: 'run' | 'budget';
  spentUsd?: number;
}

export function viewOf(run: PoolRun): PoolRunView {
  return {
    runId: run.runId,
    specId: run.specId ?? null,
    status: run.status,
    phase: run.phase ?? null,
    wave: run.wave ?? null,
    worker: run.worker ?? null,
    costUsd: Math.round(run.costUsd * 1e6) / 1e6,
    ...(run.reason ? { reason: run.reason } : {}),
    kind: run.kind,
    request: run.request,
    ...(run.resultBranch ? { resultBranch: run.resultBranch } : {}),
    ...(run.flags.workflow ? { workflow: run.flags.workflow } : {}),
    ...(run.flags.allowUntested ? { allowUntested: true as const } : {}),
    ...(run.flags.runner ? { runner: run.flags.runner } : {}),
  };
}

export function boardRunOf(run: PoolRun, github: GithubLinkView[] = []): PoolBoardRun {
  return { ...viewOf(run), updatedAt: run.updatedAt, attempts: run.attempts, ...(github.length ? { github } : {}) };
}

/** The refs a pooled run keeps on the team's remote. */
export const poolRefs = {
  base: (runId: string) => `refs/orchestrator/base/${runId}`,
  wip: (runId: string) => `refs/orchestrator/wip/${runId}`,
  /** The run's checkpoint (before IMPLEMENT): review diffs and rollback on any worker. */
  checkpoint: (runId: string) => `refs/orchestrator/${runId}`,
};

/** The limit named when the team budget stops a run. */
export const POOL_BUDGET_LIMIT = 'limits.poolBudgetUsdPerDay';

/** What a worker writes of a run it holds as it goes (PoolStore.update). */
export interface RunUpdate {
  phase?: string;
  wave?: string;
  costUsd?: number;
  wipCommit?: string;
}

/** How a run ends on its worker (PoolStore.finish). */
export interface RunEnd {
  status: Extract<PoolStatus, 'awaiting-approval' | 'completed' | 'stopped' | 'failed'>;
  reason?: string;
  specId?: string;
  spec?: { path: string; markdown: string };
  resultBranch?: string;
  resultCommit?: string;
  wipCommit?: string;
  costUsd?: number;
}
