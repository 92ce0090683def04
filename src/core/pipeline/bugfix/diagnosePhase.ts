/**
 * DIAGNOSE (bugfix): a read-only agent finds the root cause and proposes the smallest fix,
 * naming the files it touches; the layers owning those files will apply it.
 */
import { layerOwning, modelFor } from '../../project/config';
import { assembleContext, diagnoseSystem, diagnoseTask, runPipelineAgent } from '../agent';
import type { RunContext, Understanding } from '../kernel';
import { describeUnderstanding } from '../phases';

export const DIAGNOSE_MAX_TOKENS = 8192;

export async function diagnosePhase(ctx: RunContext, understood: Understanding): Promise<void> {
  const attempt = ctx.events.filter((e) => e.type === 'agent.started' && e.agent === 'diagnose').length + 1;
  const { final } = await runPipelineAgent(ctx, {
    name: 'diagnose',
    mode: 'diagnose',
    attempt,
    model: modelFor(ctx.config, 'diagnose'),
    maxTokens: DIAGNOSE_MAX_TOKENS,
    system: diagnoseSystem(),
    context: await assembleContext(ctx, 'diagnose', { name: understood.entity, pattern: understood.pattern }),
    task: diagnoseTask(ctx.request, describeUnderstanding(understood)),
    owns: [],
    finalTool: 'submit_diagnosis',
    maxTurns: ctx.config.limits.maxAgentTurns,
  });
  const owning = final.files.map((file) => layerOwning(ctx.config, file)).filter((l): l is string => l !== undefined);
  const layers = Object.keys(ctx.config.layers).filter((layer) => owning.includes(layer));
  ctx.emit({
    type: 'diagnosis',
    rootCause: final.root_cause,
    proposedFix: final.proposed_fix,
    files: final.files,
    layers: layers.length > 0 ? layers : understood.layers,
  });
}
