/**
 * Which CLI agents this machine has (docs/runners.md): for each, the command (as
 * configured in `agentCli.<r>.command`, else its usual name), where it is on PATH, its version
 * (its npm package's package.json, else `<command> --version`, time-boxed, minimal environment)
 * against the oldest the runner
 * supports, and whether it is signed in: one of its documented variables set, or its credential
 * file present. Nothing is read from a credential file and no value of a variable is kept: a
 * status carries names only. Used by `orchestrator runners` and the VS Code sidebar.
 */
import { execFile } from 'node:child_process';
import { access, constants, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { homedir } from 'node:os';
import { commandEnvironment } from '../../process';
import { CLI_RUNNERS, type CliRunnerName } from '../names';
import { CLI_FACTS } from './cliFacts';
import { npmPackageVersion } from './packageVersion';
import { compareVersions, versionIn } from './versions';

export { compareVersions, versionIn } from './versions';

export interface CliAgentStatus {
  runner: CliRunnerName;
  label: string;
  /** The command as configured (or the default name). */
  command: string;
  /** Where it was found; absent when not installed. */
  path?: string;
  installed: boolean;
  version?: string;
  minVersion?: string;
  tooOld: boolean;
  /** `unknown` where the CLI keeps its sign-in somewhere we cannot see (a keychain). */
  signedIn: boolean | 'unknown';
  /** How it is signed in: a variable's or a file's name, never a value. */
  signedInBy?: string;
  /** What to do, when something is missing; absent when it is ready. */
  hint?: string;
}

export interface DetectOptions {
  /** `agentCli.<r>.command` from the config. */
  commands?: Partial<Record<CliRunnerName, string>>;
  /** Where a relative configured command is resolved (the workspace). */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  home?: string;
  /**
   * false in a workspace that is not trusted: a command configured by the workspace is not
   * started to ask its version (nothing from the workspace runs in Restricted Mode).
   */
  runConfiguredCommands?: boolean;
  timeoutMs?: number;
}

const isExecutable = async (file: string): Promise<boolean> => {
  try {
    if (!(await stat(file)).isFile()) return false;
    if (process.platform === 'win32') return true;
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The file a command name starts: itself when it has a path, else the first match on PATH. */
export async function findCommand(command: string, env: NodeJS.ProcessEnv, cwd: string): Promise<string | undefined> {
  const windows = process.platform === 'win32';
  const extensions = windows ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').map((e) => e.toLowerCase())] : [''];
  if (command.includes('/') || (windows && command.includes('\\'))) {
    const full = isAbsolute(command) ? command : resolve(cwd, command);
    for (const ext of extensions) if (await isExecutable(full + ext)) return full + ext;
    return undefined;
  }
  for (const dir of (env.PATH ?? env.Path ?? '').split(delimiter).filter(Boolean)) {
    for (const ext of extensions) {
      const candidate = join(dir, command + ext);
      if (await isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

function versionOf(file: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string | undefined> {
  return new Promise((done) => {
    execFile(
      file,
      ['--version'],
      { env: commandEnvironment([], env), timeout: timeoutMs, windowsHide: true, maxBuffer: 64 * 1024 },
      (_error, stdout, stderr) => {
        done(versionIn(`${String(stdout)}\n${String(stderr)}`));
      },
    );
  });
}

const exists = async (file: string): Promise<boolean> => {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
};

/** `$VAR/rest|~/fallback` → the first spelling whose variable is set (or the `~` one). */
function credentialPath(spec: string, env: NodeJS.ProcessEnv, home: string): string {
  for (const option of spec.split('|')) {
    const variable = /^\$([A-Z_]+)\/(.*)$/.exec(option);
    if (variable) {
      const base = env[variable[1]!];
      if (base) return join(base, variable[2]!);
      continue;
    }
    return option.startsWith('~/') ? join(home, option.slice(2)) : option;
  }
  return spec;
}

async function signInOf(
  runner: CliRunnerName,
  env: NodeJS.ProcessEnv,
  home: string,
): Promise<Pick<CliAgentStatus, 'signedIn' | 'signedInBy'>> {
  const facts = CLI_FACTS[runner];
  const variable = facts.signInVariables.find((name) => (env[name] ?? '') !== '');
  if (variable) return { signedIn: true, signedInBy: variable };
  for (const spec of facts.credentialFiles) {
    const file = credentialPath(spec, env, home);
    if (await exists(file)) return { signedIn: true, signedInBy: spec.split('|').at(-1)! };
  }
  // Claude Code on macOS keeps its sign-in in the keychain, which we do not open.
  if (runner === 'claude-code' && process.platform === 'darwin') return { signedIn: 'unknown' };
  return { signedIn: false };
}

export async function detectCliAgent(runner: CliRunnerName, options: DetectOptions = {}): Promise<CliAgentStatus> {
  const env = options.env ?? process.env;
  const home = options.home ?? env.HOME ?? homedir();
  const facts = CLI_FACTS[runner];
  const configured = options.commands?.[runner];
  const command = configured ?? facts.command;
  const path = await findCommand(command, env, options.cwd ?? process.cwd());
  const signIn = await signInOf(runner, env, home);
  const base = {
    runner,
    label: facts.label,
    command,
    ...(facts.minVersion ? { minVersion: facts.minVersion } : {}),
    ...signIn,
  };
  if (!path) {
    const hint = configured
      ? `agentCli.${runner}.command "${configured}" was not found`
      : `install it: npm install --global ${facts.npmPackage}`;
    return { ...base, installed: false, tooOld: false, hint };
  }
  const mayRun = configured === undefined || options.runConfiguredCommands !== false;
  const version =
    (await npmPackageVersion(path, facts.npmPackage)) ??
    (mayRun ? await versionOf(path, env, options.timeoutMs ?? 10_000) : undefined);
  const tooOld =
    version !== undefined && facts.minVersion !== undefined && compareVersions(version, facts.minVersion) < 0;
  const hint = tooOld
    ? `${facts.label} ${version} is older than ${facts.minVersion}: npm install --global ${facts.npmPackage}@latest`
    : signIn.signedIn === false
      ? facts.signInHint
      : undefined;
  return { ...base, path, installed: true, ...(version ? { version } : {}), tooOld, ...(hint ? { hint } : {}) };
}

/** Every CLI agent's status, checked in parallel. */
export function detectCliAgents(options: DetectOptions = {}): Promise<CliAgentStatus[]> {
  return Promise.all(CLI_RUNNERS.map((runner) => detectCliAgent(runner, options)));
}
