/**
 * The Copilot CLI as the SDK's runtime, started by us: `copilot --headless --port 0` (the server
 * mode the SDK's own `RuntimeConnection.forTcp` starts) through the machinery's spawner, so it
 * runs detached in its own process group that a cancel, the budget or the time limit ends whole,
 * with every command it started. The SDK then connects with `RuntimeConnection.forUri`. The
 * loopback listener only accepts a client that presents the random connection token it was
 * started with (`COPILOT_CONNECTION_TOKEN`), so no other local process can drive the agent.
 */
import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import type { CliSpawn } from '../cliAgent/processGroup';

export interface CopilotServer {
  port: number;
  token: string;
  /** The last lines it wrote to stderr (for a one-line failure). */
  stderr(): string;
  /** Resolves when the process has exited (its code, or the signal that ended it). */
  exited: Promise<string>;
}

/** How long the server may take to listen (it unpacks itself on a first start). */
const START_TIMEOUT_MS = 60_000;

/** Its arguments: server mode, no self-update, quiet logs, no telemetry; the sign-in variables kept from its shell commands. */
export function serverArgs(secretVariables: readonly string[]): string[] {
  return [
    '--headless', '--port', '0', '--no-auto-update', '--log-level', 'error', '--disable-client-telemetry',
    ...(secretVariables.length > 0 ? [`--secret-env-vars=${secretVariables.join(',')}`] : []),
  ];
}

export function startCopilotServer(spawn: CliSpawn, command: string, options: { cwd: string; env: Record<string, string>; secretVariables: readonly string[]; signal: AbortSignal }): Promise<CopilotServer> {
  const token = randomUUID();
  let child: ChildProcess;
  try {
    child = spawn(command, serverArgs(options.secretVariables), { cwd: options.cwd, env: { ...options.env, COPILOT_CONNECTION_TOKEN: token } });
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
  const tail: string[] = [];
  child.stderr?.on('data', (data: Buffer) => {
    tail.push(...data.toString('utf8').split('\n').filter((line) => line.trim() !== ''));
    if (tail.length > 20) tail.splice(0, tail.length - 20);
  });
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? `exit code ${code ?? '?'}`)));
  return new Promise<CopilotServer>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`it did not start its server within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    const onAbort = () => fail(new Error('cancelled'));
    options.signal.addEventListener('abort', onAbort, { once: true });
    function done(): void {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
    }
    function fail(error: Error): void {
      done();
      reject(error);
    }
    child.once('error', (error) => fail(error));
    void exited.then((how) => fail(new Error(`it exited before it listened (${how})${tail.length ? `: ${tail.at(-1)}` : ''}`)));
    child.stdout?.on('data', (data: Buffer) => {
      out += data.toString('utf8');
      const port = /listening on port (\d+)/i.exec(out)?.[1];
      if (!port) return;
      done();
      child.stdout?.removeAllListeners('data');
      child.stdout?.resume();
      resolve({ port: Number(port), token, stderr: () => tail.join('\n'), exited });
    });
  });
}
