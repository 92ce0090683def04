/**
 * Where a run meets its change requests: before IMPLEMENT's work, between its waves, and
 * before REVIEW. Each request waiting in the inbox goes through the spec gate (amendment.ts);
 * then every layer an approved amendment changes and whose agent already worked runs again in
 * FIX mode with the amendment (wave order, validated as always). Layers the amendment does
 * not touch keep their finished work; layers not started yet simply implement the amended spec.
 * A follow-up run's layer sent back with a failure found outside (followUp.ts) runs here too, in
 * FIX mode with that failure as its first validation error.
 */
import { computeWaves } from '../../project/config';
import { loadSpec, type Spec } from '../../project/specs';
import { retrySection } from '../agent';
import { runLayer, specBrief } from '../layers';
import { type RunContext, runWaves } from '../kernel';
import { focusOf, parallelWithDatabase } from '../phases';
import { proveAmended } from '../proof';
import { amendSpec } from './amendment';
import { followUpFixOwed, layersOwedFix, readChangeFacts, type ApprovedChange } from './changeFacts';
import { readChangeRequests } from './inbox';
import { settleSwaps } from './settleSwaps';

export async function settleChanges(ctx: RunContext, spec: Spec): Promise<Spec> {
  // A person's choice of another attempt first: an amendment's fixes then work on it.
  await settleSwaps(ctx, spec);
  let current = spec;
  const open = readChangeFacts(ctx.events).open;
  if (open)
    current =
      (await amendSpec(ctx, current, { id: open.changeId, request: open.request }, true))?.spec ??
      (await loadSpec(ctx.workspace, spec.id));
  // The inbox is beside the journal, in the checkout (a worktree run works elsewhere).
  for (const entry of readChangeRequests(ctx.home, ctx.runId)) {
    if (readChangeFacts(ctx.events).seen.has(entry.id)) continue;
    current = (await amendSpec(ctx, current, entry))?.spec ?? (await loadSpec(ctx.workspace, spec.id));
  }
  // An amendment changes what is proven: its criteria's tests are written again before the layers fix.
  await proveAmended(ctx, current);
  await fixOwedLayers(ctx, current);
  return current;
}

/** How many amendments the run approved so far (a new one means the layers' work must be checked again). */
export function approvedChanges(ctx: RunContext): number {
  return readChangeFacts(ctx.events).approved.length;
}

async function fixOwedLayers(ctx: RunContext, spec: Spec): Promise<void> {
  const owed = new Map(layersOwedFix(ctx.events).map(({ layer, changes }) => [layer, changes]));
  // A follow-up run's layer sent back with a failure found outside goes the same way.
  const outside = followUpFixOwed(ctx.events);
  if (outside && !owed.has(outside.layer)) owed.set(outside.layer, []);
  if (owed.size === 0) return;
  const focus = focusOf(ctx, spec);
  await runWaves(
    computeWaves(ctx.config, [...owed.keys()], spec.frontMatter.waves),
    ctx.limit,
    { onWave: () => {} },
    async (layer, wave) => {
      const changes = owed.get(layer)!;
      const failed = outside?.layer === layer ? outside : undefined;
      const why = [
        ...(changes.length > 0 ? [`Spec amended (${changes.map((c) => `v${c.version}`).join(', ')})`] : []),
        ...(failed ? [`\`${failed.command}\` failed on its work`] : []),
      ].join('; ');
      ctx.emit({
        type: 'log',
        level: 'info',
        message: `${why}: ${layer} runs again in FIX mode${changes.length > 0 ? ' with the amendment' : ' with the failure'}`,
      });
      const base = specBrief(ctx, {
        layer,
        spec,
        focus,
        parallelWithDatabase: parallelWithDatabase(ctx.config, layer, wave),
      });
      const before = [
        ...(changes.length > 0 ? [amendmentTask(changes)] : []),
        ...(failed ? [outsideFailureTask(failed, ctx.config.limits.maxRetries)] : []),
      ].join('\n\n');
      await runLayer(ctx, {
        layer,
        mode: 'fix',
        brief: { ...base, task: (step) => `${before}\n\n${base.task(step)}` },
        resume: false,
        sinceSeq: ctx.state().lastSeq,
      });
    },
  );
}

function amendmentTask(changes: readonly ApprovedChange[]): string {
  return [
    `## FIX MODE: THE APPROVED SPEC WAS AMENDED (now v${changes.at(-1)!.version})`,
    ...changes.map(
      (c) =>
        `- v${c.version}: ${c.request} (requirements changed: ${c.requirements.join(', ') || 'none; tasks or files changed'})`,
    ),
    'Your layer already implemented an earlier version. Change that work to match the amended spec in your context; leave alone what the amendment does not touch.',
  ].join('\n');
}

/** The failure found outside (a CI job), as the first validation error of the layer's FIX run. */
function outsideFailureTask(failed: { command: string; output: string }, maxRetries: number): string {
  return [
    "## FIX MODE: A CHECK FAILED ON YOUR LAYER'S WORK OUTSIDE THE ORCHESTRATOR",
    "Your layer's work was validated here, then a check run elsewhere (continuous integration) failed on it. Its output is below, as a validation error.",
    retrySection({ attempt: 1, max: maxRetries + 1, command: failed.command, error: failed.output }),
  ].join('\n\n');
}

/**
 * IMPLEMENT with change requests: settled before the layers' work and between waves; when an
 * amendment was approved meanwhile, the spec's layers are gone through again (finished
 * layers whose validation still holds are skipped), so every layer ends on the amended spec.
 */
export async function implementWithChanges(
  ctx: RunContext,
  spec: Spec,
  implement: (spec: Spec, between: (s: Spec) => Promise<Spec>) => Promise<void>,
): Promise<Spec> {
  let current = await settleChanges(ctx, spec);
  for (;;) {
    const approved = approvedChanges(ctx);
    await implement(current, (s) => settleChanges(ctx, s));
    // Amended between waves: the layers are gone through again with the spec as it is now.
    if (approvedChanges(ctx) !== approved) current = await loadSpec(ctx.workspace, current.id);
    current = await settleChanges(ctx, current);
    if (approvedChanges(ctx) === approved) return current;
  }
}
