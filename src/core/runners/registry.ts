/**
 * The runners by name. The CLI runners live in the room's lazily loaded bundle (room.ts,
 * dist/runners.js), so their SDKs are loaded only by runs that choose one.
 */
import { ConfigurationError } from '../errors';
import { agentRunner } from './agentRunner';
import { runnersRoom } from './load';
import type { CliRunnerName } from './names';
import type { AgentRunner, RunnerName } from './types';

const CLI: Partial<Record<RunnerName, () => AgentRunner>> = {
  'claude-code': () => runnersRoom().claudeCodeRunner,
  codex: () => runnersRoom().codexRunner,
  copilot: () => runnersRoom().copilotRunner,
  gemini: () => runnersRoom().geminiRunner,
  opencode: () => runnersRoom().opencodeRunner,
};

export async function loadRunner(name: RunnerName): Promise<AgentRunner> {
  if (name === 'agent') return agentRunner;
  const load = CLI[name];
  if (!load)
    throw new ConfigurationError(
      `runner ${name} is not available in this version; choose agent, ${Object.keys(CLI).join(', ')} (docs/runners.md)`,
    );
  return load();
}

/** Whether this version has a runner for a CLI agent: one detected without it cannot run a layer yet (the no-key offer lists only those it has). */
export function hasCliRunner(name: CliRunnerName): boolean {
  return CLI[name] !== undefined;
}
