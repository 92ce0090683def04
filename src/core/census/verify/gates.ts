/**
 * A proposed layer's gates and how each verification went, in words: shared by the config
 * document, the context files, the proposal view and the hosts' `init` output (a leaf, so
 * dist/engine.js carries it without the rest of the census room).
 */
import { availableParallelism } from 'node:os';
import { visibleLine as printable } from '../../text/terminalText';
import type { ProposedLayer, VerifyOutcome } from '../types';
import { isOutOfTime, UNVERIFIED_KEPT } from './verifyBudget';
import { causeText } from './verifyClassify';

/**
 * The gates a layer keeps: commands that passed on the untouched repository within their limit, or
 * were not verified (`--no-verify`, untrusted, no worktree, verification stopped or its budget spent):
 * those are kept unverified, and a run sets one aside if it fails before any change (issue 70). One
 * that failed, timed out or needs what this machine lacks (the network, a browser, a service) would
 * fail every run before any change: each is a comment saying why.
 */
export function gatesOf(layer: ProposedLayer): { command: string; origin: string; outcome?: VerifyOutcome }[] {
  return layer.validate
    .map((v, i) => ({ ...v, ...(layer.verified?.[i] ? { outcome: layer.verified[i] } : {}) }))
    .filter((v) => isGate(v.outcome));
}

/** A validate command (or a proof command) is written when it passed or was not verified. */
export function isGate(outcome: VerifyOutcome | undefined): boolean {
  return outcome === undefined || outcome.status === 'passed' || outcome.status === 'skipped';
}

/** A run's limit per command: this many times the slowest time measured at `init`, at least a minute, in steps of ten seconds. */
export const MEASURED_TIMEOUT_FACTOR = 3;
export const MIN_MEASURED_TIMEOUT_SEC = 60;

/**
 * The layer's `timeoutSec` from the times its gates took at `init`, when every gate was measured
 * (one not run could take longer than the rest): a hung command then stops a run in minutes, not
 * after `limits.commandTimeoutSec`.
 */
export function measuredTimeoutSec(layer: ProposedLayer): { timeoutSec: number; slowestMs: number } | undefined {
  return limitOf(gatesOf(layer).map((g) => g.outcome));
}

/** The limit for commands measured at `init` (a layer's gates, the proof commands' probes), when every one passed. */
export function limitOf(
  outcomes: readonly (VerifyOutcome | undefined)[],
): { timeoutSec: number; slowestMs: number } | undefined {
  if (outcomes.length === 0 || outcomes.some((o) => o?.status !== 'passed')) return undefined;
  const slowestMs = Math.max(...outcomes.map((o) => (o?.status === 'passed' ? o.ms : 0)));
  const timeoutSec = Math.max(MIN_MEASURED_TIMEOUT_SEC, Math.ceil((MEASURED_TIMEOUT_FACTOR * slowestMs) / 10_000) * 10);
  return { timeoutSec, slowestMs };
}

/** Verification runs independent commands side by side, bounded by the machine (2 to 4 at once). */
export function verifyConcurrency(): number {
  return Math.min(4, Math.max(2, availableParallelism() - 1));
}

export function outcomeText(outcome: VerifyOutcome | undefined): string {
  if (!outcome) return 'not verified';
  switch (outcome.status) {
    case 'passed':
      return `passed in ${seconds(outcome.ms)}${outcome.rerun ? ` when run again (its first run failed: ${printable(outcome.rerun[0] ?? 'no output')})` : ''}`;
    case 'failed':
      return `${outcome.cause ? causeText(outcome.cause) : 'fails before any change'}${outcome.twice ? ', run twice' : ''}${outcome.fix ? `; fix: ${printable(outcome.fix)}` : ''}`;
    case 'missing-tool':
      return `${printable(outcome.tool)} is not installed`;
    case 'timed-out':
      return `did not end within ${seconds(outcome.ms)}${outcome.cause ? ` (it ${causeText(outcome.cause)})` : ''}${outcome.fix ? `; fix: ${printable(outcome.fix)}` : ''}`;
    case 'skipped':
      return `${isOutOfTime(outcome) ? outcome.reason : `not run: ${outcome.reason}`}; ${UNVERIFIED_KEPT}`;
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
