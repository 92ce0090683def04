/**
 * git and the project's commands started from a small helper process when this one is large.
 * Node starts a child by forking, and the fork copies this process's page tables on the main
 * thread: measured here, ~1.4 ms per spawn at 50 MB resident, ~12 ms at 230 MB (`serve` with
 * twenty runs), ~31 ms at 580 MB (an editor's extension host). `serve` starting twenty runs from
 * GitHub issues spent most of its main thread on that (bench row 46). Past SPAWNER_RSS_BYTES,
 * spawns are asked of one helper (a plain Node child of ~40 MB, started once, kept while in use,
 * never keeping this process alive when idle). It spawns git as gitRunner would (same program,
 * arguments, folder, environment, stdin) and hands back the exit code and both outputs. A
 * project's command (runCommand.ts) is spawned there as it would be here (detached in its own
 * process group, the shell or the sandbox's launcher): its pid comes back first, so this process
 * kills the whole group itself on cancel or timeout, then its output as it comes and its exit. A
 * helper that cannot start, or dies, is not retried: calls go back to spawning here (those in
 * flight then fail with the helper's reason).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as z from 'zod/mini';

/**
 * Below this, a direct spawn costs ~2 ms: no helper. Past it, a spawn through the helper costs
 * this process ~0.3 ms and the helper ~1.2 ms, against 2.7 ms here at 110 MB and 4.2 ms at 200 MB.
 * `serve` runs at 150–210 MB in a burst of issues: at the old 150 MB it crossed the line back and
 * forth, and its spawns in a burst came from here or the helper by chance.
 */
export const SPAWNER_RSS_BYTES = 96 * 1024 * 1024;

export interface SpawnedResult {
  code: number | null;
  stdout: Buffer;
  stderr: Buffer;
}

/** How a streamed command ended, as a ChildProcess's 'close' says it. */
export interface StreamedExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface Request {
  id: number;
  command: string;
  args: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  input?: Uint8Array;
  /** A command's run: its pid, output chunks and exit come back as they happen. */
  stream?: true;
  detached?: boolean;
  shell?: boolean;
}

// What the helper sends back, checked before it is believed (one message protocol per boundary).
// Each kind is told by its own field, so a reply is checked against that kind's shape alone
// (a union tries them in turn: a fifth of serve's spawning cost in a burst of runs).
const replyKinds = {
  stdout: z.strictObject({
    id: z.number(),
    code: z.nullable(z.number()),
    stdout: z.instanceof(Uint8Array),
    stderr: z.instanceof(Uint8Array),
  }),
  error: z.strictObject({ id: z.number(), error: z.string(), errno: z.optional(z.string()) }),
  pid: z.strictObject({ id: z.number(), pid: z.number().check(z.int(), z.positive()) }),
  data: z.strictObject({ id: z.number(), data: z.instanceof(Uint8Array) }),
  exit: z.strictObject({ id: z.number(), exit: z.nullable(z.number()), signal: z.nullable(z.string()) }),
};
type Reply = z.infer<(typeof replyKinds)[keyof typeof replyKinds]>;

function parseReply(message: unknown): Reply | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const kind = (Object.keys(replyKinds) as (keyof typeof replyKinds)[]).find((key) => key in message);
  const parsed = kind === undefined ? undefined : replyKinds[kind].safeParse(message);
  return parsed?.success ? parsed.data : undefined;
}

// The helper's whole program, run with `node -e`: nothing to bundle or find on disk. A streamed
// command's output stops being read while many chunks wait to be sent: memory stays bounded.
// Its parent gone (an orderly stop disconnects it; kill -9 closes the channel), it kills what it
// started, a detached command's whole group, before it exits: nothing of the parent runs on.
const HELPER = `
const { spawn } = require('node:child_process');
const isText = (v) => typeof v === 'string';
const running = new Map();
const end = () => {
  for (const [child, detached] of running) {
    try { if (detached) process.kill(-child.pid, 'SIGKILL'); else child.kill('SIGKILL'); } catch {}
  }
  // Exits once each has died (its group was killed in the same call), 5 s at most.
  const exit = () => { if (running.size === 0) process.exit(0); };
  for (const child of running.keys()) child.once('exit', () => setImmediate(exit));
  setTimeout(() => process.exit(0), 5000).unref();
  exit();
};
process.on('disconnect', end);
process.on('message', (r) => {
  if (!r || typeof r.id !== 'number' || !isText(r.command) || !Array.isArray(r.args) || !r.args.every(isText) || !isText(r.cwd)) return;
  let child;
  try {
    child = spawn(r.command, r.args, { cwd: r.cwd, env: r.env, stdio: [r.input ? 'pipe' : 'ignore', 'pipe', 'pipe'], windowsHide: true, detached: r.detached === true, shell: r.shell === true });
  } catch (e) {
    process.send({ id: r.id, error: String(e && e.message), ...(e && e.code ? { errno: String(e.code) } : {}) });
    return;
  }
  if (child.pid !== undefined) running.set(child, r.detached === true);
  child.on('exit', () => running.delete(child));
  let failed = false;
  child.on('error', (e) => { failed = true; process.send({ id: r.id, error: String(e && e.message), ...(e && e.code ? { errno: String(e.code) } : {}) }); });
  if (r.stream === true) {
    if (child.pid !== undefined) process.send({ id: r.id, pid: child.pid });
    let unsent = 0;
    const forward = (chunk) => {
      if (++unsent === 64) { child.stdout.pause(); child.stderr.pause(); }
      process.send({ id: r.id, data: chunk }, () => { if (--unsent === 16) { child.stdout.resume(); child.stderr.resume(); } });
    };
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    child.on('close', (code, signal) => { if (!failed) process.send({ id: r.id, exit: code, signal }); });
    return;
  }
  const out = [], err = [];
  if (r.input) { child.stdin.on('error', () => {}); child.stdin.end(Buffer.from(r.input)); }
  child.stdout.on('data', (c) => out.push(c));
  child.stderr.on('data', (c) => err.push(c));
  child.on('close', (code) => { if (!failed) process.send({ id: r.id, code, stdout: Buffer.concat(out), stderr: Buffer.concat(err) }); });
});
`;

/** One call waiting on the helper: each of its replies handed over until `take` says it is the last. */
interface Waiting {
  take(reply: Reply): boolean;
  fail(error: Error): void;
}

let helper: ChildProcess | undefined;
const stopping = new WeakSet<ChildProcess>();
/** Why the helper is not used any more (it could not start or it died): calls spawn here. */
let broken: string | undefined;
const waiting = new Map<number, Waiting>();
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

const failure = (reply: { error: string; errno?: string }) =>
  Object.assign(new Error(reply.error), reply.errno ? { code: reply.errno } : {});
const bytes = (data: Uint8Array) => Buffer.from(data.buffer, data.byteOffset, data.byteLength);

/** Runs `command` through the helper; rejects as spawn's 'error' would (an Error with its `code`). */
export function spawnThroughHelper(
  command: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  input?: Buffer,
): Promise<SpawnedResult> {
  return new Promise((resolve, reject) => {
    ask(
      { id: 0, command, args, cwd, env, ...(input ? { input } : {}) },
      {
        take(reply) {
          if ('error' in reply) reject(failure(reply));
          else if ('stdout' in reply)
            resolve({ code: reply.code, stdout: bytes(reply.stdout), stderr: bytes(reply.stderr) });
          else return false;
          return true;
        },
        fail: reject,
      },
    );
  });
}

/**
 * Runs `command` through the helper as `spawn(command, args, { cwd, env, detached, shell })` with
 * stdin ignored would: `spawned` gets its pid (the group to kill when detached), `data` each chunk
 * of stdout and stderr as it comes; resolves with its exit, rejects as spawn's 'error' would or
 * when the helper dies (the command may then still run: kill its group).
 */
export function streamThroughHelper(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; detached?: boolean; shell?: boolean },
  on: { spawned(pid: number): void; data(chunk: Buffer): void },
): Promise<StreamedExit> {
  return new Promise((resolve, reject) => {
    const request: Request = {
      id: 0,
      command,
      args,
      cwd: options.cwd,
      env: options.env,
      stream: true,
      ...(options.detached ? { detached: true } : {}),
      ...(options.shell ? { shell: true } : {}),
    };
    ask(request, {
      take(reply) {
        if ('pid' in reply) on.spawned(reply.pid);
        else if ('data' in reply) on.data(bytes(reply.data));
        else if ('exit' in reply) resolve({ code: reply.exit, signal: reply.signal as NodeJS.Signals | null });
        else if ('error' in reply) reject(failure(reply));
        else return false;
        return 'exit' in reply || 'error' in reply;
      },
      fail: reject,
    });
  });
}

function ask(request: Request, call: Waiting): void {
  const child = started();
  const id = nextId++;
  helperCalls.count++;
  waiting.set(id, call);
  // Held only while something waits on it: an idle helper never keeps this process alive.
  if (waiting.size === 1) child.channel?.ref();
  child.send({ ...request, id }, (error) => {
    if (error) settle(id, (w) => w.fail(error));
  });
}

function started(): ChildProcess {
  if (helper) return helper;
  // In an editor's extension host the program is Electron's: ELECTRON_RUN_AS_NODE makes it Node.
  const child = spawn(process.execPath, ['-e', HELPER], {
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    env: { ELECTRON_RUN_AS_NODE: '1' },
    windowsHide: true,
  });
  child.unref();
  child.channel?.unref();
  const lost = (why: string) => {
    if (helper !== child) return;
    helper = undefined;
    // Stopped on purpose: a later spawn may start a new one.
    if (!stopping.has(child)) broken = why;
    for (const id of [...waiting.keys()]) settle(id, (w) => w.fail(new Error(`the spawning helper process ${why}`)));
  };
  child.on('message', (message: unknown) => {
    const reply = parseReply(message);
    if (!reply) {
      lost('sent a message that is not of its protocol');
      child.kill('SIGKILL');
      return;
    }
    const w = waiting.get(reply.id);
    if (w?.take(reply)) settle(reply.id, () => undefined);
  });
  child.on('error', (error) => lost(`could not run: ${error.message}`));
  child.on('exit', (code, signal) => lost(`exited (${signal ?? code})`));
  helper = child;
  return child;
}

/**
 * Ends the helper, if one runs, and what it started (a command's whole group), and resolves once
 * it has exited: a host that exits (serve on SIGTERM, the CLI at its end) leaves nothing running.
 * Spawns after this go through a new helper.
 */
export function stopSpawnerHelper(): Promise<void> {
  const child = helper;
  if (!child) return Promise.resolve();
  stopping.add(child);
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    if (child.connected) child.disconnect();
    else child.kill('SIGKILL');
  });
}

function settle(id: number, how: (w: Waiting) => void): void {
  const w = waiting.get(id);
  if (!w) return;
  waiting.delete(id);
  if (waiting.size === 0) helper?.channel?.unref();
  how(w);
}
