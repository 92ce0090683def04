/**
 * The phases both pipelines open with: SYNC, UNDERSTAND, and the SPEC gate. A run started
 * from a saved spec (`approve <specId>`) understands from the spec's front matter and its
 * SPEC phase is the approval itself.
 */
import { findEntity, findMemoryEntity } from '../../project/registry';
import { loadSpec, approveSpec as markApproved } from '../../project/specs';
import { type DiagnosisFacts, inPhase, PHASES, type RunContext, type Understanding, untrustedStopped } from '../kernel';
import { specPhase } from './specPhase';
import { syncAndReload } from './syncPhase';
import { understand } from './understand';

export async function syncAndUnderstand(ctx: RunContext): Promise<Understanding> {
  await syncStep(ctx, PHASES.sync);
  return understandStep(ctx, PHASES.understand);
}

/** SYNC under the phase name a workflow gives it. */
export async function syncStep(ctx: RunContext, phase: string): Promise<void> {
  await inPhase(ctx, phase, () => syncAndReload(ctx, phase));
}

/** UNDERSTAND under the phase name a workflow gives it; its result comes back from the journal (a resume has no other). */
export async function understandStep(ctx: RunContext, phase: string): Promise<Understanding> {
  await inPhase(ctx, phase, async () => {
    const understood = ctx.facts().fromSpec ? await fromSavedSpec(ctx) : understand(ctx.request, ctx);
    ctx.emit({ type: 'understood', ...understood });
  });
  const understood = ctx.facts().understood;
  if (!understood) throw new Error(`run ${ctx.runId}: UNDERSTAND left no result in the journal`);
  return understood;
}

async function fromSavedSpec(ctx: RunContext): Promise<Understanding> {
  const spec = await loadSpec(ctx.workspace, ctx.facts().specId as string);
  const entity = spec.frontMatter.entity;
  const known =
    entity !== null &&
    (findEntity(ctx.registry, entity) !== undefined || findMemoryEntity(ctx.memory, entity) !== undefined);
  const layers = spec.frontMatter.layers.filter((layer) => Object.hasOwn(ctx.config.layers, layer));
  return {
    entity,
    known,
    layers: layers.length > 0 ? layers : Object.keys(ctx.config.layers),
    pattern: spec.frontMatter.pattern,
  };
}

/** SPEC: write and decide, or (from a saved spec) approve it. 'saved' ends the run. */
export async function specGate(
  ctx: RunContext,
  understood: Understanding,
  diagnosis?: DiagnosisFacts,
  phase: string = PHASES.spec,
): Promise<'approved' | 'saved'> {
  let outcome: 'approved' | 'saved' = 'approved';
  await inPhase(ctx, phase, async () => {
    if (!ctx.facts().fromSpec) {
      outcome = await specPhase(ctx, understood, diagnosis);
      return;
    }
    if (ctx.state().specApproved) return;
    const spec = await markApproved(ctx.workspace, ctx.facts().specId as string);
    ctx.emit({ type: 'spec.approved', specId: spec.id });
  });
  return outcome;
}

/** Validation runs the workspace's commands: refuse before any layer writes, not after. */
export function requireTrustForValidation(ctx: RunContext, layers: string[]): void {
  const needsCommands = layers.some((layer) => (ctx.config.layers[layer]?.validate.length ?? 0) > 0);
  if (needsCommands && !ctx.host.isTrusted()) throw untrustedStopped(`validating ${layers.join(', ')}`);
}
