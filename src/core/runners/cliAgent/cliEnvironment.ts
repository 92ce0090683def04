/**
 * A CLI agent's environment: what every command gets (PATH, HOME, LANG, TMPDIR) plus the
 * variables its runner names (agentCli.<r>.env; default: the CLI's own sign-in variables), and
 * nothing else of the user's environment. The machinery replaces HOME and TMPDIR with the
 * agent's private ones (privateHome.ts), so the CLI keeps its sessions where `--resume` looks.
 */
import { BASE_COMMAND_ENV } from '../../process';

const WINDOWS_ENV = [
  'SystemRoot',
  'SystemDrive',
  'ComSpec',
  'PATHEXT',
  'windir',
  'TEMP',
  'TMP',
  'USERPROFILE',
  'APPDATA',
  'LOCALAPPDATA',
];

export function cliEnvironment(
  names: readonly string[],
  extra: Record<string, string>,
  from: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of [...BASE_COMMAND_ENV, ...(process.platform === 'win32' ? WINDOWS_ENV : []), ...names]) {
    const value = from[name];
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...extra, NO_COLOR: '1' };
}

/** The names of `env`'s variables whose values must never reach the journal or a screen. */
export function secretValues(env: Record<string, string>, names: readonly string[]): string[] {
  return names.map((name) => env[name]).filter((value): value is string => value !== undefined && value.length >= 8);
}
