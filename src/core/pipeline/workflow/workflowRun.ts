/**
 * A workflow interpreted: its phases run in order, each through the step it `uses` (the engine's
 * own SYNC, UNDERSTAND, SPEC, IMPLEMENT, REVIEW, COMPLETE, … in steps.ts). The shipped `feature`
 * workflow is today's pipeline: this loop over its file is the one code path that runs it.
 * Every step skips what the journal shows as done, so fresh and resumed runs go through the
 * same loop. A phase that closes (its gate passed) says so with the documents it left
 * (`phase.closed`); the workflow's Monitor watches the whole run.
 */
import { isPhaseDone } from '../../journal';
import type { Workflow, WorkflowPhase } from '../../project/workflows';
import type { PipelineOutcome, RunContext } from '../kernel';
import { phaseDocuments } from './documents';
import { documentGate } from './checks/documentGate';
import { Monitor } from './monitor';
import { latestAmendment, settleBeforeRolePhase } from './amendedPhases';
import { rolePhase } from './rolePhase';
import { traceBesideSpec } from './traceBesideSpec';
import { STEPS, type WorkflowSession } from './steps';

export async function runWorkflow(ctx: RunContext, workflow: Workflow): Promise<PipelineOutcome> {
  ctx.workflow = workflow;
  const monitor = workflow.monitor ? new Monitor(ctx, workflow.monitor) : undefined;
  const unwatch = monitor ? ctx.watch((event) => monitor.observe(event)) : undefined;
  try {
    const session: WorkflowSession = { workflow, later: [] };
    for (const [index, phase] of workflow.phases.entries()) {
      session.later = workflow.phases.slice(index + 1);
      // Change requests: settled before each role phase; earlier documents the amendment made stale are written again.
      if (!phase.uses) {
        for (const stale of await settleBeforeRolePhase(ctx, workflow, index)) {
          if ((await rolePhase(ctx, session, stale, latestAmendment(ctx))) === 'saved') return 'spec-saved';
          await closePhase(ctx, stale);
        }
      }
      const wasClosed = ctx.events.some((event) => event.type === 'phase.closed' && event.phase === phase.name);
      if ((await runPhase(ctx, session, phase)) === 'spec-saved') return 'spec-saved';
      if (wasClosed || !isPhaseDone(ctx.state(), phase.name)) continue;
      await closePhase(ctx, phase);
    }
    return 'completed';
  } finally {
    unwatch?.();
    monitor?.dispose();
  }
}

/** The phase's gate checked once more (its documents, and the rules documentGate adds), then `phase.closed`. */
async function closePhase(ctx: RunContext, phase: WorkflowPhase): Promise<void> {
  await documentGate(ctx, phase);
  ctx.emit({ type: 'phase.closed', phase: phase.name, documents: phaseDocuments(ctx, phase) });
  // A workflow of its own keeps its matrix beside the spec at every close (a plain feature run: in its run folder).
  if (ctx.state().workflow !== undefined) await traceBesideSpec(ctx);
}

async function runPhase(
  ctx: RunContext,
  session: WorkflowSession,
  phase: WorkflowPhase,
): Promise<PipelineOutcome | void> {
  // A phase without a step of its own: its role writes its documents (rolePhase.ts).
  if (!phase.uses) return (await rolePhase(ctx, session, phase)) === 'saved' ? 'spec-saved' : undefined;
  return STEPS[phase.uses](ctx, session, phase);
}
