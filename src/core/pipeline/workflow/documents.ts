import { dirname } from 'node:path';
import type { WorkflowPhase } from '../../project/workflows/workflowSchema';
import type { RunContext } from '../run/runContext';
import { squadsOf } from './squads';

/** The spec's folder as the journal last saw it (active, or completed once COMPLETE moved it). */
export function specFolder(ctx: RunContext): string | undefined {
  for (let i = ctx.events.length - 1; i >= 0; i--) {
    const event = ctx.events[i];
    if (event?.type === 'spec.completed' || event?.type === 'spec.saved') return dirname(event.path);
  }
  const specId = ctx.facts().specId;
  return specId ? `spec/active/${specId}` : undefined;
}

/**
 * A phase's documents, workspace-relative: `{spec}` is the spec's folder, `{squad}` and `{layer}`
 * give one document per squad or layer of a fan-out.
 */
export function phaseDocuments(ctx: RunContext, phase: WorkflowPhase): string[] {
  const folder = specFolder(ctx);
  const paths: string[] = [];
  for (const output of phase.outputs ?? []) {
    if (output === 'code') continue;
    if (output.path.includes('{spec}') && folder === undefined) continue;
    const path = output.path.replace(/\{spec\}/g, folder ?? '');
    if (path.includes('{squad}')) paths.push(...Object.keys(squadsOf(ctx.workflow, ctx.config)).map((squad) => path.replace(/\{squad\}/g, squad)));
    else if (path.includes('{layer}')) paths.push(...Object.keys(ctx.config.layers).map((layer) => path.replace(/\{layer\}/g, layer)));
    else paths.push(path);
  }
  return paths;
}
