/**
 * A run in a repository with no `.claude/orchestrator.yaml` uses the census in memory: the
 * config `init` would write (unverified: nothing runs before the run itself), checked by the
 * same loader, and a context per layer, with one line saying so.
 */
import { loadConfigText, type OrchestratorConfig } from '../../project/config';
import { takeCensus } from '../census';
import { censusDocument } from './configDocument';
import { layerContext } from './contextFiles';
import { visibleLine as printable } from '../../text/terminalText';
import type { Census } from '../types';

export interface InMemoryProject {
  config: OrchestratorConfig;
  contexts: Record<string, string>;
  /** The one line the run shows. */
  notice: string;
  /** What it was taken from (a dry run shows it). */
  census: Census;
}

export async function censusInMemory(workspace: string): Promise<InMemoryProject> {
  const census = await takeCensus(workspace);
  const config = await loadConfigText(
    workspace,
    censusDocument(census).toString({ lineWidth: 0 }),
    '.claude/orchestrator.yaml (census in memory)',
  );
  const contexts = Object.fromEntries(census.layers.map((layer) => [layer.name, layerContext(layer)]));
  const layers = census.layers
    .map((l) => `${l.name} (${l.owns.slice(0, 2).join(', ')}${l.owns.length > 2 ? ', …' : ''})`)
    .join(', ');
  const notice = `No .claude/orchestrator.yaml: this run uses the census of the repository in memory — ${census.layers.length === 0 ? 'no layers' : printable(layers)}; \`orchestrator init\` writes it for you to edit`;
  return { config, contexts, notice, census };
}
