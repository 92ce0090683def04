/**
 * Changes asked of a spec a saved run waits on (a pooled run's `/changes <what>` from its GitHub
 * issue, issue 39): what the run journals as it resumes with them, so its gate's author writes
 * again and the gate asks again.
 */
import type { EngineEvent } from '../../events';
import type { StateEvent } from '../../journal';

type SavedDecision = Extract<EngineEvent, { type: 'spec.changes-requested' | 'phase.decided' }>;

/** Changes asked of a spec a run saved (a pooled run's `/changes` from its GitHub issue): decided by `by`, the feedback for the spec agent. */
export interface SavedChanges {
  specId: string;
  feedback: string;
  by: string;
}

/** The journal's record of changes asked at the gate the run waits at: the spec's, or a phase's (its gate applies it as its host's answer). */
export function changesAsked(changes: SavedChanges, phase: string | undefined): SavedDecision {
  const feedback = changes.feedback.trim() || 'Revise the spec.';
  if (phase !== undefined) return { type: 'phase.decided', phase, action: 'changes', by: changes.by, feedback };
  return { type: 'spec.changes-requested', specId: changes.specId, feedback };
}

/** The phase the last event of `type` was journaled in. */
export function phaseOfLast(events: readonly StateEvent[], type: StateEvent['type']): string | undefined {
  let phase: string | undefined;
  let found: string | undefined;
  for (const event of events) {
    if (event.type === 'phase.started') phase = event.phase;
    if (event.type === type) found = phase;
  }
  return found;
}
