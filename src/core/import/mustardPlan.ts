/**
 * A Mustard plan's waves on our layers. A wave's role names the layer it maps to (a layer of
 * that name, a grain project of that name, or a layer owning a folder of that name); the
 * files it lists go to the layers owning them: where the two disagree, ownership decides who
 * writes and the mismatch is shown. Its tasks go to layers as mustardTasks.ts says. Our layers run once each, so the plan's wave order
 * becomes the order of the layers: a layer runs at its first open wave's step.
 */
import { globBase, type GrainModel, layerOfFolder, type MustardWave } from '../mustard';
import { layerOwning, type OrchestratorConfig } from '../project/config';
import { waveTasks, type WaveTask } from './mustardTasks';

export interface PlannedWave {
  wave: MustardWave;
  /** The layer the wave's role maps to, and how it was found. */
  roleLayer?: string;
  roleMatch: string;
  /** Each listed file's owner (undefined: no layer owns it). */
  owners: { path: string; layer?: string }[];
  /** The layers that do this wave's work: its files' owners (else the role's layer), and the layers its tasks went to. */
  writers: string[];
  tasks: WaveTask[];
  /** Lines saying where the role and the files' owners disagree. */
  mismatches: string[];
}

export interface PlanOnLayers {
  waves: PlannedWave[];
  /** Layers with open work, in steps (the spec's `waves` front matter). */
  steps: string[][];
  /** Where running each layer once cannot keep the plan's order exactly. */
  orderNotes: string[];
}

export function planOnLayers(
  waves: MustardWave[],
  config: OrchestratorConfig,
  grain: GrainModel | undefined,
): PlanOnLayers {
  const planned = waves.map((wave) => planWave(wave, config, grain));
  const { steps, notes } = layerSteps(planned);
  return { waves: planned, steps, orderNotes: notes };
}

function planWave(wave: MustardWave, config: OrchestratorConfig, grain: GrainModel | undefined): PlannedWave {
  const { layer: roleLayer, how } = layerForRole(wave.role, config, grain);
  const owners = wave.files.map((path) => ({ path, ...optionalLayer(layerOwning(config, path)) }));
  const owning = Object.keys(config.layers).filter((layer) => owners.some((o) => o.layer === layer));
  const fileWriters = owning.length > 0 ? owning : roleLayer ? [roleLayer] : [];
  const tasks = waveTasks(wave, fileWriters, roleLayer, config);
  const writers = Object.keys(config.layers).filter(
    (layer) => fileWriters.includes(layer) || tasks.some((t) => t.layers.includes(layer)),
  );
  const mismatches: string[] = [];
  for (const { path, layer } of owners) {
    if (layer === undefined)
      mismatches.push(`\`${path}\` is owned by no layer: approving asks first, and no agent may write it.`);
    else if (roleLayer === undefined)
      mismatches.push(
        `\`${path}\`: the role "${wave.role}" matches no layer; layer ${layer} owns the file and writes it.`,
      );
    else if (layer !== roleLayer)
      mismatches.push(
        `\`${path}\` is listed by this ${wave.role} wave but owned by layer ${layer}: ${layer} writes it.`,
      );
  }
  return { wave, ...(roleLayer ? { roleLayer } : {}), roleMatch: how, owners, writers, tasks, mismatches };
}

/** The layer a Mustard role names: a layer of that name, a grain project's, or a layer owning a folder of that name. */
export function layerForRole(
  role: string,
  config: OrchestratorConfig,
  grain: GrainModel | undefined,
): { layer?: string; how: string } {
  const lower = role.toLowerCase();
  const layers = Object.keys(config.layers);
  const named = layers.find((layer) => layer.toLowerCase() === lower);
  if (named) return { layer: named, how: 'the layer of that name' };
  const project = grain?.projects.find((p) => p.dir !== '' && p.name.toLowerCase() === lower);
  const ofProject = project ? layerOfFolder(config, project.dir) : undefined;
  if (project && ofProject)
    return { layer: ofProject, how: `the layer working in ${project.dir}/ (grain project ${project.name})` };
  for (const layer of layers) {
    const glob = config.layers[layer]?.owns.find((g) => globBase(g).split('/').at(-1)?.toLowerCase() === lower);
    if (glob) return { layer, how: `the layer owning ${glob}` };
  }
  return { how: 'no layer: no layer or project has that name' };
}

/**
 * Steps of layers from the open waves: a wave's step follows the steps of the open waves it
 * depends on (done waves are satisfied); a layer runs at the earliest step of its waves.
 */
function layerSteps(planned: PlannedWave[]): { steps: string[][]; notes: string[] } {
  const open = planned.filter((p) => !p.wave.done);
  const byNumber = new Map(open.map((p) => [p.wave.n, p]));
  const level = new Map<number, number>();
  const visiting = new Set<number>();
  const levelOf = (p: PlannedWave): number => {
    const known = level.get(p.wave.n);
    if (known !== undefined) return known;
    if (visiting.has(p.wave.n)) return 0; // a cycle in depends_on: broken here
    visiting.add(p.wave.n);
    const deps = p.wave.dependsOn
      .map((n) => byNumber.get(n))
      .filter((d): d is PlannedWave => d !== undefined && d !== p);
    const value = deps.length ? Math.max(...deps.map(levelOf)) + 1 : 0;
    visiting.delete(p.wave.n);
    level.set(p.wave.n, value);
    return value;
  };
  const layerLevel = new Map<string, number>();
  for (const p of open)
    for (const layer of p.writers)
      layerLevel.set(layer, Math.min(layerLevel.get(layer) ?? Number.MAX_SAFE_INTEGER, levelOf(p)));
  const notes: string[] = [];
  for (const p of open) {
    for (const layer of p.writers) {
      const late = p.wave.dependsOn
        .map((n) => byNumber.get(n))
        .filter((d): d is PlannedWave => d !== undefined)
        .flatMap((d) =>
          d.writers.filter((w) => w !== layer && (layerLevel.get(w) ?? 0) >= (layerLevel.get(layer) ?? 0)),
        );
      if (late.length > 0)
        notes.push(
          `Layer ${layer} runs once, so its ${p.wave.folder} starts with its earlier waves, not after ${[...new Set(late)].join(', ')} as the plan orders; review that wave's result.`,
        );
    }
  }
  const levels = [...new Set(layerLevel.values())].sort((a, b) => a - b);
  return { steps: levels.map((l) => [...layerLevel].filter(([, v]) => v === l).map(([layer]) => layer)), notes };
}

function optionalLayer(layer: string | undefined): { layer?: string } {
  return layer === undefined ? {} : { layer };
}
