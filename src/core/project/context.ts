import { join } from 'node:path';
import type { OrchestratorConfig } from './configSchema';
import { CONTEXT_DIR, readOptionalText } from './files';

/** An agent's compiled context file, or why there is none. */
export interface AgentContext {
  /** Workspace-relative path that was looked up. */
  path: string;
  content?: string;
  /** Set when there is no usable context; the run goes on without it. */
  warning?: string;
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
 * Reads the compiled `.context.md` of an agent. Never a `.core.md` source: those are inputs
 * to the project's compile script, not instructions meant for the agent.
 */
export async function loadAgentContext(workspace: string, config: OrchestratorConfig, agent: string): Promise<AgentContext> {
  const path = contextPathFor(config, agent);
  if (path.endsWith('.core.md')) {
    return { path, warning: `context for "${agent}" points at the source ${path}; only compiled .context.md files are used` };
  }
  const content = await readOptionalText(join(workspace, path));
  if (content === undefined) {
    return { path, warning: `no context file for "${agent}" at ${path}; the agent runs without project instructions` };
  }
  return { path, content };
}
