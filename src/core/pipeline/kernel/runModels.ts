/**
 * The models of one run: which model each agent uses (`modelFor`), every provider they need
 * opened and checked before any model call, and the client each agent sends with. A problem
 * stops the run here with a ConfigurationError naming the agents and the config key that
 * chose the model, e.g. `models.agents.review`.
 */
import type { RunOptions } from '../../api';
import type { EventSink } from '../../events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  ANTHROPIC,
  builtInPrices,
  DEMO_FILES,
  DEMO_PROVIDER,
  createPricing,
  type ModelClient,
  type ModelProvider,
  type ModelRef,
  parseModelId,
  type Pricing,
  ProviderError,
  providerRegistry,
  routingClient,
} from '../../llm';
import { modelFor, modelKeyFor, type OrchestratorConfig, untrustedSettingsError } from '../../project/config';
import { ConfigurationError } from '../../errors';
import { WAYS_IN } from '../../text/providerKeys';

export interface RunModels {
  pricing: Pricing;
  /** Said at run start: models without a price, whose calls the budget counts as requests. */
  warnings: string[];
  /** Every credential the providers read: the journal redacts them. */
  secrets: string[];
  /** The client `agent` sends with. `emit` journals what happens to its calls. */
  clientFor(agent: string, emit: EventSink): ModelClient;
}

interface AgentModel {
  agent: string;
  ref: ModelRef;
  key: string;
}

/** "the spec, review agents (models.default, models.agents.review)". */
function whoUses(uses: readonly AgentModel[]): string {
  const agents = [...new Set(uses.map((u) => u.agent))];
  const keys = [...new Set(uses.map((u) => u.key))];
  return `the ${agents.join(', ')} agent${agents.length > 1 ? 's' : ''} (${keys.join(', ')})`;
}

function unknownProvider(
  uses: readonly AgentModel[],
  registry: ReadonlyMap<string, ModelProvider>,
): ConfigurationError {
  const first = uses[0] as AgentModel;
  const known = [...registry.values()]
    .filter((p) => p.listed !== false)
    .map((p) => `${p.id}:`)
    .join(', ');
  const editorOnly =
    first.ref.provider === 'vscode-lm'
      ? " The editor's language models (vscode-lm:) are available inside VS Code only."
      : '';
  return new ConfigurationError(
    `Unknown model provider "${first.ref.provider}:" in "${first.ref.id}", the model of ${whoUses(uses)}. ` +
      `Use a Claude model id, or one of ${known}.${editorOnly} No model call was made.`,
  );
}

/** Plain ids of other vendors' models: a plain id goes to the Anthropic API, where they do not exist. */
const OTHER_VENDOR =
  /^(?:gpt-|chatgpt-|o[1-9](?:-|$)|text-|gemini|llama|mistral|mixtral|codestral|qwen|deepseek|grok|phi-)/i;

/** `models.default: gpt-4o` → did you mean `openai:gpt-4o`? (before any price or key is asked for). */
function notClaude(use: AgentModel, all: readonly AgentModel[]): ConfigurationError {
  const same = all.filter((u) => u.ref.id === use.ref.id);
  return new ConfigurationError(
    `${use.key}: "${use.ref.id}" is not a Claude model, and a plain model id goes to the Anthropic API — the model of ${whoUses(same)}. ` +
      `Did you mean \`openai:${use.ref.model}\`? (any OpenAI-compatible endpoint: OPENAI_API_KEY, and providers.openai.baseURL for another server than OpenAI's). No model call was made.`,
  );
}

/** The bundled sample shop (its layers, its reference module): the one place `demo:scripted` can work. */
export function isDemoShop(workspace: string, config: OrchestratorConfig): boolean {
  return (
    Object.keys(DEMO_FILES).every((layer) => Object.hasOwn(config.layers, layer)) &&
    existsSync(join(workspace, DEMO_SHOP_FILE))
  );
}

/** The file of the bundled sample shop the demo's scripted model builds on (its reference module). */
const DEMO_SHOP_FILE = 'server/entities/customer.js';

/**
 * `demo:scripted` outside the demo's workspace (issue 71): the scripted model only knows the bundled
 * sample shop, so anywhere else its answers would fail as an agent's loop. Said before any call.
 */
function demoElsewhere(
  workspace: string,
  config: OrchestratorConfig,
  uses: readonly AgentModel[],
): ConfigurationError | undefined {
  if (isDemoShop(workspace, config)) return undefined;
  return new ConfigurationError(
    [
      `${uses[0]!.ref.id} is the demo's scripted model: it only knows the bundled sample shop (\`orchestrator demo\`, VS Code's Try the Demo), not this repository — the model of ${whoUses(uses)}. Choose a model that can work here; \`orchestrator feature --dry-run "<request>"\` shows what a run would do without one. No model call was made.`,
      ...WAYS_IN,
    ].join('\n'),
  );
}

/** One line per model without a price: its calls count as requests, capped by limits.maxRequests when set. */
function unpricedWarnings(uses: readonly AgentModel[], pricing: Pricing, config: OrchestratorConfig): string[] {
  const unpriced = new Map<string, AgentModel[]>();
  for (const use of uses)
    if (!pricing.priceFor(use.ref.id)) unpriced.set(use.ref.id, [...(unpriced.get(use.ref.id) ?? []), use]);
  const cap = config.limits.maxRequests;
  return [...unpriced].map(
    ([id, models]) =>
      `${id} has no price (add it under pricing: to count it in dollars): the budget counts its calls as requests — ${whoUses(models)}; ` +
      (cap === undefined ? 'set limits.maxRequests to cap them.' : `limits.maxRequests caps them at ${cap}.`),
  );
}

/** A model chosen elsewhere than the config's models (a workflow role's), and what chose it, for messages. */
export interface ChosenModel {
  agent: string;
  model: string;
  key: string;
}

/**
 * Opens every provider the agents use (in the order agents are listed) and checks them.
 * `agents`: every agent the run may start with the config's model; `chosen`: agents whose model
 * something else chose (a workflow role: its `model:`, or the config's for the role's agent).
 */
export async function openRunModels(
  opts: RunOptions,
  config: OrchestratorConfig,
  agents: readonly string[],
  chosen: readonly ChosenModel[] = [],
): Promise<RunModels> {
  // Every run, proposal and explanation opens its models here, before any call or CLI agent starts.
  const untrusted = untrustedSettingsError(config, opts.host.isTrusted());
  if (untrusted) throw new ConfigurationError(untrusted);
  const registry = providerRegistry(opts.providers);
  const pricing = createPricing(config.pricing, builtInPrices(registry));
  const byProvider = new Map<string, AgentModel[]>();
  const all = [
    ...agents.map((agent) => ({
      agent,
      model: modelFor(config, agent),
      key: modelKeyFor(config, agent, opts.overrides?.models),
    })),
    ...chosen,
  ];
  for (const { agent, model, key } of all) {
    const ref = parseModelId(model);
    const uses = byProvider.get(ref.provider) ?? [];
    uses.push({ agent, ref, key });
    byProvider.set(ref.provider, uses);
  }

  const misplaced = (byProvider.get(ANTHROPIC) ?? []).find((use) => OTHER_VENDOR.test(use.ref.model));
  if (misplaced) throw notClaude(misplaced, [...byProvider.values()].flat());
  const demo = byProvider.get(DEMO_PROVIDER);
  const elsewhere = demo && demoElsewhere(opts.workspace, config, demo);
  if (elsewhere) throw elsewhere;

  const clients = new Map<string, ModelClient>();
  const secrets: string[] = [];
  for (const [id, uses] of byProvider) {
    const provider = registry.get(id);
    if (!provider) throw unknownProvider(uses, registry);
    const models = [...new Set(uses.map((u) => u.ref.model))];
    try {
      const opened = await provider.open(models, {
        host: opts.host,
        config,
        pricing,
        ...(opts.baseURL ? { baseURL: opts.baseURL } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      clients.set(id, opened.client);
      secrets.push(...opened.secrets.filter(Boolean));
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      const concerned = error.model === undefined ? uses : uses.filter((u) => u.ref.model === error.model);
      const problem = error.message.replace(/\.?\s*$/, '');
      throw new ConfigurationError(
        `${problem} — the model of ${whoUses(concerned.length > 0 ? concerned : uses)}. No model call was made.${error.noKey ? `\n${WAYS_IN.join('\n')}` : ''}`,
      );
    }
  }

  const router = routingClient(clients, pricing);
  return {
    pricing,
    warnings: unpricedWarnings([...byProvider.values()].flat(), pricing, config),
    secrets,
    clientFor: () => router,
  };
}
