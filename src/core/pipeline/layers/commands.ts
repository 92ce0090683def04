import { spawn } from 'node:child_process';

export interface CommandResult {
  command: string;
  exitCode: number | null;
  output: string;
  timedOut: boolean;
  cancelled: boolean;
  ms: number;
}

/** Output kept per command: enough for any build error, bounded for memory. */
const maxCapturedBytes = 1024 * 1024;

/**
 * Runs one of the workspace's own commands (validate, sync) through the shell, in the
 * workspace, bounded by a timeout and the run's abort signal. The whole process group is
 * killed on timeout so a hung build cannot outlive the run.
 */
export function runCommand(
  command: string,
  options: { cwd: string; timeoutSec: number; signal?: AbortSignal; env?: NodeJS.ProcessEnv },
): Promise<CommandResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, {
      cwd: options.cwd,
      shell: true,
      detached: process.platform !== 'win32',
      env: { ...scrubbedEnv(process.env), ...options.env, FORCE_COLOR: '0', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    let captured = 0;
    const collect = (chunk: Buffer) => {
      if (captured >= maxCapturedBytes) return;
      chunks.push(chunk);
      captured += chunk.length;
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);

    let timedOut = false;
    let cancelled = false;
    const kill = () => {
      try {
        if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, options.timeoutSec * 1000);
    const onAbort = () => {
      cancelled = true;
      kill();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const finish = (exitCode: number | null, extra = '') => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      let output = Buffer.concat(chunks).toString('utf8') + extra;
      if (timedOut) output += `\n[orchestrator] command timed out after ${options.timeoutSec}s`;
      resolve({ command, exitCode: timedOut || cancelled ? null : exitCode, output, timedOut, cancelled, ms: Date.now() - started });
    };
    child.on('error', (error) => finish(null, `\n[orchestrator] could not start: ${error.message}`));
    child.on('close', (code) => finish(code));
  });
}

/** The workspace's commands never see the model key. */
function scrubbedEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  delete copy.ANTHROPIC_API_KEY;
  delete copy.ANTHROPIC_AUTH_TOKEN;
  return copy;
}

const errorLine = /error|fail|exception|cannot|unexpected|not found|undefined|expected|✗|^\s*at\s/i;

/**
 * Trims a failing command's output to what helps the agent fix it: lines that look like
 * errors with a little context, then the tail, within a character budget.
 */
export function trimErrorOutput(output: string, maxChars = 4000): string {
  // eslint-disable-next-line no-control-regex -- ANSI colour codes are what it removes
  const clean = output.replace(/\x1b\[[0-9;]*m/g, '').trimEnd();
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
