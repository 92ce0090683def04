// The `orchestrator` command on a Node older than engines.node (issue 19): one line and exit 2,
// before anything that needs the newer Node (node:sqlite, newer syntax) is loaded. And
// `npm run bench` runs on the project's Node even when started with an older one.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { CLI, ROOT, buildCli } from '../../support/cli/cliKit';

const range = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }).engines
  .node;
const [needMajor, needMinor] = /(\d+)\.(\d+)/.exec(range)!.slice(1).map(Number) as [number, number];
const tooOld = (version: string): boolean => {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number) as [number, number];
  return major < needMajor || (major === needMajor && minor < needMinor);
};

/** The machine's Nodes older than engines.node: the system Node on the development machines (20). */
function oldNodes(): string[] {
  const candidates = new Set([
    ...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'node')),
    '/usr/bin/node',
    '/usr/local/bin/node',
  ]);
  return [...candidates].filter((path) => {
    if (!existsSync(path)) return false;
    const version = spawnSync(path, ['-v'], { encoding: 'utf8' }).stdout.trim();
    return /^v\d+\.\d+/.test(version) && tooOld(version);
  });
}

const LINE = new RegExp(
  `^orchestrator: needs Node\\.js ${needMajor}\\.${needMinor} or newer \\(engines: ${range.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\), found (\\d+\\.\\d+\\.\\d+); install a newer Node from https://nodejs\\.org/ or with a version manager`,
);

before(() => buildCli());

test('cli: on a Node older than engines.node, any command exits 2 with one line: needed, found, how to get a newer one', () => {
  // Every old Node on this machine (the next test makes this Node pretend, for machines with none).
  for (const node of oldNodes()) {
    const version = spawnSync(node, ['-v'], { encoding: 'utf8' }).stdout.trim().replace(/^v/, '');
    for (const args of [['mcp'], ['task', 'list'], ['--help']]) {
      const run = spawnSync(node, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
      assert.equal(run.status, 2, `${node} ${args.join(' ')}: ${run.stderr}`);
      assert.equal(run.stdout, '');
      assert.equal(run.stderr.split('\n').filter(Boolean).length, 1, run.stderr);
      assert.equal(LINE.exec(run.stderr)?.[1], version, run.stderr);
      assert.doesNotMatch(run.stderr, /node:sqlite|SyntaxError/);
    }
  }
});

test('cli: the version check runs before the CLI bundle loads (an old version reported by this Node)', () => {
  // This Node is new enough; make it report an old version to the entry, then load dist/cli.js.
  const pretend = `Object.defineProperty(process.versions, 'node', { value: '18.19.1' }); require(${JSON.stringify(CLI)});`;
  const run = spawnSync(process.execPath, ['-e', pretend, '--', 'task', 'list'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(run.status, 2, run.stderr);
  assert.equal(LINE.exec(run.stderr)?.[1], '18.19.1', run.stderr);
  // And on this Node the same entry hands over to the CLI.
  const ok = spawnSync(process.execPath, [CLI, '--help'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /^Usage: orchestrator/);
});

test(
  "npm run bench (scripts/bench.mjs) runs the bench on the project's Node when started with an old one",
  { timeout: 300_000 },
  () => {
    const old = oldNodes()[0] ?? process.execPath;
    // --no-setup: no installer and no npm ci under the other test files running meanwhile.
    const run = spawnSync(old, [join(ROOT, 'scripts', 'bench.mjs'), '--no-setup', 'no-such-bench-case'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const bench = /\[bench\] Node v(\d+\.\d+)/.exec(run.stderr)?.[1];
    assert.ok(bench, run.stderr.slice(-2000));
    assert.ok(!tooOld(bench), `the bench ran on Node ${bench}`);
    assert.match(run.stderr, /no bench case matches no-such-bench-case/);
    assert.equal(run.status, 2);
  },
);
