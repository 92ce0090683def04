/**
 * The human's pick at the approval gate for tasks of an imported spec (`approve <folder>
 * --assign "3.2=backend"`, the sidebar's layer picker): the task's line in spec.md gets
 * `— layer: backend (chosen when approving)` in place of what import decided, and specTasks.ts
 * gives it to that layer.
 */
import { join } from 'node:path';
import type { OrchestratorConfig } from '../project/config';
import { readOptionalText, writeFileAtomic } from '../project/sources';
import { EngineUsageError } from '../errors';
import { NOT_IMPLEMENTABLE } from '../trace';
import { MODEL_FOUND_NONE, TASK_LINE } from './layerPicks';

export interface LayerAssignment {
  /** The task's source id, as the spec shows it (`3.2`, `T010a`). */
  task: string;
  layer: string;
}

const NOT_CODE = new RegExp(`\\s+—\\s+${NOT_IMPLEMENTABLE}:.*$`);
const MODEL_NONE = new RegExp(`\\s+—\\s+${MODEL_FOUND_NONE}:.*$`);
const DECIDED = /\s+—\s+(?:no layer \(pick one when approving\)|layer:\s*[A-Za-z0-9_-]+(?:\s+\([^)]*\))?)/g;

/** Writes each pick into the spec's task line; an unknown layer or task id is refused before anything is written. */
export async function assignTaskLayers(
  workspace: string,
  specPath: string,
  assignments: readonly LayerAssignment[],
  config: OrchestratorConfig,
): Promise<void> {
  if (assignments.length === 0) return;
  const file = join(workspace, specPath);
  const text = await readOptionalText(file);
  if (text === undefined) throw new EngineUsageError(`no spec at ${specPath}`);
  const layers = Object.keys(config.layers);
  const lines = text.split('\n');
  for (const { task, layer } of assignments) {
    if (!layers.includes(layer))
      throw new EngineUsageError(`--assign ${task}=${layer}: no layer "${layer}" (layers: ${layers.join(', ')})`);
    const index = lines.findIndex((line) => TASK_LINE.exec(line)?.[2] === task);
    if (index < 0) {
      const ids = lines.map((line) => TASK_LINE.exec(line)?.[2]).filter((id): id is string => id !== undefined);
      throw new EngineUsageError(`--assign ${task}=${layer}: the spec has no task ${task} (tasks: ${ids.join(', ')})`);
    }
    // A task import recorded as not implementable (ticked) is opened again for the layer picked.
    const line = NOT_CODE.test(lines[index]!)
      ? lines[index]!.replace(NOT_CODE, '').replace(/^(\d+\.\s+)\[[xX]\]/, '$1[ ]')
      : lines[index]!;
    lines[index] = `${line.replace(MODEL_NONE, '').replace(DECIDED, '')} — layer: ${layer} (chosen when approving)`;
  }
  await writeFileAtomic(file, lines.join('\n'));
}
