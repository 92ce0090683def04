/**
 * What verification leaves unverified, and its optional time budget (issue 70). By default `init`
 * verifies until every proposed command has a verdict: a time budget that turned proof off made the
 * default path unproven. A command not verified — the user stopped verification (Ctrl-C, Cancel), a
 * budget given on purpose (`--verify-budget`) ran out, `--no-verify`, an untrusted workspace — is kept
 * as proposed, written *unverified*: a run sets a gate aside when it fails on the base too (it is no
 * check of a layer's work), and a proof test counts only once its RED run on the base failed as it
 * should. Unverified is never off.
 */
import type { Census, VerifyOutcome } from '../types';

/**
 * What a run does with a command `init` could not verify, as its comment says: a gate failing on the
 * base too is set aside (validation.setAside), a proof test counts only once its RED run failed as it should.
 */
export const UNVERIFIED_KEPT = 'kept unverified: a run checks it on the base before it counts against a layer';

/** What a command the budget cut is: skipped, out of time, kept unverified. */
export function outOfTime(budgetSec: number): VerifyOutcome {
  return {
    status: 'skipped',
    outOfTime: true,
    reason: `not verified in time (the ${budgetSec} s given to verification were spent)`,
  };
}

/** A command the user's stop (Ctrl-C, Cancel) kept from its verdict. */
export const STOPPED: VerifyOutcome = { status: 'skipped', reason: 'verification was stopped before it ended' };

export function isOutOfTime(outcome: VerifyOutcome | undefined): boolean {
  return outcome?.status === 'skipped' && outcome.outOfTime === true;
}

export interface Deadline {
  /** Epoch ms the budget ends (Infinity: no budget). */
  end: number;
  /** Aborted by the caller's signal, or when the budget ends (stopping the commands still running). */
  signal: AbortSignal | undefined;
  /** The budget ended (not the caller's cancel). */
  spent: () => boolean;
  /** What a command cut short becomes: by the budget, out of time; by the caller, stopped. */
  judge: (outcome: VerifyOutcome) => VerifyOutcome;
  clear: () => void;
}

/** The budget from `since` (epoch ms) as a signal joined to the caller's; no budget: the caller's signal alone. */
export function deadlineOf(since: number, budgetSec: number | undefined, signal?: AbortSignal): Deadline {
  const cancelled = (outcome: VerifyOutcome) => outcome.status === 'skipped' && outcome.reason === 'cancelled';
  if (budgetSec === undefined)
    return {
      end: Number.POSITIVE_INFINITY,
      signal,
      spent: () => false,
      judge: (outcome) => (cancelled(outcome) ? STOPPED : outcome),
      clear: () => undefined,
    };
  const end = since + budgetSec * 1000;
  const budget = new AbortController();
  const timer = setTimeout(() => budget.abort(), Math.max(0, end - Date.now()));
  const spent = () => !signal?.aborted && (budget.signal.aborted || Date.now() >= end);
  return {
    end,
    signal: signal ? AbortSignal.any([signal, budget.signal]) : budget.signal,
    spent,
    judge: (outcome) => (!cancelled(outcome) ? outcome : spent() ? outOfTime(budgetSec) : STOPPED),
    clear: () => clearTimeout(timer),
  };
}

/** How many proposed commands (validate and proof) were not verified, kept as proposed: what init's summary counts. */
export function unverifiedCount(census: Pick<Census, 'layers' | 'proof'>): number {
  const proof = (census.proof?.units ?? []).map((u) => u.verified);
  const outcomes = [...census.layers.flatMap((l) => l.verified ?? []), ...proof];
  return outcomes.filter((o) => o?.status === 'skipped').length;
}
