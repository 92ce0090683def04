/**
 * What the journal says of one role phase since its documents were last written (its last
 * `phase.completed`): the feedback its role still has to act on, the squads or layers already written, its
 * spend. A resumed run asks these, so it continues where the phase was and never redoes what closed.
 */
import { meaningOf, type Meaning } from '../../catalogue';
import type { StateEvent } from '../../journal';
import type { RunContext } from '../kernel';
import type { RoleFeedback } from './roleTask';

/** The phase finished (`phase.completed`: a phase facet with its time). */
const completed = (meaning: Meaning, phase: string): boolean =>
  meaning.phase?.ms !== undefined && meaning.phase.name === phase;

/** The events after the phase's last `phase.completed` (all of them when it never completed). */
export function sinceLastCompletion(ctx: RunContext, phase: string): readonly StateEvent[] {
  const events = ctx.events;
  for (let i = events.length - 1; i >= 0; i--) {
    if (completed(meaningOf(events[i]!), phase)) return events.slice(i + 1);
  }
  return events;
}

/** The gate's report or the human's requested changes the role has not yet acted on. */
export function pendingFeedback(ctx: RunContext, phase: string): RoleFeedback | undefined {
  let feedback: RoleFeedback | undefined;
  for (const { phaseRetry, gate } of sinceLastCompletion(ctx, phase).map(meaningOf)) {
    if (phaseRetry?.phase === phase) feedback = { kind: 'gate', text: phaseRetry.report };
    else if (gate?.phase === phase && gate.decision === 'changes-requested')
      feedback = { kind: 'human', text: gate.feedback };
  }
  return feedback;
}

/** Gate retries the phase has used (whole run: a resume does not give a failing role new ones). */
export function retriesUsed(ctx: RunContext, phase: string): number {
  return ctx.events.filter((event) => meaningOf(event).phaseRetry?.phase === phase).length;
}

/** The fan-out's items this pass of the phase already wrote: the squads planned (`module.planned`), the layers done (`phase.layer.done`). */
export function writtenItems(ctx: RunContext, phase: string): Set<string> {
  return new Set(
    sinceLastCompletion(ctx, phase).flatMap((event) => {
      if (event.type === 'module.planned' && event.phase === phase) return [event.squad];
      if (event.type === 'phase.layer.done' && event.phase === phase) return [event.layer];
      return [];
    }),
  );
}

/** What the phase's model calls cost so far (every pass): the calls made between its `phase.started` and its `phase.completed`. */
export function phaseSpentUsd(ctx: RunContext, phase: string): number {
  let inside = false;
  let spent = 0;
  for (const { phase: step, usage } of ctx.events.map(meaningOf)) {
    if (step && step.ms === undefined) inside = step.name === phase;
    else if (step?.name === phase) inside = false;
    else if (inside && usage) spent += usage.costUsd;
  }
  return spent;
}
