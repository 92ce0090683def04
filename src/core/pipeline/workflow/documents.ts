import { dirname } from 'node:path';
import type { WorkflowDocument, WorkflowPhase } from '../../project/workflows';
import type { RunContext } from '../kernel';
import { squadsOf } from '../layers';

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
  return (phase.outputs ?? []).flatMap((output) => (output === 'code' ? [] : documentPaths(ctx, output)));
}

/** One document's paths: one, or one per squad / layer of a fan-out (none while `{spec}` has no folder yet). */
export function documentPaths(ctx: RunContext, output: WorkflowDocument, item?: string): string[] {
  const folder = specFolder(ctx);
  if (output.path.includes('{spec}') && folder === undefined) return [];
  const path = output.path.replace(/\{spec\}/g, folder ?? '');
  const fill = (name: 'squad' | 'layer', items: string[]) =>
    (item !== undefined ? [item] : items).map((each) => path.replace(new RegExp(`\\{${name}\\}`, 'g'), each));
  if (path.includes('{squad}')) return fill('squad', Object.keys(squadsOf(ctx.workflow, ctx.config)));
  if (path.includes('{layer}')) return fill('layer', Object.keys(ctx.config.layers));
  return [path];
}
