/**
 * The picked attempt joins the run (docs/attempts.md): its changes against the base are merged
 * into the run's work tree file by file (git/threeWayApply: planned first, nothing written on a
 * conflict, undone if a write fails), then its layer work is copied from its journal into the
 * run's, so the run's state reads as if that attempt alone had done the layer. `attempt.picked`
 * is journaled before either: a run killed in between brings the same attempt in again on resume.
 */
import { locateRepo, planApply, revParse, writePlan } from '../../git';
import { readEventsBeside } from '../../journal';
import { RunStop } from '../../errors';
import type { RunContext } from '../kernel';
import { attemptJournalName, isRunWide } from './attemptContext';
import { attemptRef } from './attemptPlace';
import { tickAcceptedWork } from '../layers';

/** `from`: the attempt in the run now, whose changes give way (a swap); absent: the base, which has none. */
export async function bringInAttempt(ctx: RunContext, layer: string, k: number, from?: number): Promise<void> {
  const { topLevel } = await locateRepo(ctx.workspace);
  const tree = (ref: string): Promise<string> => revParse(topLevel, `${ref}^{tree}`);
  const plan = await planApply(
    topLevel,
    await tree(attemptRef(ctx.runId, layer, from ?? 'base')),
    await tree(attemptRef(ctx.runId, layer, k)),
  );
  if (plan.conflicts.length > 0) {
    const report = [
      `## Pipeline stopped: ${layer}'s attempt ${k} cannot be brought in`,
      `- Files changed in the work tree since ${from === undefined ? 'its attempts started' : `attempt ${from} joined the run`}:`,
      ...plan.conflicts.map((c) => `  - \`${c.path}\`: ${c.reason}`),
      '### Action needed',
      `Put those files back as they were, then \`orchestrator resume ${ctx.runId}\`; the attempt is kept on \`${attemptRef(ctx.runId, layer, k)}\`.`,
    ].join('\n');
    throw new RunStop('validation', `${layer}'s attempt ${k} conflicts with the work tree`, report);
  }
  writePlan(topLevel, plan.writes);
  for (const { ts: _ts, seq: _seq, ...event } of readEventsBeside(ctx.home, ctx.runId, attemptJournalName(layer, k))) {
    if (!isRunWide(event)) ctx.emit(event);
  }
  // Its validation is the run's now: the layer's lines are ticked as any layer's (issue 71).
  await tickAcceptedWork(ctx);
}
