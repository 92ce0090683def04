import type { OrchestratorConfig } from './configSchema';

/**
 * The one rule for the order layers run in, and so for which come after a layer (a swap's and a
 * change's FIX runs, the proof's waves, a review's or an audit's fixes): the spec's own plan when
 * it brings one (`waves:`, a Mustard plan's, kept on import), its waves cut to the selected
 * layers, with any other selected layer after them in `after:` order; else `after:` alone.
 */
export function computeWaves(
  config: OrchestratorConfig,
  layers: readonly string[],
  plan?: readonly (readonly string[])[],
): string[][] {
  if (!plan) return afterWaves(config, layers);
  const selected = new Set(layers);
  const placed = new Set<string>();
  const waves: string[][] = [];
  for (const wave of plan) {
    const kept = wave.filter((layer) => selected.has(layer) && !placed.has(layer));
    kept.forEach((layer) => placed.add(layer));
    if (kept.length > 0) waves.push(kept);
  }
  const rest = layers.filter((layer) => !placed.has(layer));
  return rest.length > 0 ? [...waves, ...afterWaves(config, rest)] : waves;
}

/**
 * Groups the selected layers into waves that can run in parallel. A layer waits for every
 * selected layer it depends on through `after`, directly or through layers that are not
 * selected (frontend after backend after database still orders frontend after database when
 * only those two run). Within a wave layers keep config order. With the default config:
 * `[[database, backend], [frontend]]`.
 */
function afterWaves(config: OrchestratorConfig, layers: readonly string[]): string[][] {
  for (const name of layers) {
    if (!Object.hasOwn(config.layers, name))
      throw new Error(`unknown layer "${name}" (layers: ${Object.keys(config.layers).join(', ')})`);
  }
  const selected = new Set(layers);
  const dependencies = new Map<string, Set<string>>();
  for (const name of selected) dependencies.set(name, selectedAncestors(config, name, selected));

  const waves: string[][] = [];
  const done = new Set<string>();
  let remaining = Object.keys(config.layers).filter((name) => selected.has(name));
  while (remaining.length > 0) {
    const wave = remaining.filter((name) => [...(dependencies.get(name) ?? [])].every((d) => done.has(d)));
    // The config schema rejects cycles, so this only guards hand-built configs.
    if (wave.length === 0) throw new Error(`cycle in after among: ${remaining.join(', ')}`);
    waves.push(wave);
    wave.forEach((name) => done.add(name));
    remaining = remaining.filter((name) => !done.has(name));
  }
  return waves;
}

function selectedAncestors(config: OrchestratorConfig, start: string, selected: Set<string>): Set<string> {
  const found = new Set<string>();
  const seen = new Set<string>([start]);
  const queue = [...(config.layers[start]?.after ?? [])];
  while (queue.length > 0) {
    const name = queue.shift() as string;
    if (seen.has(name)) continue;
    seen.add(name);
    if (selected.has(name)) found.add(name);
    queue.push(...(config.layers[name]?.after ?? []));
  }
  return found;
}
