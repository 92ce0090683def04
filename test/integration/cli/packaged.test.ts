// The CLI as a user gets it outside this repository (issue 7): `npm pack`, installed offline
// into a throw-away prefix, run in a fresh folder against the Messages API test server.
// The package bundles everything into dist/, so installing it fetches nothing.
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { startMessagesApiServer } from '../../support/messagesApiServer';
import { pipelineScript, productAgents } from '../../support/engine/agentScript';
import { PRODUCT_MODULE } from '../../support/engine/fixtures';
import { FAKE_KEY, ROOT, buildCli } from '../../support/cli/cliKit';

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; bin: Record<string, string> };
const scratch = mkdtempSync(join(tmpdir(), 'orch-packaged-'));
// npm and the installed bin run on this test's Node, as they would on the user's.
const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`, NO_COLOR: '1' };
for (const key of Object.keys(env)) if (/^npm_/i.test(key) || key === 'ANTHROPIC_API_KEY' || key === 'ANTHROPIC_BASE_URL') delete env[key];
let bin = '';

before(() => {
  buildCli();
  const out = join(scratch, 'pack');
  mkdirSync(out);
  // --ignore-scripts: dist/ was just built (prepack would build it again).
  const packed = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', out], { cwd: ROOT, env, encoding: 'utf8' })) as { filename: string; files: { path: string }[] }[];
  const tarball = join(out, packed[0]!.filename);
  const prefix = join(scratch, 'prefix');
  execFileSync('npm', ['install', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', '--loglevel=error', tarball], { cwd: scratch, env, encoding: 'utf8' });
  bin = join(prefix, 'bin', Object.keys(manifest.bin)[0]!);
});
after(() => rmSync(scratch, { recursive: true, force: true }));

/** The installed bin, run as a user would (asynchronously: the test server shares this process). */
function orchestrator(args: string[], cwd: string, extra: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { cwd, env: { ...env, ...extra }, encoding: 'utf8', timeout: 120_000 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') reject(error);
      else resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

test(`the packed ${manifest.name} installs offline, with nothing but its bundles and templates, under its own name`, async () => {
  assert.notEqual(manifest.name, 'orchestrator', 'the registry\'s "orchestrator" is somebody else\'s package');
  const installed = join(scratch, 'prefix', 'lib', 'node_modules', manifest.name);
  assert.ok(existsSync(join(installed, 'dist', 'engine.js')));
  assert.ok(existsSync(join(installed, 'dist', 'mcp.js')), 'the MCP server\'s bundle, loaded by `orchestrator mcp`');
  for (const room of ['census', 'import', 'drift']) assert.ok(existsSync(join(installed, 'dist', `${room}.js`)), `the engine's ${room} room, loaded on first use`);
  assert.ok(existsSync(join(installed, 'dist', 'portal.js')) && existsSync(join(installed, 'dist', 'portal', 'index.html')), 'the portal\'s server and page, loaded by `orchestrator serve`');
  assert.ok(existsSync(join(installed, '.claude', 'context', 'backend.context.md')));
  assert.ok(!existsSync(join(installed, 'src')) && !existsSync(join(installed, 'node_modules')), 'no sources, no dependencies to fetch');
  const help = await orchestrator(['--help'], scratch);
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /^Usage: orchestrator <command>/);
});

test('outside the repository: init, specs, then a feature run against the Messages API test server', async () => {
  const scripted = pipelineScript(productAgents());
  const api = await startMessagesApiServer(scripted.script);
  const project = join(scratch, 'my-project');
  mkdirSync(project);
  try {
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', ...args], { cwd: project });
    git('init', '-q', '-b', 'main');
    git('commit', '-q', '--allow-empty', '-m', 'empty');

    const init = await orchestrator(['init'], project);
    assert.equal(init.code, 0, init.stderr);
    assert.match(init.stdout, /created \.claude\/orchestrator\.yaml/);
    assert.match(init.stdout, /created \.claude\/context\/backend\.context\.md/);
    // The portal's bundle loads from the installed package (`user` and `serve` share it).
    const users = await orchestrator(['user', 'list', '--json'], project);
    assert.equal(users.code, 0, users.stderr);
    assert.deepEqual(JSON.parse(users.stdout), []);

    const none = await orchestrator(['specs'], project);
    assert.equal(none.code, 0, none.stderr);
    assert.equal(none.stdout.trim(), '(none)');

    const run = await orchestrator(['feature', 'Add a Product entity with name and price', '--approve', '--yes', '--json'], project, { ANTHROPIC_API_KEY: FAKE_KEY, ANTHROPIC_BASE_URL: api.url });
    assert.equal(run.code, 0, run.stderr);
    const summary = JSON.parse(run.stdout) as { status: string; filesChanged: string[]; specPath: string };
    assert.equal(summary.status, 'completed');
    assert.deepEqual(summary.filesChanged, ['db/migrations/003_create_product.sql', 'server/entities/product.js', 'web/src/products.js']);
    assert.equal(readFileSync(join(project, 'server/entities/product.js'), 'utf8'), PRODUCT_MODULE);
    assert.deepEqual([...new Set(scripted.calls.map((c) => c.agent))].sort(), ['backend', 'database', 'frontend', 'review', 'spec']);

    const specs = await orchestrator(['specs'], project);
    assert.match(specs.stdout, /\d{4}-\d{2}-\d{2}-product-entity\s+feature\s+completed\s+Product entity/);
  } finally {
    await api.close();
  }
});

test('outside the repository: demo runs on the sample shop the package ships, with no key', async () => {
  const folder = join(scratch, 'demo');
  const demo = await orchestrator(['demo', folder], scratch);
  assert.equal(demo.code, 0, demo.stderr);
  assert.match(demo.stderr, /demo: completed; the result is in /);
  assert.ok(existsSync(join(folder, 'server', 'entities', 'product.js')));
});
