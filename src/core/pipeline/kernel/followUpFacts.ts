/**
 * What a follow-up run's journal says (followUp.ts): the `followup.started` it began with, and the
 * runs its matrix is made of (those before it on the branch, then itself). Reads journals only.
 */
import type { EngineEvent } from '../../events';
import { readEvents, type StateEvent } from '../../journal';

export type FollowUpStarted = Extract<EngineEvent, { type: 'followup.started' }>;

/** The run's `followup.started`, when it is a follow-up. */
export function followUpOf(events: readonly StateEvent[]): FollowUpStarted | undefined {
  return events.find((e): e is FollowUpStarted & StateEvent => e.type === 'followup.started');
}

/**
 * The runs a follow-up's matrix is traced over before its own: the earlier runs on its branch
 * (their journals in `home`, the checkout), so requirements they implemented keep their files.
 */
export function earlierRuns(home: string, events: readonly StateEvent[]): { runId: string; events: StateEvent[] }[] {
  return (followUpOf(events)?.runs ?? []).map((id) => ({ runId: id, events: readEvents(home, id) }));
}
