// The door for real, on this machine's bubblewrap: a process tree launched under a policy
// reaches its work and nothing else: not HOME, not another folder, not the orchestrator's
// processes, not a loopback port the policy does not name; an allowed one answers; nothing
// it starts outlives it. And where there is no sandbox, the refusal says what to install.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  detectSandboxSupport,
  launchSandboxed,
  sandboxSupport,
  type SandboxDenial,
  type SandboxPolicy,
} from '../../../src/core/sandbox/index';

const root = mkdtempSync(join(tmpdir(), 'sandbox-launch-'));
// A user's HOME with the secrets an injected prompt goes for (os.homedir() follows $HOME).
const userHome = join(root, 'user-home');
const realHome = process.env.HOME;
// In a hook, not at load: a shard loads all its files before running the first (scripts/run-node-tests.mjs).
before(() => {
  process.env.HOME = userHome;
  for (const [file, text] of Object.entries({
    '.ssh/id_ed25519': 'PRIVATE KEY',
    '.aws/credentials': 'aws_secret_access_key=x',
    '.config/gh/hosts.yml': 'oauth_token: gho_x',
    '.bashrc': 'export A=1',
  })) {
    mkdirSync(join(userHome, file, '..'), { recursive: true });
    writeFileSync(join(userHome, file), text);
  }
});
after(() => {
  process.env.HOME = realHome;
  rmSync(root, { recursive: true, force: true });
});

function folder(name: string): string {
  const path = join(root, name);
  mkdirSync(path, { recursive: true });
  return path;
}

function policy(work: string, network: string[] = []): SandboxPolicy {
  return {
    cwd: work,
    writable: [work],
    home: join(root, `${work.split('/').pop()}-home`),
    tmp: join(root, `${work.split('/').pop()}-tmp`),
    network,
    who: { command: 'test' },
  };
}

/** Runs `script` with sh in the sandbox; its output and exit code. */
async function inSandbox(
  script: string,
  sandbox: SandboxPolicy,
  env: Record<string, string> = {},
): Promise<{ code: number | null; out: string; denials: SandboxDenial[] }> {
  const launch = await launchSandboxed(
    '/bin/sh',
    ['-c', script],
    { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    sandbox,
  );
  const child = spawn(launch.command, launch.args, {
    env: launch.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, out, denials: await launch.close(out) };
}

function listen(body: string): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer((_req, res) => res.end(body)).listen(0, '127.0.0.1', () =>
      resolve({ server, port: (server.address() as { port: number }).port }),
    );
  });
}

test('this machine has bubblewrap (the test setup installs it) and says what it enforces', async () => {
  const support = await sandboxSupport();
  assert.deepEqual([support.available, support.kind], [true, 'bubblewrap'], support.reason);
  assert.ok(support.enforces!.some((line) => /PID namespace/.test(line)));
});

test('no sandbox: Windows, and Linux without bubblewrap or socat, refuse with one line naming what to install', async () => {
  const windows = await detectSandboxSupport('win32', {});
  assert.equal(windows.available, false);
  assert.match(windows.reason!, /Windows.*bubblewrap.*sandbox: off/);
  const noBwrap = await detectSandboxSupport('linux', { socat: '/usr/bin/socat' });
  assert.deepEqual([noBwrap.available, noBwrap.kind], [false, 'none']);
  assert.match(noBwrap.reason!, /^bubblewrap is not installed: install it \(apt-get install bubblewrap/);
  const noSocat = await detectSandboxSupport('linux', { bwrap: '/usr/bin/bwrap' });
  assert.match(noSocat.reason!, /apt-get install socat/);
  // A bubblewrap that cannot make namespaces (here: not bubblewrap at all) is found out by trying it.
  const broken = await detectSandboxSupport('linux', { bwrap: '/bin/false', socat: '/usr/bin/socat' });
  assert.equal(broken.available, false);
  assert.match(broken.reason!, /bubblewrap cannot make a sandbox here/);
  assert.equal(broken.reason!.includes('\n'), false);
});

test('the work is writable; HOME, other folders, the host /tmp and /proc of the orchestrator are not there', async () => {
  const work = folder('work');
  const other = folder('other-worktree');
  writeFileSync(join(other, 'secret.txt'), 'other run');
  const hostTmpMarker = join(tmpdir(), `sandbox-marker-${process.pid}`);
  const script = [
    'echo made > made.txt',
    `cat ${join(other, 'secret.txt')} && echo LEAK-other`,
    ...['.ssh/id_ed25519', '.aws/credentials', '.config/gh/hosts.yml', '.bashrc'].map(
      (file) => `cat ${join(userHome, file)} && echo LEAK-${file}`,
    ),
    `echo x >> ${join(userHome, '.bashrc')} && echo LEAK-write-bashrc`,
    `echo x > ${join(other, 'planted.txt')} && echo LEAK-write-other`,
    `echo x > ${hostTmpMarker} && echo wrote-private-tmp`,
    `cat /proc/${process.pid}/environ && echo LEAK-environ`,
    'ps -e -o pid= | wc -l | tr -d " " > processes.txt',
    'echo "home=$HOME" > home.txt',
  ].join('\n');
  const { code, out, denials } = await inSandbox(script, policy(work), { SANDBOX_PROBE_SECRET: 'sk-test-123' });
  // The hidden reads are seen as refusals (the files exist on the host); the other run's folder is not hidden by name, only absent.
  assert.deepEqual(
    denials
      .filter((d) => d.kind === 'read')
      .map((d) => d.target)
      .sort(),
    ['.aws/credentials', '.bashrc', '.config/gh/hosts.yml', '.ssh/id_ed25519']
      .map((file) => join(userHome, file))
      .sort(),
  );
  assert.equal(code, 0, out);
  assert.equal(readFileSync(join(work, 'made.txt'), 'utf8'), 'made\n');
  assert.doesNotMatch(out, /LEAK/);
  assert.match(out, /wrote-private-tmp/);
  assert.equal(existsSync(join(other, 'planted.txt')), false);
  assert.equal(readFileSync(join(userHome, '.bashrc'), 'utf8'), 'export A=1');
  assert.equal(existsSync(hostTmpMarker), false, 'the host /tmp is not the sandbox /tmp');
  // Its own PID namespace: the sandbox's init, the shell and ps (and the pipe's commands), nothing of the host.
  assert.ok(Number(readFileSync(join(work, 'processes.txt'), 'utf8')) < 10);
  assert.equal(readFileSync(join(work, 'home.txt'), 'utf8').trim(), `home=${join(root, 'work-home')}`);
});

test("the work's git folder is read-only: no hook planted for the next git run", async () => {
  const work = folder('repo');
  mkdirSync(join(work, '.git', 'hooks'), { recursive: true });
  const { out, denials } = await inSandbox(
    'echo "#!/bin/sh" > .git/hooks/pre-commit && echo LEAK-hook; echo y > src.txt',
    policy(work),
  );
  assert.deepEqual(denials, [{ kind: 'write', target: join(work, '.git', 'hooks', 'pre-commit') }]);
  assert.doesNotMatch(out, /LEAK/);
  assert.equal(existsSync(join(work, '.git', 'hooks', 'pre-commit')), false);
  assert.equal(readFileSync(join(work, 'src.txt'), 'utf8'), 'y\n');
});

test('network: only the named loopback port answers; another loopback port is refused; none at all by default', async (t) => {
  const model = await listen('model-ok');
  const other = await listen('other-listener');
  t.after(() => {
    model.server.close();
    other.server.close();
  });
  const work = folder('net');
  const fetchBoth = `node -e "for (const port of [${model.port}, ${other.port}]) fetch('http://127.0.0.1:' + port).then((r) => r.text()).then((t) => console.log(port, 'got', t), (e) => console.log(port, 'refused', e.cause && e.cause.code))"`;
  const allowed = await inSandbox(fetchBoth, policy(work, [`127.0.0.1:${model.port}`]));
  assert.match(allowed.out, new RegExp(`${model.port} got model-ok`));
  assert.match(allowed.out, new RegExp(`${other.port} refused ECONNREFUSED`));
  // node's fetch puts the cause's address in its message only when printed; the launch sees what was printed.
  assert.deepEqual(allowed.denials, []);
  const none = await inSandbox(fetchBoth, policy(work));
  assert.match(none.out, new RegExp(`${model.port} refused`));
  assert.doesNotMatch(none.out, /got/);
});

/** A listener on a free port below 1024 (root binds those on the host), under fetch's bad ports (989, 990). */
async function listenLow(body: string): Promise<{ server: Server; port: number }> {
  for (let port = 980; port > 900; port--) {
    const server = createServer((_req, res) => res.end(body));
    const ok = await new Promise<boolean>((resolve) =>
      server.once('error', () => resolve(false)).listen(port, '127.0.0.1', () => resolve(true)),
    );
    if (ok) return { server, port };
  }
  throw new Error('no free port below 1024');
}

// Real providers listen on 443: the relay inside must listen on a port below 1024, which the
// sandbox's process may not bind by itself (issue 36: every CLI agent reaching its real endpoint).
test(
  'network: an endpoint on a port below 1024 answers through its relay; another port is still refused',
  { skip: process.getuid?.() !== 0 && 'binding a port below 1024 on the host needs root' },
  async (t) => {
    const model = await listenLow('low-ok');
    const other = await listen('other-listener');
    t.after(() => {
      model.server.close();
      other.server.close();
    });
    const work = folder('low-net');
    const script = `node -e "for (const port of [${model.port}, ${other.port}]) fetch('http://localhost:' + port).then((r) => r.text()).then((t) => console.log(port, 'got', t), (e) => console.log(port, 'refused', e.cause && e.cause.code))"; grep Cap /proc/self/status`;
    const result = await inSandbox(script, policy(work, [`localhost:${model.port}`]));
    assert.match(result.out, new RegExp(`${model.port} got low-ok`), result.out);
    assert.match(result.out, new RegExp(`${other.port} refused ECONNREFUSED`), result.out);
    // Opening the namespace's ports gave the sandboxed process no capability.
    assert.match(result.out, /CapEff:\s+0000000000000000/);
    assert.match(result.out, /CapBnd:\s+0000000000000000/);
  },
);

test('nothing outlives the sandbox: a setsid child left behind is gone when its root exits', async () => {
  const work = folder('leftover');
  const marker = join(work, 'still-alive');
  // The child keeps rewriting the marker every 50 ms for 10 s, unless it was killed.
  const { code } = await inSandbox(
    `setsid sh -c 'for i in $(seq 200); do date +%s%N > ${marker}; sleep 0.05; done' >/dev/null 2>&1 < /dev/null & sleep 0.3; echo started`,
    policy(work),
  );
  assert.equal(code, 0);
  const first = readFileSync(marker, 'utf8');
  await new Promise((resolve) => setTimeout(resolve, 600));
  assert.equal(readFileSync(marker, 'utf8'), first, 'the setsid process still writes after the sandbox ended');
});

test("npm in a run's new HOME runs the script without first asking the registry for a newer npm", async () => {
  const work = folder('npm-script');
  writeFileSync(
    join(work, 'package.json'),
    JSON.stringify({ name: 'p', scripts: { hello: 'echo hello from the script' } }),
  );
  const sandbox = policy(work);
  const { code, out } = await inSandbox('npm run hello', sandbox);
  assert.equal(code, 0, out);
  assert.match(out, /hello from the script/);
  // npm keeps the day of its last check here; outside the sandbox it asks once a day.
  assert.equal(existsSync(join(sandbox.home, '.npm', '_update-notifier-last-checked')), false, out);
});
