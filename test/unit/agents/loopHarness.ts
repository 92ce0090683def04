// Runs runAgent against the real model client and the real local Messages API server.
import { runAgent } from '../../../src/core/agents/loop/runAgent';
import type { AgentDefinition, AgentEnvironment, AgentResult, TurnEffects } from '../../../src/core/agents/types';
import type { EngineEvent } from '../../../src/core/events';
import { createAnthropicClient } from '../../../src/core/llm/anthropic/client';
import { Budget } from '../../../src/core/llm/budget';
import { createPricing } from '../../../src/core/llm/pricing';
import { routingClient } from '../../../src/core/llm/router';
import type { ModelClient } from '../../../src/core/llm/types';
import { startMessagesApiServer, type MessagesApiServer, type Script, type ServerOptions } from '../../support/messagesApiServer';
import { makeSandbox, type Sandbox } from './agentTestKit';

export const MODEL = 'claude-haiku-4-5';

export function agentDef(overrides: Partial<AgentDefinition> = {}): AgentDefinition {
  return {
    name: 'backend',
    mode: 'implement',
    attempt: 1,
    model: MODEL,
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
  api: MessagesApiServer;
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
  server?: ServerOptions;
  /** The context window the client reports, when the test needs another than the provider's. */
  clientWindow?: number;
}

export async function startLoop(script: Script, options: LoopOptions = {}): Promise<LoopRun> {
  const box = await makeSandbox(options.files ?? {});
  const api = await startMessagesApiServer(script, options.server);
  // No retries: each scripted reply answers exactly one model call. Priced as in a run.
  const routed = routingClient(new Map([['anthropic', createAnthropicClient({ apiKey: 'test-key', baseURL: api.url })]]), createPricing());
  const window = options.clientWindow;
  const client: ModelClient = window === undefined ? routed : { send: (request) => routed.send(request), contextWindow: () => window };
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
    eventsOf: <T extends EngineEvent['type']>(type: T) => events.filter((e): e is Extract<EngineEvent, { type: T }> => e.type === type),
    async close() {
      await api.close();
      await box.cleanup();
    },
  };
}
