/**
 * Finding a CLI agent's program before anything is spent: `agentCli.<r>.command` as a path,
 * or a name looked up on PATH. A run checks every CLI it will use at its start (checkRunnerCommands),
 * so a missing CLI is one clear line before the spec agent makes a single call.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { ConfigurationError } from '../../errors';
import type { OrchestratorConfig } from '../../project/config';
import { isCliRunner, type CliRunnerName, type RunnerName } from '../names';
import { CLI_DEFAULTS, cliSettings } from './cliDefaults';

/** The program's absolute path, or undefined when there is none (not found, not executable). */
export function resolveCommand(command: string, cwd: string, path = process.env.PATH ?? ''): string | undefined {
  const candidates =
    command.includes('/') || command.includes('\\')
      ? [isAbsolute(command) ? command : resolve(cwd, command)]
      : path
          .split(delimiter)
          .filter(Boolean)
          .flatMap((dir) => withExtensions(join(dir, command)));
  return candidates.find(isExecutable);
}

function withExtensions(file: string): string[] {
  if (process.platform !== 'win32') return [file];
  return [file, ...(process.env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').map((ext) => file + ext.toLowerCase())];
}

function isExecutable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** One line: which runner, what was looked for, what to do. */
export function missingCommandMessage(runner: CliRunnerName, command: string, who?: string): string {
  const where =
    command.includes('/') || command.includes('\\')
      ? `${command} does not exist or is not executable`
      : `\`${command}\` was not found on PATH`;
  return `${runner}: ${where}${who ? ` (the runner of ${who})` : ''} — install it (${CLI_DEFAULTS[runner].install}) or set agentCli.${runner}.command in .claude/orchestrator.yaml`;
}

/** An agent and the runner that does its work (`who`: how messages name it; default the agent). */
export interface AgentRunner {
  agent: string;
  runner: RunnerName;
  who?: string;
}

/** Throws a ConfigurationError when a CLI runner any of the agents will use has no program. */
export function checkRunnerCommands(config: OrchestratorConfig, agents: readonly AgentRunner[], cwd: string): void {
  const users = new Map<CliRunnerName, string[]>();
  for (const { agent, runner, who } of agents) {
    if (isCliRunner(runner)) users.set(runner, [...new Set([...(users.get(runner) ?? []), who ?? agent])]);
  }
  for (const [runner, who] of users) {
    const { command } = cliSettings(runner, config.agentCli[runner], config.limits.maxAgentTurns);
    if (!resolveCommand(command, cwd))
      throw new ConfigurationError(
        `${missingCommandMessage(runner, command, who.join(', '))}. No model call was made.`,
      );
  }
}
