import { posix } from 'node:path';
import type { OrchestratorConfig } from '../config';
import { CONTEXT_DIR } from '../sources';
import { compileContextSources, readContextSources, readCompiledContext, sourcesHashes } from './contextSources';

/** An agent's instructions: its compiled context file, or its sources compiled in memory. */
export interface AgentContext {
  /** Workspace-relative path of the compiled file that was looked up. */
  path: string;
  content?: string;
  /** Why the compiled file was not used as it is, or why there are no instructions. */
  warning?: string;
  /** Workspace-relative sources compiled in memory, when the compiled file was missing or stale. */
  compiledFrom?: string[];
}

const AGENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/**
 * Workspace-relative path of an agent's compiled context: the layer's `context` setting, else
 * `.claude/context/{agent}.context.md`. Agent names are checked so they cannot escape the folder.
 */
export function contextPathFor(config: OrchestratorConfig, agent: string): string {
  if (!AGENT_NAME.test(agent)) throw new Error(`invalid agent name "${agent}"`);
  const configured = Object.hasOwn(config.layers, agent) ? config.layers[agent]?.context : undefined;
  return configured ?? `${CONTEXT_DIR}/${agent}.context.md`;
}

/**
 * An agent's compiled `.context.md`, as the project's compile script (Mustard's
 * sync-compile) writes it from `{dir}/{agent}/*.md` and `{dir}/shared/*.md`. When that file
 * is missing, or older than its sources (and its `compiled-from-hash` does not vouch for
 * it), the sources are compiled the same way in memory, with a warning: an agent never
 * runs without the instructions its project wrote. Never a `.core.md` source on its own.
 */
export async function loadAgentContext(
  workspace: string,
  config: OrchestratorConfig,
  agent: string,
): Promise<AgentContext> {
  const path = contextPathFor(config, agent);
  const folder = posix.dirname(path);
  const [sources, compiled] = await Promise.all([
    readContextSources(workspace, { shared: `${folder}/shared`, own: `${folder}/${agent}` }),
    path.endsWith('.core.md') ? Promise.resolve(undefined) : readCompiledContext(workspace, path),
  ]);
  const names = sources.map((s) => s.path);
  if (compiled && (sources.length === 0 || isFresh(compiled, sources))) return { path, content: compiled.text };
  if (sources.length === 0) {
    const why = path.endsWith('.core.md')
      ? `context for "${agent}" points at the source ${path}; only compiled .context.md files (or the sources folder ${folder}/${agent}/) are used`
      : `no context file for "${agent}" at ${path} and no sources in ${folder}/${agent}/ or ${folder}/shared/`;
    return { path, warning: `${why}; the agent runs without project instructions` };
  }
  const content = compileContextSources(agent, sources);
  const state = compiled ? `${path} is older than its sources` : `${path} does not exist`;
  return {
    path,
    content,
    compiledFrom: names,
    warning: `${state}: "${agent}" uses its ${sources.length} source file${sources.length === 1 ? '' : 's'} compiled in memory (${names.join(', ')}); run the project's sync (sync-compile) to write it`,
  };
}

/** The header's hash matches the sources (either way Mustard counts them), else the newer file wins. */
function isFresh(
  compiled: { text: string; mtimeMs: number },
  sources: { text: string; mtimeMs: number; shared: boolean }[],
): boolean {
  const header = /^<!--\s*compiled-from-hash:\s*(\S+)\s*-->/.exec(compiled.text)?.[1];
  if (header !== undefined && sourcesHashes(sources).includes(header)) return true;
  return compiled.mtimeMs >= Math.max(...sources.map((s) => s.mtimeMs));
}
