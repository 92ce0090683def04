/**
 * A spec's work as the configured layers own it: files go by `owns`, tasks by their layer
 * section, the files they name, or the layers they name (specTasks.ts); what no layer owns
 * is listed, never dropped.
 */
import { join } from 'node:path';
import { layerOwning, type OrchestratorConfig } from '../config';
import { readOptionalText } from '../sources';
import { tasksByLayer, type SpecTasks, type UnownedItem } from './specTasks';

export function specWork(markdown: string, config: OrchestratorConfig): SpecTasks {
  return tasksByLayer(markdown, Object.keys(config.layers), (path) => layerOwning(config, path));
}

/** Open tasks and files no layer owns; lines count in `markdown` (front matter included). */
export function unownedWork(markdown: string, config: OrchestratorConfig): UnownedItem[] {
  return specWork(markdown, config).unowned;
}

/** The spec file as it is on disk now (a human may have edited it): what no layer owns, with its lines. */
export async function unownedInSpecFile(
  workspace: string,
  specPath: string,
  config: OrchestratorConfig,
): Promise<UnownedItem[]> {
  const text = await readOptionalText(join(workspace, specPath));
  return text === undefined ? [] : unownedWork(text, config);
}
