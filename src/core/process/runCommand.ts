import { spawn } from 'node:child_process';
import { PROVIDER_KEY_ENV } from '../text/providerKeys';
import { launchSandboxed, type SandboxDenial, type SandboxLaunch } from '../sandbox';
import { lowerSession, lowerStarted, niced } from './background';
import { helperWanted, streamThroughHelper } from './spawner';
import type { CommandSandbox } from './commandSandbox';

export interface CommandResult {
  command: string;
  exitCode: number | null;
  output: string;
  timedOut: boolean;
  cancelled: boolean;
  ms: number;
  /** What the sandbox refused it (issue 36), when it ran in one. */
  denials?: SandboxDenial[];
}

/**
 * Runs one of the workspace's own commands (validate, sync) through the shell, in the
 * workspace, bounded by a timeout and the run's abort signal, with the minimal environment
 * (commandEnvironment). The whole process group is killed on timeout so a hung build cannot
 * outlive the run. The output's head and tail are kept: the failing line is usually last.
 * With `sandbox` it runs confined (src/core/sandbox): what the sandbox refused is appended to
 * the output (the agent reading a failure sees it) and returned as `denials`.
 */
export async function runCommand(
  command: string,
  options: {
    cwd: string;
    timeoutSec: number;
    signal?: AbortSignal;
    commandEnv?: readonly string[];
    /** Set by the orchestrator itself (init's cache folders), never taken from the user's shell. */
    env?: Record<string, string>;
    /** The sandbox it runs in (commandSandbox.ts); absent: bare, as the orchestrator's own commands. */
    sandbox?: CommandSandbox;
    /** Below the others' priority (background.ts): work nobody waits on but its own run. */
    background?: boolean;
  },
): Promise<CommandResult> {
  const started = Date.now();
  const env = { ...commandEnvironment(options.commandEnv ?? []), ...options.env } as Record<string, string>;
  const line = options.background ? lowerSession(command) : command;
  let launch: SandboxLaunch | undefined;
  if (options.sandbox) {
    try {
      launch = await launchSandboxed('/bin/sh', ['-c', line], env, { ...options.sandbox, cwd: options.cwd });
    } catch (error) {
      return {
        command,
        exitCode: null,
        output: `[orchestrator] could not start in the sandbox: ${(error as Error).message}`,
        timedOut: false,
        cancelled: false,
        ms: Date.now() - started,
      };
    }
  }
  return new Promise((resolve) => {
    const output = new HeadTailBuffer();
    let timedOut = false;
    let cancelled = false;
    let finished = false;
    const finish = async (exitCode: number | null, extra = '') => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      let text = output.text() + extra;
      const denials = launch ? await launch.close(text) : undefined;
      for (const denial of denials ?? [])
        text += `\n[orchestrator] the sandbox refused ${denial.kind === 'net' ? 'a connection to' : `a ${denial.kind} of`} ${denial.target}`;
      if (timedOut) text += `\n[orchestrator] command timed out after ${options.timeoutSec}s`;
      resolve({
        command,
        exitCode: timedOut || cancelled ? null : exitCode,
        output: text,
        timedOut,
        cancelled,
        ms: Date.now() - started,
        ...(denials?.length ? { denials } : {}),
      });
    };
    const bare = launch
      ? { command: launch.command, args: launch.args, shell: false }
      : { command: line, args: [], shell: true };
    const program: Program = options.background
      ? { ...niced(bare), env: launch?.env ?? env, background: true }
      : { ...bare, env: launch?.env ?? env };
    const kill = start(program, options.cwd, {
      data: (chunk) => output.push(chunk),
      exit: (code) => void finish(code),
      error: (message) => void finish(null, `\n[orchestrator] ${message}`),
    });
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, options.timeoutSec * 1000);
    const onAbort = () => {
      cancelled = true;
      kill();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

interface Program {
  command: string;
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  /** `command` is a shell command line. */
  shell: boolean;
  /** Below the others' priority (background.ts). */
  background?: boolean;
}

interface Watch {
  data(chunk: Buffer): void;
  exit(code: number | null): void;
  error(message: string): void;
}

/**
 * Starts the program detached in a process group of its own (not on Windows), from the spawning
 * helper when this process is large (a fork of it is slow: src/core/process/spawner.ts), here
 * otherwise. Returns what kills the whole group, at once or as soon as its pid is known.
 */
function start(program: Program, cwd: string, watch: Watch): () => void {
  const detached = process.platform !== 'win32';
  const killGroup = (pid: number) => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  if (detached && helperWanted()) {
    let pid: number | undefined;
    let ended = false;
    let killWanted = false;
    streamThroughHelper(
      program.command,
      program.args,
      { cwd, env: program.env, detached, shell: program.shell },
      {
        spawned: (started) => {
          pid = started;
          if (killWanted) killGroup(started);
        },
        data: watch.data,
      },
    ).then(
      ({ code }) => {
        ended = true;
        watch.exit(code);
      },
      (error: Error) => {
        // The helper died with the command going: nothing it started is left running.
        if (pid !== undefined) killGroup(pid);
        ended = true;
        watch.error(pid === undefined ? `could not start: ${error.message}` : error.message);
      },
    );
    return () => {
      killWanted = true;
      if (pid !== undefined && !ended) killGroup(pid);
    };
  }
  const spawnOptions = {
    cwd,
    detached,
    stdio: ['ignore', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe'],
    env: program.env,
  };
  const child = program.shell
    ? spawn(program.command, { ...spawnOptions, shell: true })
    : spawn(program.command, program.args, spawnOptions);
  if (program.background && child.pid !== undefined) lowerStarted(child.pid);
  child.stdout.on('data', watch.data);
  child.stderr.on('data', watch.data);
  child.on('error', (error) => watch.error(`could not start: ${error.message}`));
  child.on('close', (code) => watch.exit(code));
  return () => {
    if (child.pid !== undefined && detached) killGroup(child.pid);
    else child.kill('SIGKILL');
  };
}

/** What every command sees (docs/security.md): nothing else of the user's environment leaks in. */
export const BASE_COMMAND_ENV = ['PATH', 'HOME', 'LANG', 'TMPDIR'] as const;
/** What Windows programs cannot start without (cmd.exe, node, npm). */
const WINDOWS_COMMAND_ENV = [
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
/** Model keys never reach a workspace command, even when commandEnv names them. */
const NEVER_PASSED = new Set([...Object.values(PROVIDER_KEY_ENV), 'ANTHROPIC_AUTH_TOKEN']);

/**
 * The environment of validate/sync commands: PATH, HOME, LANG, TMPDIR and the variables the
 * config's `commandEnv` names, taken from this process; no tokens, cloud credentials or
 * npm_config_* of the user's shell. Nothing of ours is added: a project's own tests may assert on
 * what its CI gives them (NO_COLOR once failed a CLI library's colour tests on the base, so `init`
 * dropped its test gate and made proof advisory). Without a terminal most tools print no colour;
 * what they do print is stripped where output is read.
 */
export function commandEnvironment(
  commandEnv: readonly string[],
  from: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const names = [...BASE_COMMAND_ENV, ...(process.platform === 'win32' ? WINDOWS_COMMAND_ENV : []), ...commandEnv];
  const byUpper = new Map(Object.keys(from).map((key) => [key.toUpperCase(), key]));
  const env: NodeJS.ProcessEnv = {};
  for (const name of names) {
    if (NEVER_PASSED.has(name.toUpperCase())) continue;
    const key = process.platform === 'win32' ? byUpper.get(name.toUpperCase()) : name;
    const value = key === undefined ? undefined : from[key];
    if (value !== undefined) env[key!] = value;
  }
  return env;
}

/** Bytes kept at each end of a command's output; what lies between is dropped with a marker. */
const KEPT_BYTES = 512 * 1024;

/** The first and the last KEPT_BYTES of a stream, in bounded memory. */
class HeadTailBuffer {
  private head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  private dropped = 0;

  push(chunk: Buffer): void {
    if (this.headBytes < KEPT_BYTES) {
      const take = chunk.subarray(0, KEPT_BYTES - this.headBytes);
      this.head.push(take);
      this.headBytes += take.length;
      chunk = chunk.subarray(take.length);
      if (chunk.length === 0) return;
    }
    this.tail.push(chunk);
    this.tailBytes += chunk.length;
    while (this.tailBytes - (this.tail[0]?.length ?? 0) >= KEPT_BYTES) {
      const first = this.tail.shift()!;
      this.tailBytes -= first.length;
      this.dropped += first.length;
    }
  }

  text(): string {
    const head = Buffer.concat(this.head).toString('utf8');
    const tail = Buffer.concat(this.tail).toString('utf8');
    return this.dropped > 0
      ? `${head}\n[orchestrator] … ${this.dropped} bytes of output omitted …\n${tail}`
      : head + tail;
  }
}

const errorLine = /error|fail|exception|cannot|unexpected|not found|undefined|expected|✗|^\s*at\s/i;

/**
 * Trims a failing command's output to what helps the agent fix it: lines that look like
 * errors with a little context, then the tail, within a character budget.
 */
export function trimErrorOutput(output: string, maxChars = 4000): string {
  // eslint-disable-next-line no-control-regex -- ANSI colour and cursor codes are what it removes
  const clean = output.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').trimEnd();
  if (clean.length <= maxChars) return clean;
  const lines = clean.split('\n');
  const keep = new Set<number>();
  lines.forEach((line, i) => {
    if (errorLine.test(line)) for (let j = Math.max(0, i - 2); j <= Math.min(lines.length - 1, i + 3); j++) keep.add(j);
  });
  for (let i = Math.max(0, lines.length - 20); i < lines.length; i++) keep.add(i);
  const picked: string[] = [];
  let previous = -1;
  for (const i of [...keep].sort((a, b) => a - b)) {
    if (previous >= 0 && i > previous + 1) picked.push('…');
    picked.push(lines[i]!);
    previous = i;
  }
  let text = picked.join('\n');
  if (text.length > maxChars) text = `…\n${text.slice(text.length - maxChars)}`;
  return text;
}
