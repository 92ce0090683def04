/**
 * A dry run's agents (issue 71): who would do each agent's work (our agent on which model, a CLI
 * agent, the task queue) and what that needs before the first call — a key, VS Code, a CLI agent
 * on PATH — found without opening any provider: no request leaves the machine.
 */
import type { RunOptions } from '../../api';
import { ANTHROPIC, OPENAI, parseModelId, providerRegistry } from '../../llm';
import { modelFor, modelKeyFor, type OrchestratorConfig } from '../../project/config';
import { agentRunnerName, checkRunnerCommands, isCliRunner, type RunnerName } from '../../runners';
import type { Workflow } from '../../project/workflows';
import { isDemoShop } from '../kernel';

export interface PlannedAgent {
  agent: string;
  /** `agent` (our tool loop), `external` (the task queue), `auto`, or a CLI agent (`claude-code`, `codex`…). */
  runner: string;
  /** The model our agent would use, and the config key that chose it; a CLI agent's own model when the config names one. */
  model?: string;
  modelKey?: string;
}

/** Each agent's runner and model, in the order given. */
export function plannedAgents(
  opts: RunOptions,
  config: OrchestratorConfig,
  agents: readonly string[],
  workflow: Workflow | undefined,
): PlannedAgent[] {
  return agents.map((agent) => {
    const runner = agentRunnerName(config, agent, opts.runner, workflow);
    const named = Object.hasOwn(config.models.agents, agent) || opts.overrides?.models?.agents?.[agent] !== undefined;
    // A CLI agent uses its own default model unless the config names one for the role.
    const model = isCliRunner(runner) && !named ? undefined : modelFor(config, agent);
    // The review without a model of its own runs on a stronger Claude model than the default (modelFor).
    const key =
      !named && model !== undefined && model !== config.models.default
        ? `the review's default, stronger than models.default`
        : modelKeyFor(config, agent, opts.overrides?.models);
    return { agent, runner, ...(model ? { model, modelKey: key } : {}) };
  });
}

/**
 * What would stop the run before its first model call, one line each: a provider without its key
 * (a local http endpoint needs none), a model only VS Code or the demo has, an unknown provider,
 * a CLI agent that is not installed.
 */
export async function blockers(
  opts: RunOptions,
  config: OrchestratorConfig,
  agents: readonly PlannedAgent[],
): Promise<string[]> {
  const found: string[] = [];
  const registry = providerRegistry(opts.providers);
  // VS Code contributes its models' provider; the CLI has none.
  const inEditor = registry.has('vscode-lm');
  const byProvider = new Map<string, PlannedAgent[]>();
  for (const agent of agents) {
    if (!agent.model || isCliRunner(agent.runner) || agent.runner === 'external') continue;
    const { provider } = parseModelId(agent.model);
    byProvider.set(provider, [...(byProvider.get(provider) ?? []), agent]);
  }
  const who = (uses: readonly PlannedAgent[]) =>
    `the ${uses.map((u) => u.agent).join(', ')} agent${uses.length > 1 ? 's' : ''}`;
  for (const [provider, uses] of byProvider) {
    if (provider === ANTHROPIC && !(await opts.host.getApiKey()))
      found.push(`No Anthropic API key (ANTHROPIC_API_KEY) for ${who(uses)} on ${uses[0]!.model}.`);
    else if (provider === OPENAI) {
      const baseURL = config.providers.openai.baseURL;
      const key = (await opts.host.getProviderKey?.(OPENAI))?.trim();
      if (!key && (!baseURL || baseURL.startsWith('https:')))
        found.push(
          `No key for the OpenAI-compatible endpoint ${baseURL ?? 'https://api.openai.com/v1'} (OPENAI_API_KEY) for ${who(uses)}.`,
        );
    } else if (provider === 'vscode-lm' && !inEditor)
      found.push(`${uses[0]!.model} (${who(uses)}) is one of VS Code's models: a run here needs VS Code.`);
    else if (provider === 'demo' && !isDemoShop(opts.workspace, config))
      found.push(
        `${uses[0]!.model} (${who(uses)}) is the demo's scripted model: it only knows the bundled sample shop.`,
      );
    else if (provider !== 'vscode-lm' && !registry.has(provider))
      found.push(`Unknown model provider "${provider}:" in ${uses[0]!.model} (${who(uses)}).`);
  }
  try {
    checkRunnerCommands(
      config,
      agents.filter((a): a is PlannedAgent & { runner: RunnerName } => isCliRunner(a.runner)),
      opts.workspace,
    );
  } catch (error) {
    found.push((error as Error).message.replace(/ No model call was made\.$/, ''));
  }
  return found;
}
