/**
 * The `agent` runner: our own tool loop (agents/loop/runAgent.ts), unchanged. The room only
 * stamps its events as the contract asks of every runner: `agent.started` / `agent.completed`
 * carry `runner`, and `agent.completed` the agent's turns, tokens and cost (counted from the
 * loop's own llm.usage events as they pass).
 */
import { runAgent } from '../agents';
import type { EngineEvent } from '../events';
import { addUsage, emptyUsage } from '../llm';
import type { AgentRunner } from './types';

export const agentRunner: AgentRunner = {
  name: 'agent',
  async run(def, env) {
    let turns = 0;
    let usage = emptyUsage();
    let costUsd = 0;
    const emit = (event: EngineEvent): void => {
      if (event.type === 'llm.usage' && event.agent === def.name) {
        turns++;
        usage = addUsage(usage, event.usage);
        costUsd += event.costUsd;
      }
      if (event.type === 'agent.started' && event.agent === def.name) return env.emit({ ...event, runner: 'agent' });
      if (event.type === 'agent.completed' && event.agent === def.name)
        return env.emit({ ...event, runner: 'agent', turns, usage, costUsd });
      env.emit(event);
    };
    const result = await runAgent(def, { ...env, emit });
    return { ...result, runner: 'agent' };
  },
};
