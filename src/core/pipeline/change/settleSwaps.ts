/**
 * A person's swap of one attempt for another (docs/attempts.md), carried out where the run meets
 * its change requests: the attempt in the run gives way to the one asked for (a three-way merge,
 * nothing written on a conflict), that attempt's layer work joins the journal, and every layer of
 * a later wave (in the spec's plan's order when it has one) whose agent already worked runs again
 * in FIX mode on it. A swap the one rule (attemptUse.ts) refuses now (never judged, failed its
 * validation, none in the run yet, the run past the phase that picked it) is said and left; the
 * CLI and the sidebar refuse by the same rule before they queue one.
 */
import { computeWaves } from '../../project/config';
import type { Spec } from '../../project/specs';
import { attemptRefusal } from '../../text/attemptUse';
import { attemptsOfRun, bringInAttempt, pendingSwaps, phaseOfRun } from '../attempts';
import { runLayer, specBrief } from '../layers';
import { type RunContext, runWaves } from '../kernel';
import { focusOf, parallelWithDatabase, specLayers } from '../phases';

export async function settleSwaps(ctx: RunContext, spec: Spec): Promise<void> {
  for (const swap of pendingSwaps(ctx.home, ctx.runId, ctx.events)) {
    const tried = attemptsOfRun(ctx.events).find((l) => l.layer === swap.layer);
    const current = tried?.picked?.k;
    // The rule the swap was queued by (useAttempt.ts), on the journal as it is now.
    const refused = tried
      ? attemptRefusal({ status: 'running', phase: phaseOfRun(ctx.events) }, tried, swap.k)
      : `${swap.layer} was tried in no attempts`;
    if (refused && refused !== 'current') {
      ctx.warn(
        `${swap.layer}'s attempt ${swap.k} cannot be used (${refused}); the run keeps attempt ${current ?? '(none)'}`,
      );
      continue;
    }
    // None kept yet (a resumed run's layer still to try its attempts): the swap waits for the pick.
    if (current === undefined) continue;
    if (refused === 'current') {
      ctx.emit({
        type: 'attempt.picked',
        layer: swap.layer,
        k: swap.k,
        why: 'used by a person; already the one in the run',
        by: 'person',
        request: swap.id,
      });
      continue;
    }
    ctx.emit({
      type: 'attempt.picked',
      layer: swap.layer,
      k: swap.k,
      why: `used by a person instead of attempt ${current}`,
      by: 'person',
      request: swap.id,
    });
    await bringInAttempt(ctx, swap.layer, swap.k, current);
    await rerunLaterLayers(ctx, spec, swap.layer, swap.k);
  }
}

/** The layers of later waves that already worked, again in FIX mode, on the attempt now in the run. */
async function rerunLaterLayers(ctx: RunContext, spec: Spec, layer: string, k: number): Promise<void> {
  const waves = computeWaves(ctx.config, specLayers(ctx, spec), spec.frontMatter.waves);
  const from = waves.findIndex((wave) => wave.includes(layer));
  const state = ctx.state();
  const later = waves
    .slice(from + 1)
    .map((wave) => wave.filter((l) => (state.layers[l]?.attempts ?? 0) > 0))
    .filter((wave) => wave.length > 0);
  if (later.length === 0) return;
  const focus = focusOf(ctx, spec);
  const task = [
    `## FIX MODE: ${layer.toUpperCase()}'S WORK WAS REPLACED`,
    `A person chose another attempt at the ${layer} layer (attempt ${k}) after your layer had built on the one before it. Check your layer's work against the ${layer} layer's files as they are now and change what no longer fits; leave the rest alone.`,
  ].join('\n');
  await runWaves(later, ctx.limit, { onWave: () => {} }, async (l, wave) => {
    ctx.emit({
      type: 'log',
      level: 'info',
      message: `${layer}'s attempt ${k} is in the run now: ${l} runs again in FIX mode on it`,
    });
    const base = specBrief(ctx, {
      layer: l,
      spec,
      focus,
      parallelWithDatabase: parallelWithDatabase(ctx.config, l, wave),
    });
    await runLayer(ctx, {
      layer: l,
      mode: 'fix',
      brief: { ...base, task: (step) => `${task}\n\n${base.task(step)}` },
      resume: false,
      sinceSeq: ctx.state().lastSeq,
    });
  });
}
