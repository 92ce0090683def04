/** Which criteria each layer's tasks cite, and the text of those tasks (GREEN's order, PROVE's property library per criterion). */
import type { OrchestratorConfig } from '../../project/config';
import { layerTasksText } from '../../project/specs';
import { citedCriteria, citedRequirements, parseRequirements } from '../../trace';

/** Each layer's cited criteria, directly (`REQ-1.2`) or through their requirement (`REQ-1`), with its tasks' text. */
export function layerCitations(
  specBody: string,
  config: OrchestratorConfig,
  layers: readonly string[],
): Map<string, { criteria: Set<string>; text: string }> {
  const { requirements } = parseRequirements(specBody);
  return new Map(
    layers.map((l) => {
      const text = layerTasksText(specBody, config, l);
      const viaRequirement = new Set(citedRequirements(text, requirements));
      const criteria = new Set([
        ...citedCriteria(text, requirements),
        ...requirements.filter((r) => viaRequirement.has(r.id)).flatMap((r) => r.criteria.map((c) => c.id)),
      ]);
      return [l, { criteria, text }];
    }),
  );
}
