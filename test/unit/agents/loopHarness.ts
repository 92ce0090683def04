// Runs runAgent against the real model client of the provider under test (ORCH_TEST_PROVIDER)
// and its local test server: the Messages-API one, or the Chat Completions one.
import { runAgent } from '../../../src/core/agents/loop/runAgent';
import type { AgentDefinition, AgentEnvironment, AgentResult, TurnEffects } from '../../../src/core/agents/types';
import type { EngineEvent } from '../../../src/core/events';
import { createAnthropicClient } from '../../../src/core/llm/anthropic/client';
import { BUILT_IN_PRICES } from '../../../src/core/llm/anthropic/prices';
import { Budget } from '../../../src/core/llm/budget';
import { createOpenAIClient } from '../../../src/core/llm/openai/client';
import { createPricing } from '../../../src/core/llm/pricing';
import { routingClient } from '../../../src/core/llm/router';
import type { ModelClient } from '../../../src/core/llm/types';
import type { Script } from '../../support/messagesApiServer';
import {
  startModelServer,
  TEST_KEYS,
  TEST_PROVIDER,
  type ModelServer,
  type ModelServerOptions,
} from '../../support/modelServer';
import { makeSandbox, type Sandbox } from '../../support/agents/agentTestKit';

/** The model as the test server sees it… */
export const MODEL = 'claude-haiku-4-5';
/** …and as the agent names it: under the OpenAI-compatible provider, the same model behind a gateway, priced alike. */
export const MODEL_ID = TEST_PROVIDER === 'openai' ? `openai:${MODEL}` : MODEL;

export function agentDef(overrides: Partial<AgentDefinition> = {}): AgentDefinition {
  return {
    name: 'backend',
    mode: 'implement',
    attempt: 1,
    model: MODEL_ID,
    maxTokens: 1024,
    system: 'You are the backend agent.',
    task: 'Implement the task.',
    owns: ['server/**'],
    finalTool: 'submit_result',
    maxTurns: 10,
    ...overrides,
  };
}

export interface LoopRun {
  box: Sandbox;
  api: ModelServer;
  events: EngineEvent[];
  env: AgentEnvironment;
  run(def?: AgentDefinition): Promise<AgentResult>;
  /** Events of one type, narrowed. */
  eventsOf<T extends EngineEvent['type']>(type: T): Extract<EngineEvent, { type: T }>[];
  close(): Promise<void>;
}

export interface LoopOptions {
  files?: Record<string, string>;
  budgetUsd?: number;
  signal?: AbortSignal;
  approveTurn?: (effects: TurnEffects) => Promise<boolean>;
  /** Called for every event as it is emitted (to act mid-loop, e.g. abort). */
  onEvent?: (event: EngineEvent) => void;
  /** The test server's options (e.g. the context window it enforces). */
  server?: ModelServerOptions;
  /** The context window the client reports, when the test needs another than the provider's. */
  clientWindow?: number;
}

/** The client a run would give the agent: the provider's, behind the router that prices replies. */
function clientFor(api: ModelServer): ModelClient {
  if (api.provider === 'anthropic')
    return routingClient(
      new Map([['anthropic', createAnthropicClient({ apiKey: TEST_KEYS.anthropic, baseURL: api.url })]]),
      createPricing(),
    );
  const { input, output } = BUILT_IN_PRICES[MODEL]!;
  return routingClient(
    new Map([['openai', createOpenAIClient({ apiKey: TEST_KEYS.openai, baseURL: api.url })]]),
    createPricing({ [MODEL_ID]: { input, output } }),
  );
}

export async function startLoop(script: Script, options: LoopOptions = {}): Promise<LoopRun> {
  const box = await makeSandbox(options.files ?? {});
  const api = await startModelServer(TEST_PROVIDER, script, options.server);
  // No retries: each scripted reply answers exactly one model call.
  const routed = clientFor(api);
  const window = options.clientWindow;
  const client: ModelClient =
    window === undefined ? routed : { send: (request) => routed.send(request), contextWindow: () => window };
  const events: EngineEvent[] = [];
  const env: AgentEnvironment = {
    workspace: box.ws,
    client,
    budget: new Budget(options.budgetUsd ?? 100),
    emit: (event) => {
      events.push(event);
      options.onEvent?.(event);
    },
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.approveTurn ? { approveTurn: options.approveTurn } : {}),
  };
  return {
    box,
    api,
    events,
    env,
    run: (def = agentDef()) => runAgent(def, env),
    eventsOf: <T extends EngineEvent['type']>(type: T) =>
      events.filter((e): e is Extract<EngineEvent, { type: T }> => e.type === type),
    async close() {
      await api.close();
      await box.cleanup();
    },
  };
}
