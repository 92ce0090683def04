/**
 * The `trace` check of a workflow phase's gate (seed 000's F: the matrix complete): every
 * requirement of the spec has a test. On a `uses: complete` phase `trace` is the step's own
 * check instead (no spec archived with a requirement no file implements), enforced by the step.
 * A run given `--allow-untested` lets the gate pass and records the waiver: `trace.waived` in the
 * journal, and the Tests cells of those requirements in the matrix say so.
 */
import type { WorkflowPhase } from '../../../project/workflows';
import { untestedRequirements } from '../../../trace';
import { updateTrace } from '../../feature';
import type { RunContext } from '../../kernel';

/** One requirement with no test: its id and the gate's line naming it. */
export interface UntestedProblem {
  id: string;
  line: string;
}

/** The gate's problems, one per requirement with no test (none when waived). */
export async function untestedProblems(ctx: RunContext, phase: WorkflowPhase): Promise<UntestedProblem[]> {
  const gateChecks = typeof phase.gate === 'object' && 'check' in phase.gate ? phase.gate.check : [];
  if (!gateChecks.includes('trace') || phase.uses === 'complete') return [];
  // The matrix as the journal shows it now (a failure to build it only warns, as at every phase close).
  const matrix = await updateTrace(ctx);
  if (!matrix) return [];
  const untested = untestedRequirements(matrix);
  if (untested.length === 0) return [];
  const ids = untested.map((requirement) => requirement.id);
  if (ctx.state().allowUntested) {
    const recorded = ctx.events.some(
      (event) =>
        event.type === 'trace.waived' && event.phase === phase.name && event.requirements.join() === ids.join(),
    );
    if (!recorded) ctx.emit({ type: 'trace.waived', phase: phase.name, requirements: ids });
    ctx.warn(
      `Phase ${phase.name}: no test for ${ids.join(', ')}; waived by --allow-untested (recorded in the matrix and the journal).`,
    );
    return [];
  }
  return untested.map((requirement) => {
    const cited = [requirement.id, ...requirement.criteria].join(', ');
    return {
      id: requirement.id,
      line: `- ${requirement.id}: ${requirement.title} — no test (no test file cites ${cited}, nor tests a file it changed)`,
    };
  });
}
