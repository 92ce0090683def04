/**
 * SPEC: the spec agent writes the spec (seed 002 Phase 2 template), it is saved under
 * `spec/active/{date}-{slug}/spec.md`, and the run waits on the human: approve, save for
 * later, or request changes (the feedback goes back to the spec agent, and a new version
 * replaces the old one). The engine enforces the gate; no prompt decides it.
 */
import type { SpecDecision, SpecDecisionRequest } from '../../host';
import { modelFor } from '../../project/config';
import { gateAnsweredUpFront } from '../../questions';
import {
  createSpec,
  layersWithWork,
  loadSpec,
  approveSpec as markApproved,
  replaceSpecBody,
  type Spec,
  specPattern,
  updateSpecStatus,
  withTemplateHeader,
} from '../../project/specs';
import { assembleContext, type EntityFocus, runPipelineAgent, specSystem, specTask } from '../agent';
import type { SpecReport } from '../../agents';
import { askQuestion, type DiagnosisFacts, type RunContext, type Understanding } from '../kernel';
import { specChecks } from './specChecks';
import { approvalDeclined, confirmUnownedWork } from './specOwnership';
import { folderNamedIn, gatePlacement, importNamedFolder, moveTasks, movesIn } from './folderSpec';
import { tasksAssigned } from './layerProposal';
import { describeUnderstanding } from './understand';

export const SPEC_MAX_TOKENS = 8192;

/** Ends with the spec approved (spec.approved journaled) or saved for later (returns 'saved'). */
export async function specPhase(
  ctx: RunContext,
  understood: Understanding,
  diagnosis?: DiagnosisFacts,
): Promise<'approved' | 'saved'> {
  for (;;) {
    if (ctx.state().specApproved) return 'approved';
    const facts = ctx.facts();
    let spec = facts.specId ? await loadSpec(ctx.workspace, facts.specId) : undefined;
    // A feature request naming a Kiro or Spec Kit folder: that folder is the spec.
    const folder = !spec && !diagnosis ? await folderNamedIn(ctx.workspace, ctx.request) : undefined;
    const moves = spec && facts.pendingFeedback !== undefined ? movesIn(spec, facts.pendingFeedback) : undefined;
    if (folder) spec = await importNamedFolder(ctx, folder);
    else if (spec && moves) spec = await moveTasks(ctx, spec, moves);
    else if (!spec || facts.pendingFeedback !== undefined)
      spec = await writeSpec(ctx, understood, diagnosis, spec, facts.pendingFeedback);
    const decision = await decide(ctx, spec);
    if (decision.action === 'approve') {
      // The human may have edited the file while it waited: unowned work needs a yes. The
      // model's placement was shown at this gate: approving accepts it.
      const declined = await confirmUnownedWork(
        {
          workspace: ctx.workspace,
          config: ctx.config,
          host: ctx.host,
          specId: spec.id,
          specPath: spec.path,
          answers: { ...ctx.opts, placementShown: true },
        },
        ctx,
      );
      if (declined) {
        ctx.warn(approvalDeclined(spec.id, spec.path, declined, ctx.config).message);
        // With no human to ask again (CLI --approve without --yes), the spec waits, saved.
        if (!ctx.opts.autoApprove) continue;
        await updateSpecStatus(ctx.workspace, spec.id, 'saved');
        return 'saved';
      }
      await markApproved(ctx.workspace, spec.id);
      ctx.emit({ type: 'spec.approved', specId: spec.id });
      const assigned = await tasksAssigned(ctx.workspace, spec.id, spec.path);
      if (assigned) ctx.emit(assigned);
      return 'approved';
    }
    if (decision.action === 'save') {
      await updateSpecStatus(ctx.workspace, spec.id, 'saved');
      return 'saved';
    }
    const feedback = decision.feedback.trim() || 'Revise the spec.';
    ctx.emit({ type: 'spec.changes-requested', specId: spec.id, feedback });
  }
}

/** One spec agent run (a new spec, a revision, an amendment): its `submit_spec` checked as always. */
export async function runSpecAgent(ctx: RunContext, focus: EntityFocus, task: string): Promise<SpecReport> {
  const attempt = ctx.events.filter((e) => e.type === 'agent.started' && e.agent === 'spec').length + 1;
  const { final } = await runPipelineAgent(ctx, {
    name: 'spec',
    mode: 'spec',
    attempt,
    model: modelFor(ctx.config, 'spec'),
    maxTokens: SPEC_MAX_TOKENS,
    system: specSystem(),
    context: await assembleContext(ctx, 'spec', focus),
    task,
    owns: [],
    finalTool: 'submit_spec',
    checkFinal: specChecks(ctx),
    maxTurns: ctx.config.limits.maxAgentTurns,
  });
  return final;
}

async function writeSpec(
  ctx: RunContext,
  understood: Understanding,
  diagnosis: DiagnosisFacts | undefined,
  previous: Spec | undefined,
  feedback: string | undefined,
): Promise<Spec> {
  // Only feature and bugfix runs write specs.
  const kind = ctx.kind === 'bugfix' ? 'bugfix' : 'feature';
  const final = await runSpecAgent(
    ctx,
    { name: understood.entity, pattern: understood.pattern },
    specTask({
      request: ctx.request,
      kind,
      understanding: describeUnderstanding(understood),
      ...(diagnosis ? { diagnosis: diagnosisText(diagnosis) } : {}),
      ...(previous && feedback !== undefined ? { feedback: { previous: previous.body, text: feedback } } : {}),
      ...(ctx.mustard.json?.specLang ? { language: ctx.mustard.json.specLang } : {}),
    }),
  );
  const today = new Date().toISOString().slice(0, 10);
  const markdown = withTemplateHeader(final.markdown, final.title, today, 'awaiting-approval');
  const spec = previous
    ? await replaceSpecBody(ctx.workspace, previous.id, markdown, final.title)
    : await createSpec(ctx.workspace, {
        title: final.title,
        slug: final.slug,
        kind,
        entity: understood.entity,
        pattern: understood.pattern ?? specPattern(markdown, ctx.registry.patterns),
        layers: layersWithWork(markdown, ctx.config, diagnosis?.layers.length ? diagnosis.layers : understood.layers),
        markdown,
      });
  ctx.emit({ type: 'spec.saved', specId: spec.id, path: spec.path });
  return spec;
}

/** An approval given up front (CLI `--approve`, `approve <specId>`) answers without asking; otherwise the host decides (amendments go through it too). */
export async function decide(ctx: RunContext, spec: Spec): Promise<SpecDecision> {
  const placement = gatePlacement(spec.body, ctx.config);
  return askHuman(ctx, {
    specId: spec.id,
    specPath: spec.path,
    markdown: spec.body,
    ...(placement ? { placement } : {}),
  });
}

/**
 * The host's answer to a gate's question (the spec's, or a workflow phase's); a cancelled run
 * stops waiting. An approval given up front answers without asking (questions.ts): the run's own
 * approval answers the spec's gate only (`approve <specId>` approves the spec, not a later sign-off
 * such as the UAT); `--approve` answers every gate.
 */
export function askHuman(ctx: RunContext, request: SpecDecisionRequest): Promise<SpecDecision> {
  const phase = request.phase;
  return askQuestion<SpecDecision>(ctx, {
    kind: 'gate',
    about: { specId: request.specId, ...(phase !== undefined ? { phase } : {}) },
    words:
      phase === undefined
        ? `Approve spec ${request.specId} (${request.specPath})?`
        : `Sign off phase ${phase} of spec ${request.specId}: ${(request.documents ?? []).join(', ') || 'its documents'}?`,
    waitSec: null,
    upFront: gateAnsweredUpFront(ctx.opts, phase) ? { action: 'approve' } : undefined,
    ask: async (question) => {
      const answer = await ctx.host.ask({ question, gate: { ...request, questionId: question.id } });
      if ('allowed' in answer) throw new Error(`the host answered the gate ${question.id} as a confirmation`);
      return answer;
    },
    // Parked: the run is saved at its gate; the answer given later (answerQuestion) continues it.
    parked: () => ({ action: 'save' }),
    said: (decision) => decision.action,
  });
}

export function diagnosisText(d: DiagnosisFacts): string {
  return [
    `Root cause: ${d.rootCause}`,
    `Proposed fix: ${d.proposedFix}`,
    `Files: ${d.files.join(', ') || '(none named)'}`,
  ].join('\n');
}
