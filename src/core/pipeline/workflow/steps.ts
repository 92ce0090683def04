/**
 * The engine's own steps, as a workflow's phases name them (`uses:`). Together, in the shipped
 * `feature` order, they are seed 002's pipeline exactly: the matrix brought up to date beside
 * each phase after SPEC, the review's diff gathered while the last layers validate, change
 * requests settled between waves and before REVIEW, and COMPLETE's trace gate.
 */
import { approvedChanges, implementWithChanges, settleChanges } from '../change';
import type { Workflow, WorkflowPhase, WorkflowStep } from '../../project/workflows';
import type { Spec } from '../../project/specs';
import { diagnosePhase } from '../bugfix';
import { reviewPhase, ReviewPrefetch, traceGate, updateTrace } from '../feature';
import {
  checkpointThen,
  completePhase,
  proveStep,
  deployPhase,
  hasDeployStep,
  implementLayers,
  markImplementing,
  requireTrustForDeploy,
  requireTrustForValidation,
  runSpec,
  specGate,
  specLayers,
  syncStep,
  understandStep,
} from '../phases';
import { validateLayer } from '../layers';
import { strengthGate } from '../proof';
import { inPhase, type PipelineOutcome, type RunContext, type Understanding, validationStopped } from '../kernel';

/** What the steps of one run hand on to the later ones (rebuilt from the journal on resume, like the phases). */
export interface WorkflowSession {
  workflow: Workflow;
  /** The phases after the one running: a step prepares only for steps still to come. */
  later: WorkflowPhase[];
  understood?: Understanding;
  spec?: Spec;
  /** Approved amendments when the work started: REVIEW judges the amended spec when it changed. */
  amendmentsBefore?: number;
  review?: ReviewPrefetch;
  /** Every task was done before import (or no layer owns what is left): no layer runs, COMPLETE archives. */
  nothingToDo?: boolean;
}

type Step = (ctx: RunContext, session: WorkflowSession, phase: WorkflowPhase) => Promise<PipelineOutcome | void>;

const comes = (session: WorkflowSession, step: WorkflowStep) => session.later.some((phase) => phase.uses === step);

/**
 * Each phase's matrix update runs beside the phase (it only reads the journal and test files);
 * every way out awaits it, and a failure brings the matrix up to date once more before it goes on.
 */
async function besideTrace(ctx: RunContext, body: () => Promise<void>, onError?: () => Promise<void>): Promise<void> {
  const tracing = updateTrace(ctx);
  try {
    await body();
  } catch (error) {
    await onError?.();
    await tracing;
    await updateTrace(ctx);
    throw error;
  }
  await tracing;
}

function understood(session: WorkflowSession, phase: WorkflowPhase): Understanding {
  if (!session.understood) throw new Error(`phase ${phase.name} needs a phase with "uses: understand" before it`);
  return session.understood;
}

/** The approved spec and the layers that work on it, once, before the first step that changes files. */
async function prepareWork(
  ctx: RunContext,
  session: WorkflowSession,
): Promise<{ spec: Spec; layers: string[] } | undefined> {
  const spec = session.spec ?? (await runSpec(ctx));
  session.spec = spec;
  session.amendmentsBefore ??= approvedChanges(ctx);
  const layers = specLayers(ctx, spec);
  if (layers.length === 0) {
    session.nothingToDo = true;
    ctx.emit({
      type: 'log',
      level: 'info',
      message:
        'Nothing left to implement: every task of the spec was done before import (or no layer owns what is left). Validate the work as it is, then COMPLETE with the traceability matrix.',
    });
    return undefined;
  }
  requireTrustForValidation(ctx, layers);
  if (comes(session, 'deploy')) requireTrustForDeploy(ctx);
  return { spec, layers };
}

/**
 * A spec whose every task was done before import (a ticked Kiro or Spec Kit folder, a Mustard
 * folder in QA review): no agent runs. The layers the done work is in are validated as they are
 * (the orchestrator runs their commands; a failure stops the run with the seed's report), the
 * review has no change of this run to read, and COMPLETE archives the spec with its matrix.
 */
async function validateAsItIs(ctx: RunContext, spec: Spec, phase: string): Promise<void> {
  const checked = spec.frontMatter.layers.filter((layer) => (ctx.config.layers[layer]?.validate.length ?? 0) > 0);
  requireTrustForValidation(ctx, checked);
  await inPhase(ctx, phase, async () => {
    for (const layer of checked) {
      const failure = await validateLayer(ctx, layer);
      if (failure)
        throw validationStopped({ layer, retries: 0, max: 0, command: failure.command, error: failure.output });
    }
    ctx.emit({
      type: 'review.skipped',
      reason: `nothing changed in this run: the work was done before it${checked.length ? ` (validated as it is: ${checked.join(', ')})` : ''}`,
    });
  });
}

export const STEPS: Record<WorkflowStep, Step> = {
  sync: (ctx, _session, phase) => syncStep(ctx, phase.name),

  understand: async (ctx, session, phase) => {
    session.understood = await understandStep(ctx, phase.name);
  },

  diagnose: async (ctx, session, phase) => {
    if (!ctx.facts().fromSpec) await inPhase(ctx, phase.name, () => diagnosePhase(ctx, understood(session, phase)));
  },

  spec: async (ctx, session, phase) => {
    const outcome = await specGate(ctx, understood(session, phase), ctx.facts().diagnosis, phase.name);
    if (outcome === 'saved') return 'spec-saved';
  },

  implement: async (ctx, session, phase) => {
    const work = await prepareWork(ctx, session);
    if (!work) return;
    // The review's diff is gathered while the last layers' validation commands run.
    // PROVE: the criteria's tests, written and red on the base before any layer writes (docs/proof.md).
    await proveStep(ctx, work.spec);
    const review = comes(session, 'review') ? new ReviewPrefetch(ctx, work.spec) : undefined;
    session.review = review;
    await besideTrace(
      ctx,
      async () => {
        // Change requests are picked up before the layers' work, between waves and after it (change/).
        const implement = (current: Spec, between: (s: Spec) => Promise<Spec>) =>
          implementLayers(ctx, current, specLayers(ctx, current), 'implement', () => review?.start(), between);
        let spec = work.spec;
        await checkpointThen(
          ctx,
          phase.name,
          async () => void (spec = await implementWithChanges(ctx, spec, implement)),
          () => markImplementing(ctx, spec),
        );
        // A request made after IMPLEMENT (or while the run was stopped after it) is settled before REVIEW.
        session.spec = await settleChanges(ctx, spec);
      },
      async () => {
        await review?.discard();
      },
    );
  },

  fix: async (ctx, session, phase) => {
    const work = await prepareWork(ctx, session);
    if (!work) return;
    await proveStep(ctx, work.spec);
    await checkpointThen(
      ctx,
      phase.name,
      () => implementLayers(ctx, work.spec, work.layers, 'fix'),
      () => markImplementing(ctx, work.spec),
    );
  },

  review: async (ctx, session, phase) => {
    if (session.nothingToDo) return validateAsItIs(ctx, session.spec ?? (await runSpec(ctx)), phase.name);
    const spec = session.spec ?? (await runSpec(ctx));
    if (approvedChanges(ctx) !== session.amendmentsBefore || !session.review) {
      // The review judges the amended spec's criteria: what was gathered for the earlier one is dropped.
      await session.review?.discard();
      session.review = new ReviewPrefetch(ctx, spec);
    }
    const review = session.review;
    await besideTrace(ctx, () => inPhase(ctx, phase.name, () => reviewPhase(ctx, spec, review)));
  },

  complete: async (ctx, _session, phase) => {
    // COMPLETE's check brings the matrix up to date before; it is brought up to date again after.
    await inPhase(ctx, phase.name, async () => {
      const current = await runSpec(ctx);
      // proof.strength: required: what the proof agent's rounds left too weak, the review's equivalent mutants aside.
      strengthGate(ctx);
      await traceGate(ctx, current);
      await completePhase(ctx, current);
    });
    await updateTrace(ctx);
  },

  deploy: async (ctx, _session, phase) => {
    if (hasDeployStep(ctx)) await inPhase(ctx, phase.name, () => deployPhase(ctx));
  },
};
