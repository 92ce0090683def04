/**
 * The sidebar's attempts (issue 47): the engine's own fold of a run's attempts (attemptsOfRun's
 * step, the CLI's view too) step by step as the events come, their words bounded; and an attempt's
 * diff cut to what a side bar can show. Pure: no clock, no I/O.
 */
import type { AttemptDiff } from '../../core/engine';
import type { AttemptStep } from '../../core/pipeline/attempts';
import type { AttemptDiffView, RunView } from '../../shared/viewState';
import { loadEngine } from '../engine';
import { trimError } from './agents';

/** Why a pick kept its attempt is one line; an attempt's error is validation output, bounded as a layer's. */
const WHY_CHARS = 500;

export function withAttemptStep(run: RunView, step: AttemptStep): RunView {
  const bounded: AttemptStep =
    step.step === 'picked'
      ? { ...step, why: step.why.slice(0, WHY_CHARS) }
      : step.step === 'judged' && step.error
        ? { ...step, error: trimError(step.error) }
        : step;
  // Taken in the run's phase now: a swap is open only in the phase that picked the layer's attempt.
  const attempts = loadEngine().attemptsAfter(run.attempts ?? [], bounded, run.phase);
  // An attempt started again (a resumed run) has a new diff: the one shown is dropped.
  const diffs =
    step.step === 'started'
      ? run.attemptDiffs?.filter((d) => d.layer !== step.layer || d.k !== step.k)
      : run.attemptDiffs;
  return { ...run, attempts, ...(diffs ? { attemptDiffs: diffs } : {}) };
}

/** Files of one diff shown, and lines of each file's patch: more is in `orchestrator attempts` and git. */
const MAX_FILES = 40;
const MAX_LINES = 400;

export function attemptDiffView(diff: AttemptDiff): AttemptDiffView {
  const files = diff.files
    .slice(0, MAX_FILES)
    .map(({ path, status, insertions, deletions, binary, patch, clipped }) => {
      const lines = patch.split('\n');
      const cut = clipped || lines.length > MAX_LINES;
      return {
        path,
        status,
        insertions,
        deletions,
        ...(binary ? { binary } : {}),
        patch: lines.slice(0, MAX_LINES).join('\n'),
        ...(cut ? { clipped: true as const } : {}),
      };
    });
  return {
    layer: diff.layer,
    k: diff.k,
    files,
    ...(diff.files.length > MAX_FILES ? { more: diff.files.length - MAX_FILES } : {}),
  };
}

/** The run with this diff shown (in place of an older one of the same attempt). */
export function withAttemptDiff(run: RunView, diff: AttemptDiffView): RunView {
  return {
    ...run,
    attemptDiffs: [...(run.attemptDiffs ?? []).filter((d) => d.layer !== diff.layer || d.k !== diff.k), diff],
  };
}
