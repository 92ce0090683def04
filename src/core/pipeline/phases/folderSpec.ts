/**
 * A feature request that names a Kiro or Spec Kit folder of the repository ("Implement
 * specs/004-trip-invitations", an issue's body): the run imports that folder as its spec instead of
 * asking the spec agent for one, and the model proposes the layer of its tasks naming no file
 * (layerProposal.ts). The gate shows the spec with that placement wherever the run lives (the
 * sidebar, the chat, the portal, the GitHub spec comment), approving accepts it, and changes asked
 * there that are only moves (`T020=frontend`) move those tasks (docs/import.md).
 */
import { EngineUsageError } from '../../errors';
import type { GatePlacement } from '../../requests';
import {
  findForeignFolders,
  importRoom,
  type LayerAssignment,
  pendingProposalItems,
  PROPOSED,
  withLayerPicks,
} from '../../import';
import { loadSpec, type Spec, unownedWork } from '../../project/specs';
import type { OrchestratorConfig } from '../../project/config';
import type { RunContext } from '../kernel';
import { proposeLayers, takeProposalCosts } from './layerProposal';
import { unplaceable, unplacedTasks } from './specOwnership';

/** The one Kiro or Spec Kit folder the request names by its path, if it names exactly one. */
export async function folderNamedIn(workspace: string, request: string): Promise<string | undefined> {
  if (!request.includes('specs/')) return undefined;
  const named = (await findForeignFolders(workspace)).filter((folder) =>
    new RegExp(`(^|[\\s\`'"(])${escape(folder.dir)}/?(?=$|[\\s\`'".,;:)])`, 'm').test(request),
  );
  return named.length === 1 ? named[0]!.dir : undefined;
}

/** The folder imported as the run's spec, its unplaced tasks proposed a layer by the model (the call charged to this run). */
export async function importNamedFolder(ctx: RunContext, folder: string): Promise<Spec> {
  const imported = await importRoom().importSpecFolder(ctx.workspace, folder, ctx.config);
  ctx.emit({
    type: 'log',
    level: 'info',
    message: `The request names ${imported.source}: imported as ${imported.specPath} (${imported.requirements} requirement(s), ${imported.tasks} task(s)) instead of writing a spec.`,
  });
  imported.warnings.forEach((warning) => ctx.warn(`${imported.source}: ${warning}`));
  await proposeLayers({
    workspace: ctx.workspace,
    specId: imported.specId,
    specPath: imported.specPath,
    config: ctx.config,
    opts: ctx.opts,
  });
  for (const usage of await takeProposalCosts(ctx.workspace, imported.specId)) {
    ctx.budget.charge(usage.priced === false ? undefined : usage.costUsd);
    ctx.emit(usage);
  }
  ctx.emit({ type: 'spec.saved', specId: imported.specId, path: imported.specPath });
  return loadSpec(ctx.workspace, imported.specId);
}

/** Changes asked of an imported spec that only move tasks (`T020=frontend, T021=backend`, one per line or comma-separated). */
export function movesIn(spec: Spec, feedback: string): LayerAssignment[] | undefined {
  if (spec.frontMatter.source === undefined) return undefined;
  const parts = feedback
    .split(/[\n,;]+/)
    .map((part) => part.trim())
    .filter(Boolean);
  const moves = parts.map((part) => /^(\S+?)\s*=\s*([A-Za-z0-9_-]+)$/.exec(part));
  if (moves.length === 0 || moves.some((m) => m === null)) return undefined;
  return moves.map((m) => ({ task: m![1]!, layer: m![2]! }));
}

/** The moves written into the spec's task lines; a move naming an unknown task or layer moves nothing and is said. */
export async function moveTasks(ctx: RunContext, spec: Spec, moves: readonly LayerAssignment[]): Promise<Spec> {
  try {
    await importRoom().assignTaskLayers(ctx.workspace, spec.path, moves, ctx.config);
  } catch (error) {
    if (!(error instanceof EngineUsageError)) throw error;
    ctx.warn(`Nothing moved: ${error.message.replace(/^--assign /, '')}`);
  }
  ctx.emit({ type: 'spec.saved', specId: spec.id, path: spec.path });
  return loadSpec(ctx.workspace, spec.id);
}

/**
 * What a gate shows of an imported spec's placement: the model's proposals waiting, and the tasks
 * nothing placed (only imported specs carry these marks). Read from the markdown the gate shows, so
 * a host holding only that (a pooled run's GitHub comment) shows the same.
 */
export function gatePlacement(markdown: string, config: OrchestratorConfig): GatePlacement | undefined {
  const proposed = withLayerPicks(pendingProposalItems(markdown), Object.keys(config.layers)).flatMap((item) => {
    if (!item.pick?.proposed) return [];
    const reason =
      new RegExp(`${PROPOSED}: ([^)]*)\\)`).exec(item.text)?.[1] ??
      /— not implementable: (.*?) \(/.exec(item.text)?.[1] ??
      '';
    return [{ task: item.pick.task, layer: item.pick.proposed, reason }];
  });
  const unplaced = unplacedTasks(unownedWork(markdown, config));
  if (proposed.length === 0 && unplaced.length === 0) return undefined;
  return { proposed, ...(unplaced.length > 0 ? { unplaced: unplaceable(unplaced, config) } : {}) };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
