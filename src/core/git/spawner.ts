/**
 * git started from a small helper process when this one is large. Node starts a child by forking,
 * and the fork copies this process's page tables on the main thread: measured here, ~1.4 ms per
 * spawn at 50 MB resident, ~12 ms at 230 MB (`serve` with twenty runs), ~31 ms at 580 MB (an
 * editor's extension host). `serve` starting twenty runs from GitHub issues spent most of its main
 * thread on that (bench row 46). Past SPAWNER_RSS_BYTES, git runs are asked of one helper (a
 * plain Node child of ~40 MB, started once, kept while in use, never keeping this process alive
 * when idle); it spawns git as gitRunner would (same program, arguments, folder, environment,
 * stdin) and hands back the exit code and both outputs. A helper that cannot start, or dies, is
 * not retried: calls go back to spawning here (one in flight then fails with the helper's reason).
 */
import { spawn, type ChildProcess } from 'node:child_process';

/** Below this, a direct spawn costs a few ms: no helper. */
export const SPAWNER_RSS_BYTES = 150 * 1024 * 1024;

export interface SpawnedResult {
  code: number | null;
  stdout: Buffer;
  stderr: Buffer;
}

interface Request {
  id: number;
  command: string;
  args: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  input?: Uint8Array;
}

type Reply = { id: number; code: number | null; stdout: Uint8Array; stderr: Uint8Array } | { id: number; error: string; errno?: string };

// The helper's whole program, run with `node -e`: nothing to bundle or find on disk.
const HELPER = `
const { spawn } = require('node:child_process');
process.on('message', (r) => {
  let child;
  try {
    child = spawn(r.command, r.args, { cwd: r.cwd, env: r.env, stdio: [r.input ? 'pipe' : 'ignore', 'pipe', 'pipe'], windowsHide: true });
  } catch (e) {
    process.send({ id: r.id, error: String(e && e.message), errno: e && e.code });
    return;
  }
  const out = [], err = [];
  if (r.input) { child.stdin.on('error', () => {}); child.stdin.end(Buffer.from(r.input)); }
  child.stdout.on('data', (c) => out.push(c));
  child.stderr.on('data', (c) => err.push(c));
  let failed = false;
  child.on('error', (e) => { failed = true; process.send({ id: r.id, error: String(e && e.message), errno: e && e.code }); });
  child.on('close', (code) => { if (!failed) process.send({ id: r.id, code, stdout: Buffer.concat(out), stderr: Buffer.concat(err) }); });
});
process.on('disconnect', () => process.exit(0));
`;

let helper: ChildProcess | undefined;
/** Why the helper is not used any more (it could not start or it died): calls spawn here. */
let broken: string | undefined;
const waiting = new Map<number, { resolve(result: SpawnedResult): void; reject(error: Error): void }>();
let nextId = 1;

let sized = { at: 0, large: false };

/** Whether a spawn should go through the helper now (the size looked at once a second at most: it costs a read of /proc). */
export function helperWanted(): boolean {
  if (broken !== undefined) return false;
  const now = Date.now();
  if (now - sized.at >= 1000) sized = { at: now, large: process.memoryUsage.rss() > SPAWNER_RSS_BYTES };
  return sized.large;
}

/** Calls handed to the helper by this process so far (tests and the bench read it). */
export const helperCalls = { count: 0 };

/** Runs `command` through the helper; rejects as spawn's 'error' would (an Error with its `code`). */
export function spawnThroughHelper(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, input?: Buffer): Promise<SpawnedResult> {
  const child = started();
  const id = nextId++;
  helperCalls.count++;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    // Held only while something waits on it: an idle helper never keeps this process alive.
    if (waiting.size === 1) child.channel?.ref();
    const request: Request = { id, command, args, cwd, env, ...(input ? { input } : {}) };
    child.send(request, (error) => {
      if (error) settle(id, (w) => w.reject(error));
    });
  });
}

function started(): ChildProcess {
  if (helper) return helper;
  // In an editor's extension host the program is Electron's: ELECTRON_RUN_AS_NODE makes it Node.
  const child = spawn(process.execPath, ['-e', HELPER], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'ignore', 'ipc'], env: { ELECTRON_RUN_AS_NODE: '1' }, windowsHide: true });
  child.unref();
  child.channel?.unref();
  child.on('message', (reply: Reply) => {
    settle(reply.id, (w) => {
      if ('error' in reply) w.reject(Object.assign(new Error(reply.error), reply.errno ? { code: reply.errno } : {}));
      else w.resolve({ code: reply.code, stdout: Buffer.from(reply.stdout), stderr: Buffer.from(reply.stderr) });
    });
  });
  const lost = (why: string) => {
    if (helper !== child) return;
    helper = undefined;
    broken = why;
    for (const id of [...waiting.keys()]) settle(id, (w) => w.reject(new Error(`git's helper process ${why}`)));
  };
  child.on('error', (error) => lost(`could not run: ${error.message}`));
  child.on('exit', (code, signal) => lost(`exited (${signal ?? code})`));
  helper = child;
  return child;
}

function settle(id: number, how: (w: { resolve(result: SpawnedResult): void; reject(error: Error): void }) => void): void {
  const w = waiting.get(id);
  if (!w) return;
  waiting.delete(id);
  if (waiting.size === 0) helper?.channel?.unref();
  how(w);
}
