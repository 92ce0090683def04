// Issue 37 point 6: the setup's downloads (scripts/netRetry.mjs around npm ci, the installers'
// npm install and apt-get) run again after a network failure, with growing waits, and say so;
// they give up with a clear line when the registry stays unreachable, and never retry a failure
// that is not the network's. Real npm against an npm registry stand-in on 127.0.0.1 that answers
// 503, or stalls mid-answer (npm's EIDLETIMEOUT, as on the fresh clone of the issue), as told.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

const SCRIPTS = join(__dirname, '../../../scripts');
const RETRY = join(SCRIPTS, 'netRetry.mjs');
const dir = mkdtempSync(join(tmpdir(), 'orch-netretry-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** What the stand-in does with request number `n` (1-based): answer, 503, 404, or stall after the headers. */
type Answer = 'ok' | 503 | 404 | 'idle';
let plan: (n: number) => Answer = () => 'ok';
let requests = 0;
let server: Server;
let port = 0;
let tarball: Buffer;

/** npm's environment without the npm_* variables of a test run started by npm, pointed at the stand-in. */
function npmEnv(cache: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env))
    if (value !== undefined && !/^npm_/i.test(key)) env[key] = value;
  return {
    ...env,
    npm_config_registry: `http://127.0.0.1:${port}/`,
    npm_config_cache: cache,
    // npm's own retries off, so each failure the stand-in plans reaches the helper.
    npm_config_fetch_retries: '0',
    npm_config_fetch_timeout: '1500',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    ORCH_NET_RETRY_DELAY_MS: '50',
  };
}

before(async () => {
  const source = join(dir, 'orch-tiny');
  mkdirSync(source);
  writeFileSync(
    join(source, 'package.json'),
    JSON.stringify({ name: 'orch-tiny', version: '1.0.0', main: 'index.js' }),
  );
  writeFileSync(join(source, 'index.js'), "module.exports = 'tiny';\n");
  const packed = spawnSync('npm', ['pack', '--pack-destination', dir], {
    cwd: source,
    encoding: 'utf8',
    env: npmEnv(join(dir, 'pack-cache')),
  });
  assert.equal(packed.status, 0, packed.stderr);
  tarball = readFileSync(join(dir, 'orch-tiny-1.0.0.tgz'));
  const integrity = `sha512-${createHash('sha512').update(tarball).digest('base64')}`;
  server = createServer((req, res) => {
    const answer = plan(++requests);
    if (answer === 'idle') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.write(tarball.subarray(0, 100));
      return; // and nothing more: npm's idle timeout
    }
    if (answer !== 'ok') return void res.writeHead(answer).end(answer === 503 ? 'Service Unavailable' : 'Not Found');
    if (req.url === '/orch-tiny') {
      const version = {
        name: 'orch-tiny',
        version: '1.0.0',
        dist: { tarball: `http://127.0.0.1:${port}/orch-tiny/-/orch-tiny-1.0.0.tgz`, integrity },
      };
      return void res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ name: 'orch-tiny', 'dist-tags': { latest: '1.0.0' }, versions: { '1.0.0': version } }));
    }
    if (req.url === '/orch-tiny/-/orch-tiny-1.0.0.tgz')
      return void res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(tarball);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
after(() => {
  server?.closeAllConnections();
  server?.close();
});

/** Runs `command` without blocking this process, which serves the registry stand-in. */
function exec(
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/** The project of every test, depending on orch-tiny, with its package-lock.json made (once) against a stand-in that answered. */
let lockedProject: Promise<string> | undefined;
const PROJECT_FILES = ['package.json', 'package-lock.json'];

/** A copy of that project in a folder of its own (`name`). */
async function project(name: string): Promise<string> {
  lockedProject ??= (async () => {
    const at = join(dir, 'locked');
    mkdirSync(at);
    writeFileSync(
      join(at, 'package.json'),
      JSON.stringify({
        name: 'orch-netretry-app',
        version: '1.0.0',
        private: true,
        dependencies: { 'orch-tiny': '1.0.0' },
      }),
    );
    plan = () => 'ok';
    const installed = await exec('npm', ['install', '--package-lock-only'], at, npmEnv(join(at, 'lock-cache')));
    assert.equal(installed.code, 0, installed.stderr);
    return at;
  })();
  const locked = await lockedProject;
  const at = join(dir, name);
  mkdirSync(at);
  for (const file of PROJECT_FILES) copyFileSync(join(locked, file), join(at, file));
  return at;
}

/** `npm ci` through the helper, as scripts/setup.mjs runs it, with a fresh npm cache (every tarball fetched). */
async function npmCi(
  at: string,
  planned: (n: number) => Answer,
): Promise<{ code: number | null; stderr: string; requests: number }> {
  plan = planned;
  requests = 0;
  const run = await exec(
    process.execPath,
    [RETRY, '--what', 'npm ci', '--', 'npm', 'ci'],
    at,
    npmEnv(join(at, `cache-${Date.now()}`)),
  );
  return { ...run, requests };
}

test('npm ci whose registry answers 503 twice: retried with growing waits, said on stderr, then installed', async () => {
  const at = await project('twice-down');
  const run = await npmCi(at, (n) => (n <= 2 ? 503 : 'ok'));
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /\[setup\] npm ci: network error \(E503\), retry 1 of 4 in 50 ms/);
  assert.match(run.stderr, /\[setup\] npm ci: network error \(E503\), retry 2 of 4 in 100 ms/);
  assert.doesNotMatch(run.stderr, /retry 3 of 4/);
  assert.equal(readFileSync(join(at, 'node_modules/orch-tiny/index.js'), 'utf8'), "module.exports = 'tiny';\n");
});

test("npm ci whose download stalls mid-answer (npm's EIDLETIMEOUT): retried, then installed", async () => {
  const at = await project('stalled');
  const run = await npmCi(at, (n) => (n === 1 ? 'idle' : 'ok'));
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /\[setup\] npm ci: network error \(EIDLETIMEOUT\), retry 1 of 4 in 50 ms/);
  assert.ok(existsSync(join(at, 'node_modules/orch-tiny/package.json')));
});

test("a registry that stays unreachable: five attempts, then one line saying so, and npm's exit status", async () => {
  const at = await project('stays-down');
  const run = await npmCi(at, () => 503);
  assert.notEqual(run.code, 0);
  for (const [n, wait] of [
    [1, '50 ms'],
    [2, '100 ms'],
    [3, '200 ms'],
    [4, '400 ms'],
  ] as const)
    assert.match(run.stderr, new RegExp(`retry ${n} of 4 in ${wait}`));
  assert.match(
    run.stderr,
    /\[setup\] npm ci: the network stayed unreachable \(E503\) after 5 attempts over \d+ (ms|s); giving up/,
  );
  assert.ok(run.requests >= 5, `five attempts reached the registry (${run.requests} requests)`);
  assert.equal(existsSync(join(at, 'node_modules/orch-tiny')), false);
});

test("the setup's own npm ci (scripts/setup.mjs, copied beside a project as in the repository) goes through the retries", async () => {
  const at = await project('setup');
  mkdirSync(join(at, 'scripts'));
  for (const script of ['setup.mjs', 'netRetry.mjs', 'heartbeat.mjs'])
    copyFileSync(join(SCRIPTS, script), join(at, 'scripts', script));
  const pkg = JSON.parse(readFileSync(join(at, 'package.json'), 'utf8'));
  writeFileSync(join(at, 'package.json'), JSON.stringify({ ...pkg, engines: { node: '>=22.13' } }));
  // The setup runs npm without the npm_* variables of whoever started it: the project's .npmrc points it at the stand-in.
  writeFileSync(
    join(at, '.npmrc'),
    `registry=http://127.0.0.1:${port}/\ncache=${join(at, 'cache')}\nfetch-retries=0\naudit=false\nfund=false\n`,
  );
  plan = (n) => (n === 1 ? 503 : 'ok');
  requests = 0;
  const run = await exec(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      "const { setup } = await import('./scripts/setup.mjs'); const { failed } = setup({ installers: [] }); if (Object.keys(failed).length) { console.error(JSON.stringify(failed)); process.exit(1); }",
    ],
    at,
    { ...(process.env as Record<string, string>), ORCH_NET_RETRY_DELAY_MS: '50' },
  );
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /\[setup\] npm ci: network error \(E503\), retry 1 of 4 in 50 ms/);
  assert.ok(existsSync(join(at, 'node_modules/orch-tiny/index.js')));
  assert.ok(existsSync(join(at, 'node_modules/.orchestrator-lock-sha256')), 'the setup took the install as done');
});

test("a failure that is not the network's (the package is not there: 404) is not retried", async () => {
  const at = await project('missing');
  const run = await npmCi(at, () => 404);
  assert.notEqual(run.code, 0);
  assert.match(run.stderr, /E404/, "npm's own error is shown");
  assert.doesNotMatch(run.stderr, /retry \d|giving up/);
  // npm itself asks twice for a package it is told is not there; a retry would ask twice more.
  assert.ok(run.requests <= 2, `one attempt (${run.requests} requests)`);
});

test('the command line: its exit status passes through, a command that cannot start is not retried, and a wrong call says how to use it', () => {
  const ok = spawnSync(process.execPath, [RETRY, '--', process.execPath, '-e', 'process.exit(3)'], {
    encoding: 'utf8',
  });
  assert.equal(ok.status, 3);
  assert.doesNotMatch(ok.stderr, /retry \d/);
  const missing = spawnSync(process.execPath, [RETRY, '--what', 'nothing', '--', join(dir, 'no-such-command')], {
    encoding: 'utf8',
  });
  assert.equal(missing.status, 127);
  assert.match(missing.stderr, /no-such-command: spawn .*ENOENT/);
  assert.doesNotMatch(missing.stderr, /retry \d|giving up/);
  const usage = spawnSync(process.execPath, [RETRY, 'npm', 'ci'], { encoding: 'utf8' });
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /usage: node scripts\/netRetry\.mjs/);
});

/** apt-get on its own lists and cache under `at`, through an HTTP proxy: the system's apt state is not touched. */
function aptOptions(at: string, proxy: string): string {
  for (const sub of ['lists/partial', 'cache/archives/partial']) mkdirSync(join(at, sub), { recursive: true });
  writeFileSync(join(at, 'sources.list'), 'deb http://deb.debian.org/debian bookworm main\n');
  return [
    `Dir::State::Lists=${at}/lists`,
    `Dir::Cache=${at}/cache`,
    'Debug::NoLocking=1',
    `Dir::Etc::sourcelist=${at}/sources.list`,
    `Dir::Etc::sourceparts=${at}/none`,
    `Dir::State::status=${at}/status`,
    `Acquire::http::Proxy=${proxy}`,
  ]
    .map((o) => `-o ${o}`)
    .join(' ');
}

const hasApt = spawnSync('apt-get', ['--version']).status === 0;
test(
  "the installers' apt step (update, then install, as one attempt): a mirror answering 503 is retried, and given up with apt's own reason",
  { skip: hasApt ? false : "no apt-get on this machine (the installers are Debian's)" },
  async () => {
    const at = join(dir, 'apt');
    const options = aptOptions(at, `http://127.0.0.1:${port}`);
    writeFileSync(join(at, 'status'), '');
    plan = () => 503;
    requests = 0;
    // As scripts/sandbox/install.sh runs it: apt-get update only warns when it cannot fetch, so the install that follows fails.
    const run = await exec(
      process.execPath,
      [
        RETRY,
        '--tag',
        'sandbox',
        '--what',
        'apt-get install orch-tiny',
        '--',
        'env',
        'DEBIAN_FRONTEND=noninteractive',
        'bash',
        '-c',
        `apt-get update -qq ${options} && apt-get install -s -qq ${options} orch-tiny`,
      ],
      dir,
      { ...(process.env as Record<string, string>), ORCH_NET_RETRY_DELAY_MS: '50', ORCH_NET_RETRIES: '1' },
    );
    assert.notEqual(run.code, 0);
    assert.match(
      run.stderr,
      /Failed to fetch http:\/\/deb\.debian\.org\/debian\/dists\/bookworm\/InRelease\s+503\s+Service Unavailable/,
      "apt's own warning is shown",
    );
    assert.match(
      run.stderr,
      /\[sandbox\] apt-get install orch-tiny: network error \(503\s+Service Unavailable\), retry 1 of 1 in 50 ms/,
    );
    assert.match(
      run.stderr,
      /\[sandbox\] apt-get install orch-tiny: the network stayed unreachable \(503\s+Service Unavailable\) after 2 attempts/,
    );
    assert.ok(requests >= 2, `every attempt asked the mirror (${requests} requests)`);
  },
);
