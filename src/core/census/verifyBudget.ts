/**
 * Verification's time budget (issue 60): `init` answers within seconds on any repository, so its
 * verification ends at a deadline counted from init's start (INIT_VERIFY_BUDGET_SEC unless the caller
 * gives more: the CLI's `--verify-budget`). A command the deadline cuts, never started or stopped while
 * it ran, was not verified: it is written as a comment saying so and how to verify it, never a gate (a
 * gate nobody saw pass could fail every run before any change). What passed in time stays a gate.
 */
import type { Census, VerifyOutcome } from './types';

/** The default: with the CLI's start, the census, the worktree and the writing, init ends within 10 s on two cores. */
export const INIT_VERIFY_BUDGET_SEC = 7;

/** What a command the budget cut is: skipped, out of time, with how to verify it. */
export function outOfTime(budgetSec: number): VerifyOutcome {
  const more = Math.max(60, budgetSec * 4);
  return {
    status: 'skipped',
    outOfTime: true,
    reason:
      `not verified in time (init's ${budgetSec} s for verification were spent): ` +
      `run \`orchestrator init --force --verify-budget ${more}\` to verify it, or make it a gate yourself`,
  };
}

export function isOutOfTime(outcome: VerifyOutcome | undefined): boolean {
  return outcome?.status === 'skipped' && outcome.outOfTime === true;
}

export interface Deadline {
  /** Epoch ms the budget ends. */
  end: number;
  /** Aborted by the caller's signal, or when the budget ends (stopping the commands still running). */
  signal: AbortSignal;
  /** The budget ended (not the caller's cancel). */
  spent: () => boolean;
  /** What a command the budget cut becomes: one cancelled by the budget, not by the caller, is out of time. */
  judge: (outcome: VerifyOutcome) => VerifyOutcome;
  clear: () => void;
}

/** The budget from `since` (epoch ms) as a signal joined to the caller's. */
export function deadlineOf(since: number, budgetSec: number, signal?: AbortSignal): Deadline {
  const end = since + budgetSec * 1000;
  const budget = new AbortController();
  const timer = setTimeout(() => budget.abort(), Math.max(0, end - Date.now()));
  const spent = () => !signal?.aborted && (budget.signal.aborted || Date.now() >= end);
  return {
    end,
    signal: signal ? AbortSignal.any([signal, budget.signal]) : budget.signal,
    spent,
    judge: (outcome) => {
      const cut = spent() && outcome.status === 'skipped' && outcome.reason === 'cancelled';
      return cut ? outOfTime(budgetSec) : outcome;
    },
    clear: () => clearTimeout(timer),
  };
}

/** How many proposed commands (validate and proof) the budget left unverified: what init's summary counts. */
export function outOfTimeCount(census: Pick<Census, 'layers' | 'proof'>): number {
  const proof = (census.proof?.units ?? []).map((u) => u.verified);
  const outcomes = [...census.layers.flatMap((l) => l.verified ?? []), ...proof];
  return outcomes.filter(isOutOfTime).length;
}
