/**
 * The runners by name. The CLI runners live in the room's lazily loaded bundle (room.ts,
 * dist/runners.js), so their SDKs are loaded only by runs that choose one.
 */
import { ConfigurationError } from '../errors';
import { agentRunner } from './agentRunner';
import type { AgentRunner, RunnerName } from './types';

export async function loadRunner(name: RunnerName): Promise<AgentRunner> {
  if (name === 'agent') return agentRunner;
  throw new ConfigurationError(`runner ${name} is not available in this version; choose agent (docs/runners.md)`);
}
