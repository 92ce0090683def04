/**
 * The layer of each task of a Mustard wave. A task naming files goes to the one layer owning
 * them, not to every layer of the wave. A task naming none is the work of the wave's role: the
 * role's layer, and only it (a `docs` task goes to the docs layer even when the wave lists a
 * test file another layer owns). A task naming only files no layer owns is nobody's: the gate
 * names it, never the wave's other writer. When the role names no layer, it goes to the layer its words
 * point to among the wave's writers, else (nothing tells) to each writer.
 */
import type { MustardWave } from '../mustard';
import { layerOwning, type OrchestratorConfig } from '../project/config';
import { namedPaths } from '../project/specs';
import { guessLayer } from './layerGuess';

export interface WaveTask {
  text: string;
  layers: string[];
}

/** `writers`: the layers owning the wave's files, else the role's layer. */
export function waveTasks(
  wave: MustardWave,
  writers: readonly string[],
  roleLayer: string | undefined,
  config: OrchestratorConfig,
): WaveTask[] {
  // An older plan's wave without tasks: its summary is the work of whoever writes the wave.
  if (wave.tasks.length === 0)
    return [{ text: wave.summary ?? `the ${wave.role} work of the spec`, layers: [...writers] }];
  const everyLayer = Object.keys(config.layers);
  return wave.tasks.map((text) => {
    const byFiles = ownerOfNamedFiles(text, wave, writers, config) ?? ownerOfNamedFiles(text, wave, everyLayer, config);
    if (byFiles) return { text, layers: [byFiles] };
    // It names the wave's listed files (paths from the root) and no layer owns them: nobody may write them, so the
    // task is work no layer owns, named at the gate, not the role's (its other paths may be relative to a project).
    if (concreteFiles(namedPaths(text)).some((path) => wave.files.includes(path))) return { text, layers: [] };
    if (roleLayer) return { text, layers: [roleLayer] };
    if (writers.length <= 1) return { text, layers: [...writers] };
    const narrowed = { ...config, layers: Object.fromEntries(writers.map((w) => [w, config.layers[w]!])) };
    const guess = guessLayer(text, undefined, narrowed);
    return { text, layers: guess ? [guess.layer] : [...writers] };
  });
}

/** Paths that name one file (`apps/rt/src/main.rs`), not a folder or a glob. */
function concreteFiles(paths: readonly string[]): string[] {
  return paths.filter((path) => !/[*?{[]/.test(path) && /\.[A-Za-z0-9]{1,10}$/.test(path.split('/').at(-1)!));
}

/**
 * The one layer owning the files a task names: the wave's listed files it names first, else the
 * files it names, else any path (a folder, a glob it only reads, such as `apps/web/src` or
 * `docs/**\/*.md`, never takes the task from the file's owner); the layer owning most of them, the
 * first named on a tie.
 */
function ownerOfNamedFiles(
  text: string,
  wave: MustardWave,
  writers: readonly string[],
  config: OrchestratorConfig,
): string | undefined {
  const paths = namedPaths(text);
  const listed = paths.filter((path) => wave.files.includes(path));
  const files = concreteFiles(paths);
  const chosen = listed.length > 0 ? listed : files.length > 0 ? files : paths;
  const counts = new Map<string, number>();
  for (const path of chosen) {
    const layer = layerOwning(config, path);
    if (layer !== undefined && writers.includes(layer)) counts.set(layer, (counts.get(layer) ?? 0) + 1);
  }
  let best: string | undefined;
  for (const [layer, count] of counts) if (best === undefined || count > counts.get(best)!) best = layer;
  return best;
}
