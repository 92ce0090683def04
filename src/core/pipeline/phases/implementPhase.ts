/**
 * IMPLEMENT (and a bugfix's FIX): the spec's layers in waves (its plan's, else `after:`), each layer
 * through agent → validate → retry. A layer sharing its wave with the database layer is
 * told the schema may not be migrated yet. Finished layers are skipped, so the same code
 * runs a fresh run and a resumed one.
 */
import { isLayerDone } from '../../journal';
import { computeWaves, type OrchestratorConfig } from '../../project/config';
import { loadSpec, type Spec, updateSpecStatus } from '../../project/specs';
import { autoPickOf, type EntityFocus, waveCacheTurns } from '../agent';
import { EngineUsageError } from '../../errors';
import { recordedValidation, runLayer, specBrief } from '../layers';
import { type RunContext, runWaves, specWorkLayers } from '../kernel';
import { proveAfterLastWave } from './proofAfterWaves';
import { attemptsFor, runLayerAttempts } from '../attempts';

/**
 * `lastAgentsDone` is called whenever every layer of the last wave has its agent done for
 * now (all validating or finished): nothing but validation commands runs after that unless
 * a retry starts, so the next phase may prepare meanwhile.
 */
export async function implementLayers(
  ctx: RunContext,
  spec: Spec,
  layers: string[],
  mode: 'implement' | 'fix',
  lastAgentsDone?: () => void,
  /** Between waves: the spec as the later waves work from it (amended by a change request). */
  betweenWaves?: (spec: Spec) => Promise<Spec>,
): Promise<void> {
  let current = spec;
  const state = ctx.state();
  // Done means validated files that are still as validated: a stale or forged record runs VALIDATE again.
  const done = new Set<string>();
  for (const layer of layers)
    if (isLayerDone(state, layer) && (await recordedValidation(ctx, layer)) === 'holds') done.add(layer);
  const waves = computeWaves(ctx.config, layers, spec.frontMatter.waves)
    .map((wave) => wave.filter((layer) => !done.has(layer)))
    .filter((wave) => wave.length > 0);
  const focus = focusOf(ctx, spec);
  const lastWave = new Map(
    (waves.at(-1) ?? []).map((layer): [string, 'agent' | 'validate' | 'done'] => [layer, 'agent']),
  );
  const onStep = (layer: string) => (step: 'agent' | 'validate' | 'done') => {
    if (!lastWave.has(layer)) return;
    lastWave.set(layer, step);
    if (step !== 'validate' || [...lastWave.values()].some((s) => s === 'agent')) return;
    // Before the layer's validation asks for its producers: a change-set's consumers may begin their checks on this work.
    ctx.opts.setMember?.workIn?.();
    // After this turn of the event loop, so the validation command is started first.
    if (lastAgentsDone) setImmediate(lastAgentsDone);
  };
  const turns = waveCacheTurns(ctx);
  await runWaves(
    waves,
    ctx.limit,
    {
      onWave: (wave, of, names) => ctx.emit({ type: 'wave.started', wave, of, layers: names }),
      startOrder: turns.startOrder,
      ...(betweenWaves ? { beforeWave: async () => void (current = await betweenWaves(current)) } : {}),
      ownSlots: (layer) => attemptsFor(ctx, layer) > 1,
    },
    async (layer, wave) => {
      const brief = specBrief(ctx, {
        layer,
        spec: current,
        focus,
        parallelWithDatabase: parallelWithDatabase(ctx.config, layer, wave),
        bugfix: mode === 'fix',
      });
      // `runner: auto` chooses before the layer's job starts: its attempts (without attemptRunners) and retries run on the choice.
      const pick = await autoPickOf(ctx, layer);
      const job = {
        layer,
        mode,
        brief,
        resume: true,
        sinceSeq: 0,
        onStep: onStep(layer),
        cacheTurns: turns.of(wave),
        ...(pick ? { pick } : {}),
      };
      const attempts = attemptsFor(ctx, layer);
      if (attempts > 1) await runLayerAttempts(ctx, job, attempts);
      else await runLayer(ctx, job);
    },
  );
  // GREEN after the last wave: every proof test, a failure sent to the layer it blames.
  await proveAfterLastWave(ctx, current, focus, mode);
}

/**
 * The spec's status line says the layers are at work. Written before the checkpoint starts:
 * `git add` must not meet the temp file of an atomic write.
 */
export async function markImplementing(ctx: RunContext, spec: Spec): Promise<void> {
  if (spec.frontMatter.status !== 'implementing') await updateSpecStatus(ctx.workspace, spec.id, 'implementing');
}

/** A layer sharing its wave with the database layer: the schema may not be migrated yet. */
export function parallelWithDatabase(config: OrchestratorConfig, layer: string, wave: readonly string[]): boolean {
  return !isDatabaseLayer(config, layer) && wave.some((other) => isDatabaseLayer(config, other));
}

/** The layer that owns the schema: named `database`, or owning exactly the `schema` globs. */
export function isDatabaseLayer(config: OrchestratorConfig, layer: string): boolean {
  if (layer === 'database') return true;
  const owns = config.layers[layer]?.owns ?? [];
  return config.schema.length > 0 && owns.length > 0 && owns.every((glob) => config.schema.includes(glob));
}

export function focusOf(ctx: RunContext, spec: Spec): EntityFocus {
  const understood = ctx.facts().understood;
  return {
    name: spec.frontMatter.entity ?? understood?.entity ?? null,
    pattern: spec.frontMatter.pattern ?? understood?.pattern ?? null,
  };
}

/** The run's spec as it is on disk now (approved by this run or before it). */
export async function runSpec(ctx: RunContext): Promise<Spec> {
  const id = ctx.facts().specId;
  if (!id) throw new EngineUsageError(`run ${ctx.runId} has no spec`);
  return loadSpec(ctx.workspace, id);
}

/**
 * The layers to implement: those the spec body gives work to (it may have been revised
 * after the front matter was written), else the front matter's, else UNDERSTAND's.
 */
export function specLayers(ctx: RunContext, spec: Spec): string[] {
  const fallback =
    spec.frontMatter.layers.length > 0 ? spec.frontMatter.layers : (ctx.facts().understood?.layers ?? []);
  return specWorkLayers(ctx, spec, fallback);
}
