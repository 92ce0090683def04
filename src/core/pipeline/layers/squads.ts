import type { OrchestratorConfig } from '../../project/config';
import type { Workflow } from '../../project/workflows';

/** The workflow's squads (seed 003), each with its layers; without a `squads:` list, one squad per configured layer. */
export function squadsOf(
  workflow: Pick<Workflow, 'squads'> | undefined,
  config: OrchestratorConfig,
): Record<string, string[]> {
  if (workflow?.squads) return workflow.squads;
  return Object.fromEntries(Object.keys(config.layers).map((layer) => [layer, [layer]]));
}

/** The squad a layer belongs to (the layer's own name when no squad lists it). */
export function squadOf(
  workflow: Pick<Workflow, 'squads'> | undefined,
  config: OrchestratorConfig,
  layer: string,
): string {
  return Object.entries(squadsOf(workflow, config)).find(([, layers]) => layers.includes(layer))?.[0] ?? layer;
}

/** A workflow that plans per squad: its cross-squad blocks go through the CTO (pm.cto.dependency_request). */
export function plansBySquad(workflow: Workflow | undefined): workflow is Workflow {
  return workflow?.phases.some((phase) => phase.fanOut === 'squads') ?? false;
}
