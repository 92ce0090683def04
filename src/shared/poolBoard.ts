/**
 * The pool's runs as its views show them (docs/pool.md): `runs --pool --json`, and the live board
 * the VS Code sidebar and the portal's Pool page draw. Types only besides the statuses: the pool
 * (src/pool) builds them, the hosts and the portal's page read them.
 */
import type { LayerRunner } from '../core/text/runnerNames';
import type { GithubLinkView } from './githubLinks';

export const POOL_STATUSES = ['queued', 'running', 'awaiting-approval', 'completed', 'stopped', 'failed'] as const;
export type PoolStatus = (typeof POOL_STATUSES)[number];

export type PoolKind = 'feature' | 'bugfix' | 'audit' | 'approve';

/** `runs --pool --json` entries (docs/pool.md). */
export interface PoolRunView {
  runId: string;
  specId: string | null;
  status: PoolStatus;
  phase: string | null;
  wave: string | null;
  worker: string | null;
  costUsd: number;
  reason?: string;
  kind: PoolKind;
  request: string;
  resultBranch?: string;
  /** The workflow it follows when not its kind's own (`--workflow`). */
  workflow?: string;
  /** `--allow-untested` travels with it: requirements with no test are waived at a `trace` gate, not failed. */
  allowUntested?: true;
  /** `--runner` travels with it: its layers run there (a CLI agent's: only a worker with that CLI takes it). */
  runner?: LayerRunner;
}

/** One row of the pool's live views (the VS Code sidebar, the portal): `runs --pool` plus when it last changed and how often it was taken. */
export interface PoolBoardRun extends PoolRunView {
  updatedAt: string;
  /** More than 1: a worker's lease lapsed and another resumed it. */
  attempts: number;
  /** A run from a GitHub issue (issue 39): its issue, spec comment, branch and pull request, from its journal in the pool. */
  github?: GithubLinkView[];
}

/** What the live views show: the pool's runs and the team's spend today (UTC) against its limits. */
export interface PoolBoard {
  runs: PoolBoardRun[];
  /** The UTC day the spend is of (YYYY-MM-DD), on the database's clock. */
  day: string;
  spentTodayUsd: number;
  /** Model calls charged today across the pool. */
  requestsToday: number;
  /** `limits.poolBudgetUsdPerDay` of this checkout's config (each worker enforces its own: keep them equal). */
  budgetUsdPerDay: number | null;
  /** `limits.poolMaxConcurrentRuns`. */
  maxConcurrentRuns: number | null;
}
