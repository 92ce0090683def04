/** Folders and the layers that work in them, from the layers' `owns` globs. */
import picomatch from 'picomatch';
import type { OrchestratorConfig } from '../project/config';

/** The folder a glob starts from: `apps/rt/src/**` → `apps/rt/src`, `**\/*.ts` → ``. */
export function globBase(glob: string): string {
  return picomatch.scan(glob.replace(/^\.\//, '')).base.replace(/\/+$/, '');
}

/** Whether `path` is `dir` or below it (`''` is the root: everything is below it). */
export function within(path: string, dir: string): boolean {
  return dir === '' || path === dir || path.startsWith(`${dir}/`);
}

/** Whether the layer works in that folder: one of its globs starts in it, above it or below it. */
export function layerWorksIn(config: OrchestratorConfig, layer: string, dir: string): boolean {
  return (config.layers[layer]?.owns ?? []).some((glob) => {
    const base = globBase(glob);
    return base !== '' && (within(dir, base) || within(base, dir));
  });
}

/** The first layer (config order) working in that folder. */
export function layerOfFolder(config: OrchestratorConfig, dir: string): string | undefined {
  return Object.keys(config.layers).find((layer) => layerWorksIn(config, layer, dir));
}
