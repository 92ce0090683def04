/**
 * What readying the sandbox on a runner does to the machine (runnerSandbox.ts decides when): reads
 * the AppArmor switch, finds out whether the job may act as root (it is root, or `sudo -n` works),
 * loads a profile that lets bubblewrap alone make user namespaces, or sets the switch for the job.
 * Every program is the machine's own, found on the job's PATH and the system folders, run without
 * a shell; tests put scripts of their own first on PATH where the machine has no AppArmor.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { findOnPath } from '../../core/engineBundle';
import { visibleLine } from '../../core/text/terminalText';

/** The sysctl Ubuntu 23.10 and later set to 1: unprivileged user namespaces only for profiles that allow them. */
export const RESTRICT_SWITCH = 'kernel.apparmor_restrict_unprivileged_userns';

/** The machine as this room sees it; tests point it at files and scripts of their own. */
export interface RunnerSystem {
  /** The switch's file under /proc/sys. */
  switchFile: string;
  /** This process's user id (root needs no sudo). */
  uid: number | undefined;
  /** Where the profile is written before it is loaded: the job's temporary folder. */
  tempDir: string;
}

export function runnerSystem(env: NodeJS.ProcessEnv, given: Partial<RunnerSystem> = {}): RunnerSystem {
  return {
    switchFile: given.switchFile ?? `/proc/sys/${RESTRICT_SWITCH.replace(/[.]/g, '/')}`,
    uid: 'uid' in given ? given.uid : process.getuid?.(),
    tempDir: given.tempDir ?? env.RUNNER_TEMP ?? tmpdir(),
  };
}

/** The switch's value ('1': restricted), or undefined where the kernel has no such switch. */
export function restrictSwitch(system: RunnerSystem): string | undefined {
  try {
    return readFileSync(system.switchFile, 'utf8').trim();
  } catch {
    return undefined;
  }
}

type Outcome = { ok: true } | { ok: false; why: string };

/** Runs programs as root: directly when the job is root, else through `sudo -n` (never a password prompt). */
export class RootCommands {
  private constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly sudo: string | undefined,
  ) {}

  /** Whether this job may act as root, and how; `why` says what is missing when it may not. */
  static async open(env: NodeJS.ProcessEnv, system: RunnerSystem): Promise<{ root: RootCommands } | { why: string }> {
    if (system.uid === 0) return { root: new RootCommands(env, undefined) };
    const sudo = findProgram('sudo', env);
    if (!sudo) return { why: 'the job is not root and has no sudo' };
    const tried = await run(sudo, ['-n', 'true'], env);
    return tried.ok
      ? { root: new RootCommands(env, sudo) }
      : { why: `the job is not root and sudo asks for a password (${tried.why})` };
  }

  /** How a command is shown in the log: `sudo -n sysctl …` as the job ran it. */
  shown(program: string, args: readonly string[]): string {
    return [...(this.sudo ? ['sudo', '-n'] : []), program, ...args].join(' ');
  }

  async run(program: string, args: readonly string[]): Promise<Outcome> {
    const file = findProgram(program, this.env);
    if (!file) return { ok: false, why: `${program} is not installed` };
    return this.sudo ? run(this.sudo, ['-n', file, ...args], this.env) : run(file, args, this.env);
  }
}

/**
 * The profile Ubuntu's own for programs that need user namespaces look like (/etc/apparmor.d on
 * 24.04): attached to bubblewrap's binary alone, unconfined otherwise, `userns` allowed. The
 * sandbox itself passes --disable-userns, so nothing inside it makes another namespace.
 */
export function bwrapProfile(bwrap: string): string {
  return [
    'abi <abi/4.0>,',
    'include <tunables/global>',
    '',
    `profile orchestrator-bwrap ${JSON.stringify(bwrap)} flags=(unconfined) {`,
    '  userns,',
    '}',
    '',
  ].join('\n');
}

/** Loads the profile for bubblewrap's real path with `apparmor_parser -r`, from a file removed after. */
export async function loadBwrapProfile(
  root: RootCommands,
  system: RunnerSystem,
  bwrap: string,
): Promise<Outcome & { shown: string }> {
  const folder = await mkdtemp(join(system.tempDir, 'orchestrator-apparmor-'));
  const file = join(folder, 'orchestrator-bwrap');
  try {
    await writeFile(file, bwrapProfile(realpathSync(bwrap)));
    return { ...(await root.run('apparmor_parser', ['-r', file])), shown: root.shown('apparmor_parser', ['-r', file]) };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** Sets the switch to 0 until the machine restarts (a GitHub-hosted runner's ends with the job). */
export async function liftSwitch(root: RootCommands): Promise<Outcome & { shown: string }> {
  const args = ['-w', `${RESTRICT_SWITCH}=0`];
  return { ...(await root.run('sysctl', args)), shown: root.shown('sysctl', args) };
}

/** The job's PATH, then the system folders where sudo, sysctl and apparmor_parser live. */
function findProgram(name: string, env: NodeJS.ProcessEnv): string | undefined {
  return findOnPath(name, [env.PATH ?? '', '/usr/sbin', '/sbin', '/usr/bin', '/bin'].join(delimiter));
}

function run(file: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(file, args, { env, timeout: 60_000 }, (error, _stdout, stderr) => {
      if (!error) return resolve({ ok: true });
      const line = String(stderr).trim().split('\n').find(Boolean) ?? error.message.split('\n')[0] ?? 'it failed';
      resolve({ ok: false, why: visibleLine(line).slice(0, 300) });
    });
  });
}
