// The project's commands from a large process start from the spawning helper (src/core/process/spawner.ts),
// as git does, and behave as a direct spawn: output streamed back as it comes (both streams,
// whole), the exit code, the whole process group killed on cancel and on timeout (a grandchild
// too: nothing left running), and the sandbox's launcher run the same way (confined, its group
// killed). The helper's replies are checked against its protocol. A host that stops (serve on
// SIGTERM) ends the helper and what it started before it exits; a host killed with kill -9 leaves
// nothing running either: the helper, its channel closed, kills what it started (issue 50).
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { spawn } from 'node:child_process';
import {
  helperCalls,
  helperWanted,
  SPAWNER_RSS_BYTES,
  stopSpawnerHelper,
  streamThroughHelper,
} from '../../../src/core/process/spawner';
import { runCommand } from '../../../src/core/process/runCommand';
import type { CommandSandbox } from '../../../src/core/process/commandSandbox';
import { sandboxSupport } from '../../../src/core/sandbox';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'commands-helper-')));
const work = join(root, 'work');
mkdirSync(work);
// This process made large (touched pages count as resident), as serve or an extension host is.
let ballast: Buffer | undefined;
before(async () => {
  ballast = Buffer.alloc(SPAWNER_RSS_BYTES + 64 * 1024 * 1024, 1);
  await new Promise((resolve) => setTimeout(resolve, 1100)); // the size is looked at once a second
  assert.ok(helperWanted(), `resident ${process.memoryUsage.rss()} bytes, ${ballast.length} of them ballast`);
});
after(() => {
  ballast = undefined;
  rmSync(root, { recursive: true, force: true });
});

/** Processes running `sleep <marker>` (a zombie is not running: nothing may reap it in a container). */
function sleepers(marker: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const state = stat[stat.lastIndexOf(')') + 2];
      if (argv[0]?.endsWith('sleep') && argv[1] === marker && state !== 'Z') found.push(Number(name));
    } catch {
      // gone while read
    }
  }
  return found;
}

async function until(what: string, ok: () => boolean): Promise<void> {
  for (let i = 0; i < 600 && !ok(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  assert.ok(ok(), `waited 30 s for ${what}`);
}

let markers = 0;
/** A unique `sleep` a command leaves in the background (a grandchild of the helper's spawn). */
const marker = () => `${300 + (process.pid % 1000)}.${++markers}`;

test('a command from a large process goes through the helper: both outputs, whole, and its exit code', async () => {
  const before = helperCalls.count;
  const result = await runCommand(
    `echo out-line; echo err-line >&2; node -e "process.stdout.write('x'.repeat(16000000))"; exit 3`,
    { cwd: work, timeoutSec: 120 },
  );
  assert.equal(helperCalls.count - before, 1);
  assert.equal(result.exitCode, 3);
  assert.deepEqual([result.timedOut, result.cancelled], [false, false]);
  assert.match(result.output, /out-line/);
  assert.match(result.output, /err-line/);
  // 16 MB through the helper (its reading paused and resumed while chunks wait to be sent), capped here as a direct spawn's output is (head and tail kept).
  assert.match(result.output, /bytes of output omitted/);
  assert.ok(
    result.output.length > 1024 * 1024 && result.output.length < 2 * 1024 * 1024,
    `${result.output.length} characters kept`,
  );
  // Only the variables runCommand passes reach it.
  process.env.ORCH_HELPER_SECRET = 'leak';
  const env = await runCommand('echo "[${ORCH_HELPER_SECRET:-none}]"', {
    cwd: work,
    timeoutSec: 120,
    env: { MINE: 'm' },
  });
  delete process.env.ORCH_HELPER_SECRET;
  assert.match(env.output, /^\[none\]$/m);
  // A command that cannot start is said as a direct spawn says it.
  const missing = await runCommand('echo x', { cwd: join(root, 'no-such-folder'), timeoutSec: 120 });
  assert.equal(missing.exitCode, null);
  assert.match(missing.output, /could not start: .*ENOENT/);
});

test('output comes back while the command still runs', async () => {
  const go = join(root, 'go');
  const chunks: string[] = [];
  let pid: number | undefined;
  // It prints, then waits for a file this test writes only once the print arrived.
  const exit = await streamThroughHelper(
    '/bin/sh',
    ['-c', `echo ready; while [ ! -e '${go}' ]; do sleep 0.05; done; echo done`],
    { cwd: work, env: { PATH: process.env.PATH }, detached: true },
    {
      spawned: (started) => (pid = started),
      data: (chunk) => {
        chunks.push(chunk.toString('utf8'));
        if (chunks.join('') === 'ready\n') writeFileSync(go, '');
      },
    },
  );
  assert.deepEqual(exit, { code: 0, signal: null });
  assert.equal(chunks.join(''), 'ready\ndone\n');
  assert.ok(pid !== undefined && pid > 0);
});

for (const how of ['cancel', 'timeout'] as const) {
  test(`on ${how}, the command's whole process group is killed from this process: nothing is left running`, async () => {
    const sleep = marker();
    const controller = new AbortController();
    const pending = runCommand(`sleep ${sleep} & sleep ${sleep}; echo never`, {
      cwd: work,
      timeoutSec: how === 'timeout' ? 1 : 600,
      signal: controller.signal,
    });
    await until('the command and its grandchild', () => sleepers(sleep).length === 2);
    if (how === 'cancel') controller.abort();
    const result = await pending;
    assert.equal(result.exitCode, null);
    assert.equal(how === 'cancel' ? result.cancelled : result.timedOut, true);
    assert.doesNotMatch(result.output, /never/);
    await until('nothing left running', () => sleepers(sleep).length === 0);
  });
}

test('a sandboxed command runs confined through the helper, and its whole sandbox is killed on cancel', async (t) => {
  if (!(await sandboxSupport()).available) return t.skip('no sandbox on this machine');
  const outside = join(root, 'outside');
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.txt'), 'SECRET');
  const sandbox: CommandSandbox = {
    writable: [work],
    home: join(root, 'box-home'),
    tmp: join(root, 'box-tmp'),
    network: [],
    hidden: [outside],
    who: { command: 'test' },
  };
  const before = helperCalls.count;
  const result = await runCommand(
    `echo inside > made.txt; cat '${join(outside, 'secret.txt')}'; echo "home=$HOME"; touch '${join(outside, 'written.txt')}'; exit 4`,
    { cwd: work, timeoutSec: 120, sandbox },
  );
  assert.equal(helperCalls.count - before, 1);
  assert.equal(result.exitCode, 4);
  assert.equal(readFileSync(join(work, 'made.txt'), 'utf8'), 'inside\n');
  assert.doesNotMatch(result.output, /SECRET/);
  assert.equal(existsSync(join(outside, 'written.txt')), false);
  assert.match(result.output, new RegExp(`home=${join(root, 'box-home')}`));

  const sleep = marker();
  const controller = new AbortController();
  const pending = runCommand(`sleep ${sleep} & sleep ${sleep}`, {
    cwd: work,
    timeoutSec: 600,
    signal: controller.signal,
    sandbox,
  });
  await until('the sandboxed command and its grandchild', () => sleepers(sleep).length === 2);
  controller.abort();
  assert.equal((await pending).cancelled, true);
  await until('nothing left running', () => sleepers(sleep).length === 0);
});

test('a background command from a large process goes through the helper lowered: nice 10, its session too (background.ts)', async (t) => {
  if (process.platform === 'win32') return t.skip('POSIX nice');
  const before = helperCalls.count;
  const result = await runCommand(`sh -c 'echo "nice=$(nice) $(cat /proc/self/autogroup 2>/dev/null)"'; exit 2`, {
    cwd: work,
    timeoutSec: 120,
    background: true,
  });
  assert.equal(helperCalls.count - before, 1);
  assert.equal(result.exitCode, 2);
  assert.match(result.output, new RegExp(`^nice=${Math.min(19, getPriority() + 10)}( |$)`, 'm'), result.output);
  if (existsSync('/proc/self/autogroup')) assert.match(result.output, /autogroup-\d+ nice 10$/m);
});

/** The spawning helper of process `parent`: its `node -e` child. */
function helperOf(parent: number): number | undefined {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const [, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(ppid) === parent && readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0')[1] === '-e')
        return Number(name);
    } catch {
      // gone while read
    }
  }
  return undefined;
}

const alive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return false;
  }
};

test('stopping the helper ends the commands it runs, a whole group, before it resolves; a later command starts a new helper', async () => {
  const sleep = marker();
  const pending = runCommand(`sleep ${sleep} & sleep ${sleep}; echo never`, { cwd: work, timeoutSec: 600 });
  await until('the command and its grandchild', () => sleepers(sleep).length === 2);
  const helper = helperOf(process.pid);
  assert.ok(helper !== undefined, 'the helper runs');
  await stopSpawnerHelper();
  // Looked at once, not waited for: the stop resolved only once the helper had ended them and exited.
  assert.equal(alive(helper), false, 'the helper has exited');
  assert.deepEqual(sleepers(sleep).filter(alive), [], 'nothing it started is left running');
  const result = await pending;
  assert.equal(result.exitCode, null);
  assert.doesNotMatch(result.output, /never/);
  const before = helperCalls.count;
  assert.equal((await runCommand('echo again', { cwd: work, timeoutSec: 120 })).exitCode, 0);
  assert.equal(helperCalls.count - before, 1, 'through a new helper');
});

test('a large process killed with kill -9 while its command runs through the helper leaves nothing running', async () => {
  const sleep = marker();
  const script = `
    const { runCommand } = require(${JSON.stringify(join(__dirname, '../../../src/core/process/runCommand.ts'))});
    const ballast = Buffer.alloc(${SPAWNER_RSS_BYTES + 64 * 1024 * 1024}, 1);
    setTimeout(() => runCommand('sleep ${sleep} & sleep ${sleep}', { cwd: ${JSON.stringify(work)}, timeoutSec: 600 }), 1100, ballast);
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], {
    cwd: join(__dirname, '../../..'),
    stdio: 'ignore',
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    await until('the command and its grandchild', () => sleepers(sleep).length === 2);
    const helper = helperOf(child.pid!);
    assert.ok(helper !== undefined, 'the command runs through the helper');
    child.kill('SIGKILL');
    await exited;
    // However slow the machine: once the helper is gone, what it started is gone too.
    await until('the helper to exit', () => !alive(helper));
    assert.deepEqual(sleepers(sleep).filter(alive), [], 'nothing it started is left running');
  } finally {
    child.kill('SIGKILL');
    for (const pid of sleepers(sleep)) process.kill(pid, 'SIGKILL');
  }
});
