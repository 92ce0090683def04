/**
 * The layers a run's spec gives work to, as the run goes (issue 71): a run ticks its spec's lines as
 * each layer's work is accepted, so "open work" alone would lose a layer once its lines are ticked.
 * The layers the spec gives open work to, and those with lines in the spec that this run (or the
 * run it follows up) worked on, in the config's order.
 */
import { layersWithWork, type Spec, specWork } from '../../project/specs';
import type { RunContext } from './runContext';

export function specWorkLayers(ctx: RunContext, spec: Pick<Spec, 'body'>, fallback: readonly string[]): string[] {
  const open = layersWithWork(spec.body, ctx.config, fallback);
  const worked = new Set(Object.keys(ctx.state().layers));
  const work = specWork(spec.body, ctx.config).layers;
  const ticked = Object.keys(ctx.config.layers).filter(
    (layer) => worked.has(layer) && (work[layer]?.files.length ?? 0) + (work[layer]?.tasks.length ?? 0) > 0,
  );
  if (ticked.every((layer) => open.includes(layer))) return open;
  return Object.keys(ctx.config.layers).filter((layer) => open.includes(layer) || ticked.includes(layer));
}
