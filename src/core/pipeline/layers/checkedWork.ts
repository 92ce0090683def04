/**
 * Issue 70: `completed` means checked. Before COMPLETE, each layer's files the run changed must have
 * been checked by something that ran: a validate command of the layer (its last validation ran at
 * least one), or a proof test of a criterion the layer speaks for (red on the base, green now); and
 * where the proof ran, every testable criterion the layer speaks for proven (a wrong fix with only a
 * lint gate and broken proof tests completed green).
 * What nothing checked ends the run `unchecked` (exit 3), naming each layer and file, unless the run
 * accepts it (`--allow-unchecked`, `allowUnchecked: true`). A check added since (a validate command
 * written into the config before `resume`) runs first.
 */
import type { UncheckedLayer } from '../../errors';
import type { StateEvent } from '../../journal';
import { filesChanged } from '../../journal';
import { layerOwning, type OrchestratorConfig } from '../../project/config';
import { frozenProofFiles, proofByLayer } from '../proof';
import { type RunContext, uncheckedStopped, validationStopped } from '../kernel';
import { validateLayer } from './validateLayer';
import { untickLayer } from './specTicks';

/** The layers whose changed files no proof test and no validate command checked, each with those files. */
export async function uncheckedWork(ctx: RunContext): Promise<UncheckedLayer[]> {
  const frozen = frozenProofFiles(ctx);
  const byLayer = new Map<string, string[]>();
  for (const file of filesChanged(ctx.state())) {
    const layer = frozen.has(file) ? undefined : layerOwning(ctx.config, file);
    if (layer) byLayer.set(layer, [...(byLayer.get(layer) ?? []), file]);
  }
  if (byLayer.size === 0) return [];
  const commands = validateCommandsRun(ctx.events, ctx.config);
  const proof = await proofByLayer(ctx);
  const unchecked: UncheckedLayer[] = [];
  for (const [layer, files] of byLayer) {
    const proved = proof.get(layer);
    // A criterion the proof could not prove leaves the layer's work unchecked, whatever its gates say of style or build.
    if (proved?.unproven.length)
      unchecked.push({ layer, files, unproven: proved.unproven.map((u) => `${u.criterion}: ${u.why}`) });
    else if (proved?.proven.length) continue;
    else if ((commands.get(layer) ?? 0) === 0) unchecked.push({ layer, files });
    else {
      // Only checks of style ran (a formatter, a linter, a license header): nothing ran the changed code.
      const ran = gatesRan(ctx, layer);
      if (ran.length > 0 && ran.every((command) => STYLE_ONLY.test(command)))
        unchecked.push({ layer, files, styleOnly: ran });
    }
  }
  return unchecked;
}

/** A command whose words say it checks style only: a formatter, a linter, a license or spelling check. */
const STYLE_ONLY =
  /(^|[\s:/'"-])(lint|eslint|stylelint|markdownlint|prettier|fmt|format|gofmt|dprint|biome|license|licenses|spell|cspell|codespell|black|isort|rubocop)([\s:'"-]|$)/i;

/** The layer's validate commands its runs passed (those set aside on the base left out). */
function gatesRan(ctx: RunContext, layer: string): string[] {
  const aside = new Set(
    ctx.events.flatMap((e) => (e.type === 'validation.setAside' && e.layer === layer ? [e.command] : [])),
  );
  return (ctx.config.layers[layer]?.validate ?? []).filter((command) => !aside.has(command));
}

/** Before COMPLETE: throws the `unchecked` stop unless every changed file was checked or the run accepts it. */
export async function uncheckedGate(ctx: RunContext): Promise<void> {
  let unchecked = await uncheckedWork(ctx);
  // A layer whose last validation ran no command and that has a validate command now (added before `resume`).
  const ran = validateCommandsRun(ctx.events, ctx.config);
  const checkable = unchecked.filter(
    (u) => (ran.get(u.layer) ?? 0) === 0 && (ctx.config.layers[u.layer]?.validate.length ?? 0) > 0,
  );
  for (const { layer } of checkable) {
    const failure = await validateLayer(ctx, layer);
    if (failure)
      throw validationStopped({ layer, retries: 0, max: 0, command: failure.command, error: failure.output });
  }
  if (checkable.length > 0) unchecked = await uncheckedWork(ctx);
  if (unchecked.length === 0) {
    // Checked since an earlier stop found it unchecked: the journal says so, and the summary names nothing.
    if (ctx.state().unchecked) ctx.emit({ type: 'run.unchecked', layers: [], accepted: false });
    return;
  }
  const accepted = ctx.state().allowUnchecked === true || ctx.config.allowUnchecked;
  ctx.emit({ type: 'run.unchecked', layers: unchecked, accepted });
  if (accepted) return;
  // Ticked as its validation passed (a lint, a proof test not yet frozen broken): not done as checked after all.
  for (const { layer } of unchecked) await untickLayer(ctx, layer);
  throw uncheckedStopped(unchecked, ctx.runId);
}

/**
 * Validate commands each layer's last validation ran. A journal from before issue 70 does not count
 * them: the layer's commands in the config stand for them.
 */
function validateCommandsRun(events: readonly StateEvent[], config: OrchestratorConfig): Map<string, number> {
  const ran = new Map<string, number>();
  for (const e of events)
    if (e.type === 'validation.passed') ran.set(e.layer, e.commands ?? config.layers[e.layer]?.validate.length ?? 0);
  return ran;
}
