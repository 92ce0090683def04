/**
 * What an amendment changes: the requirements whose title or criteria differ (added and
 * removed ones too), and the layers whose work differs — their tasks or files changed, or one
 * of their tasks serves a changed requirement. Only those layers run again.
 */
import type { OrchestratorConfig } from '../../project/config';
import { specWork } from '../../project/specs';
import { citedRequirements, parseRequirements, type Requirement } from '../../trace';

export interface AmendmentScope {
  requirements: string[];
  layers: string[];
}

export function amendmentScope(before: string, after: string, config: OrchestratorConfig): AmendmentScope {
  const old = new Map(parseRequirements(before).requirements.map((r) => [r.id, fingerprint(r)]));
  const now = parseRequirements(after).requirements;
  const changed = new Set<string>();
  for (const req of now) if (old.get(req.id) !== fingerprint(req)) changed.add(req.id);
  for (const id of old.keys()) if (!now.some((r) => r.id === id)) changed.add(id);

  const workBefore = specWork(before, config).layers;
  const workAfter = specWork(after, config);
  const layers = new Set<string>();
  for (const layer of Object.keys(config.layers)) {
    if (layerText(workBefore[layer]) !== layerText(workAfter.layers[layer])) layers.add(layer);
    const tasks = workAfter.layers[layer]?.tasks ?? [];
    if (tasks.some((t) => citedRequirements(t.text, now).some((id) => changed.has(id)))) layers.add(layer);
  }
  return { requirements: [...changed].sort(), layers: Object.keys(config.layers).filter((l) => layers.has(l)) };
}

function fingerprint(req: Requirement): string {
  return [req.title, ...req.criteria.map((c) => `${c.id} ${c.text}`)].join('\n');
}

/** The layer's tasks and files as text, checkboxes ignored (ticking a box changes no work). */
function layerText(work: { tasks: { text: string }[]; files: { text: string }[] } | undefined): string {
  if (!work) return '';
  return [...work.tasks.map((t) => `t ${t.text}`), ...work.files.map((f) => `f ${f.text}`)].join('\n');
}
