/**
 * The CLI agents (issue 27's runners) the user has installed: found by their usual program on
 * PATH, as a shell would find them. What the no-key offer lists as "Layers on <agent>".
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { CliRunnerName } from '../../shared/runnerNames';

export interface CliAgent {
  runner: CliRunnerName;
  name: string;
  program: string;
  /** Where it was found. */
  path: string;
}

/** The CLI runners the engine ships (src/core/runners/registry.ts); the others join as they land. */
const KNOWN: readonly { runner: CliRunnerName; name: string; program: string }[] = [
  { runner: 'claude-code', name: 'Claude Code', program: 'claude' },
  { runner: 'codex', name: 'Codex CLI', program: 'codex' },
  { runner: 'gemini', name: 'Gemini CLI', program: 'gemini' },
];

const runnable = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

export function cliAgentsOnPath(env: NodeJS.ProcessEnv = process.env, isRunnable: (path: string) => boolean = runnable, platform = process.platform): CliAgent[] {
  const dirs = (env.PATH ?? env.Path ?? '').split(delimiter).filter(Boolean);
  const suffixes = platform === 'win32' ? ['.cmd', '.exe', '.bat', ''] : [''];
  return KNOWN.flatMap((agent) => {
    for (const dir of dirs) {
      for (const suffix of suffixes) {
        const path = join(dir, agent.program + suffix);
        if (isRunnable(path)) return [{ ...agent, path }];
      }
    }
    return [];
  });
}
