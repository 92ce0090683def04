/**
 * A proposed layer's gates and how each verification went, in words: shared by the config
 * document, the context files, the proposal view and the hosts' `init` output (a leaf, so
 * dist/engine.js carries it without the rest of the census room).
 */
import { availableParallelism } from 'node:os';
import { visibleLine as printable } from '../text/terminalText';
import type { ProposedLayer, VerifyOutcome } from './types';

/** The gates a layer keeps: commands that passed, timed out, or were not run. */
export function gatesOf(layer: ProposedLayer): { command: string; origin: string; outcome?: VerifyOutcome }[] {
  return layer.validate
    .map((v, i) => ({ ...v, ...(layer.verified?.[i] ? { outcome: layer.verified[i] } : {}) }))
    .filter((v) => v.outcome === undefined || v.outcome.status === 'passed' || v.outcome.status === 'timed-out' || v.outcome.status === 'skipped');
}

/** Verification runs independent commands side by side, bounded by the machine (2 to 4 at once). */
export function verifyConcurrency(): number {
  return Math.min(4, Math.max(2, availableParallelism() - 1));
}

export function outcomeText(outcome: VerifyOutcome | undefined): string {
  if (!outcome) return 'not verified';
  switch (outcome.status) {
    case 'passed':
      return `passed in ${seconds(outcome.ms)}`;
    case 'failed':
      return 'fails before any change';
    case 'missing-tool':
      return `${printable(outcome.tool)} is not installed`;
    case 'timed-out':
      return `timed out after ${seconds(outcome.ms)}`;
    case 'skipped':
      return `not run: ${outcome.reason}`;
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
