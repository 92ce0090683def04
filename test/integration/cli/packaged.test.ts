// The CLI as a user gets it (issues 7 and 59): the tarball packed from the build's `cli` list
// (scripts/release.mjs's packCli, which `npm run release` uses), installed offline with
// `npm install -g` into an empty prefix, and run from there, away from the checkout: every
// command's help, init on an npm-workspaces project, a feature on a CLI runner (the real Claude
// Code) against the Messages API test server, a Mermaid gate, a worker joining a pool. Each loads
// a bundle of its own (workspaces.js, runners.js, mermaid.js, pool.js and pgstore.js, portal.js):
// one the tarball lacks fails here as it would for a user.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative } from 'node:path';
import { startMessagesApiServer } from '../../support/messagesApiServer';
import { pipelineScript, productAgents, specAnswer } from '../../support/engine/agentScript';
import { PRODUCT_MODULE, PRODUCT_SPEC } from '../../support/engine/fixtures';
import { makeShop } from '../../support/engine/shopWorkspace';
import { cc, fromClaude, onClaudeCode } from '../../support/runners/claudeCode';
import { usePostgres, freshDatabase } from '../../support/postgres';
import { artifacts } from '../../support/cli/artifactKit';
import { FAKE_KEY, ROOT } from '../../support/cli/cliKit';
import { COMMAND_HELP } from '../../../src/cli/help';
import { parseArgs } from '../../../src/cli/args';
// @ts-expect-error -- a plain .mjs script without type declarations
import { packCli } from '../../../scripts/release.mjs';

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  bin: Record<string, string>;
};
const scratch = mkdtempSync(join(tmpdir(), 'orch-packaged-'));
// npm and the installed bin run on this test's Node, as they would on the user's.
const env: NodeJS.ProcessEnv = {
  ...process.env,
  PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`,
  NO_COLOR: '1',
  HOME: join(scratch, 'home'),
};
for (const key of Object.keys(env)) if (/^(npm_|ORCHESTRATOR_|ANTHROPIC_)/i.test(key)) delete env[key];
const installed = join(scratch, 'prefix', 'lib', 'node_modules', manifest.name);
let bin = '';
// The worker's pool (the integration tier's PostgreSQL, started after the install).
const pg = usePostgres(() => {
  const { cli } = artifacts();
  const tarball = (packCli as (dir: string, out: string) => string)(ROOT, join(scratch, 'pack'));
  const prefix = join(scratch, 'prefix');
  mkdirSync(prefix);
  mkdirSync(env.HOME!);
  execFileSync(
    'npm',
    [
      'install',
      '--global',
      '--prefix',
      prefix,
      '--offline',
      '--no-audit',
      '--no-fund',
      '--update-notifier=false',
      '--loglevel=error',
      tarball,
    ],
    { cwd: scratch, env, encoding: 'utf8' },
  );
  bin = join(prefix, 'bin', Object.keys(manifest.bin)[0]!);
  assert.deepEqual(
    filesUnder(installed),
    [...cli].sort(),
    'the installed package holds the cli list of dist/artifacts.json, nothing more',
  );
});
after(() => rmSync(scratch, { recursive: true, force: true }));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(dir, f)).isFile())
    .map((f) => relative(dir, join(dir, f)))
    .sort();
}

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The installed bin, run as a user would (asynchronously: the test servers share this process). */
function orchestrator(args: string[], cwd: string, extra: NodeJS.ProcessEnv = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    execFile(
      bin,
      args,
      { cwd, env: { ...env, ...extra }, encoding: 'utf8', timeout: 120_000 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') reject(error);
        else resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
      },
    );
  });
}

function gitProject(name: string, files: Record<string, string> = {}): string {
  const project = join(scratch, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(project, path)), { recursive: true });
    writeFileSync(join(project, path), text);
  }
  mkdirSync(project, { recursive: true });
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', ...args], { cwd: project });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '--allow-empty', '-m', 'first');
  return project;
}

test(`every command's --help from the installed ${manifest.name}; help <command> is the same`, async () => {
  assert.notEqual(manifest.name, 'orchestrator', 'the registry\'s "orchestrator" is somebody else\'s package');
  const commands = Object.keys(COMMAND_HELP);
  const helps = new Map<string, string>();
  // Two at a time: each is a process of its own, as a user runs it.
  const queue = [...commands];
  await Promise.all(
    [0, 1].map(async () => {
      for (let command = queue.shift(); command; command = queue.shift()) {
        const result = await orchestrator([command, '--help'], scratch);
        assert.equal(result.code, 0, `${command} --help: ${result.stderr}`);
        assert.match(result.stdout, new RegExp(`^Usage: orchestrator ${command}\\b`), command);
        assert.doesNotMatch(result.stdout + result.stderr, /takes no argument|Commands:/, command);
        helps.set(command, result.stdout);
      }
    }),
  );
  // `help <command>` is parsed to the same request as `<command> --help` (one process shows it prints the same).
  for (const command of commands)
    assert.deepEqual(parseArgs(['help', command], '/ws'), parseArgs([command, '--help'], '/ws'), `help ${command}`);
  assert.equal((await orchestrator(['help', 'serve'], scratch)).stdout, helps.get('serve'));
  assert.match(helps.get('serve')!, /--port N\s+the port to listen on/);
  assert.match(helps.get('serve')!, /--host H\s+the address to listen on/);
  // A command that needs an argument still answers --help without one.
  assert.match(helps.get('feature')!, /^Usage: orchestrator feature "<request>"/);
  assert.match(
    helps.get('approve')!,
    /--assign "<task>=<layer>"\s+the layer of a task that names no file \(repeatable\), e\.g\. --assign\s+"T020=backend"; written into the spec's task line before approving/,
  );
  assert.match(
    (await orchestrator(['--help'], scratch)).stdout,
    /^Usage: orchestrator <command>[\s\S]*Commands:[\s\S]*serve \[--port N\] \[--host H\]/,
  );
});

test('init on an npm-workspaces project: a layer per workspace package, its commands run through the workspace; no warning', async () => {
  const project = gitProject('mono', {
    'package.json': JSON.stringify({ name: 'mono', private: true, workspaces: ['packages/*'] }),
    'packages/api/package.json': JSON.stringify({
      name: '@mono/api',
      version: '1.0.0',
      scripts: { test: 'node --test' },
    }),
    'packages/web/package.json': JSON.stringify({ name: '@mono/web', version: '1.0.0' }),
  });
  const init = await orchestrator(['init', '--no-verify'], project);
  assert.equal(init.code, 0, init.stderr);
  assert.doesNotMatch(init.stdout + init.stderr, /workspaces could not be listed|Cannot find module/);
  const config = readFileSync(join(project, '.claude', 'orchestrator.yaml'), 'utf8');
  assert.match(config, /^ {2}api: /m);
  assert.match(config, /packages\/web\/\*\*/);
  assert.match(config, /npm run test -w packages\/api/);
  // The portal's bundle loads from the installed package (`user` and `serve` share it).
  const users = await orchestrator(['user', 'list', '--json'], project);
  assert.equal(users.code, 0, users.stderr);
  assert.deepEqual(JSON.parse(users.stdout), []);
});

test('a feature, its backend on a CLI runner (the real Claude Code), against the Messages API test server', async () => {
  const scripted = pipelineScript({
    ...productAgents(),
    backend: (call) => (call.turn === 0 ? cc.write(call, { 'server/entities/product.js': PRODUCT_MODULE }) : cc.done()),
  });
  const api = await startMessagesApiServer(scripted.script);
  // The sample shop (its layers, validate commands and proof), backend on Claude Code.
  const shop = makeShop({ config: onClaudeCode(['backend']) });
  try {
    const run = await orchestrator(
      ['feature', 'Add a Product entity with name and price', '--approve', '--yes', '--json'],
      shop.dir,
      { ANTHROPIC_API_KEY: FAKE_KEY, ANTHROPIC_BASE_URL: api.url },
    );
    assert.equal(run.code, 0, run.stderr);
    const summary = JSON.parse(run.stdout) as { status: string; filesChanged: string[] };
    assert.equal(summary.status, 'completed', run.stderr);
    assert.deepEqual(summary.filesChanged, [
      'db/migrations/003_create_product.sql',
      'server/entities/product.js',
      'web/src/products.js',
    ]);
    assert.equal(shop.read('server/entities/product.js'), PRODUCT_MODULE);
    assert.deepEqual([...new Set(scripted.calls.map((c) => c.agent))].sort(), [
      'backend',
      'database',
      'frontend',
      'review',
      'spec',
    ]);
    assert.ok(
      scripted.callsOf('backend').every((c) => fromClaude(c.req)),
      "the backend's turns came from Claude Code (its Write tool), not our own agent",
    );
    assert.ok(!scripted.callsOf('database').some((c) => fromClaude(c.req)), 'the other layers on our own agent');
    assert.match(
      (await orchestrator(['specs'], shop.dir)).stdout,
      /\d{4}-\d{2}-\d{2}-product-entity\s+feature\s+completed\s+Product entity/,
    );
  } finally {
    shop.cleanup();
    await api.close();
  }
});

test('a Mermaid gate: a spec whose diagram does not parse stops the run, naming the line', async () => {
  const broken = `${PRODUCT_SPEC}\n## Flow\n\n\`\`\`mermaid\nsequenceDiagram\n  Client->>API POST /products\n\`\`\`\n`;
  const api = await startMessagesApiServer(
    pipelineScript({ spec: specAnswer('Product entity', 'product-entity', broken) }).script,
  );
  const shipped = readFileSync(join(installed, '.claude', 'workflows', 'feature.yaml'), 'utf8');
  const workflow = shipped.replace('path: "{spec}/spec.md"', 'path: "{spec}/spec.md"\n        checks: [mermaid]');
  assert.notEqual(workflow, shipped);
  const project = gitProject('gated', {
    '.claude/workflows/feature.yaml': workflow,
    '.claude/orchestrator.yaml': 'version: 1\n',
  });
  try {
    const run = await orchestrator(['feature', 'Add a Product entity', '--approve', '--json'], project, {
      ANTHROPIC_API_KEY: FAKE_KEY,
      ANTHROPIC_BASE_URL: api.url,
    });
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout + run.stderr, /spec\.md:\d+: Mermaid block \(sequenceDiagram\) at line \d+ does not parse/);
  } finally {
    await api.close();
  }
});

test('worker: joins the pool named by ORCHESTRATOR_QUEUE_URL, runs --pool lists it, SIGTERM drains it', async () => {
  const url = await freshDatabase(pg, 'installed');
  const project = gitProject('pooled', { '.claude/orchestrator.yaml': 'version: 1\n' });
  const remote = join(scratch, 'remote.git');
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', remote]);
  execFileSync('git', ['remote', 'add', 'origin', remote], { cwd: project });
  execFileSync('git', ['push', '-q', 'origin', 'main'], { cwd: project });
  const poolEnv = { ORCHESTRATOR_QUEUE_URL: url, ANTHROPIC_API_KEY: FAKE_KEY, XDG_CACHE_HOME: join(scratch, 'cache') };
  const worker = spawn(bin, ['worker', '--name', 'installed'], {
    cwd: project,
    env: { ...env, ...poolEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  worker.stdout.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
  worker.stderr.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
  const ended = new Promise<number | null>((resolve) => worker.on('close', resolve));
  try {
    for (let i = 0; i < 300 && !/joined the pool/.test(log) && worker.exitCode === null; i++)
      await new Promise((r) => setTimeout(r, 100));
    assert.match(log, /worker installed: joined the pool at .* \(remote /, log);
    const runs = await orchestrator(['runs', '--pool', '--json'], project, poolEnv);
    assert.equal(runs.code, 0, runs.stderr);
    worker.kill('SIGTERM');
    assert.equal(await ended, 0, log);
    assert.match(log, /draining 0 run\(s\)[\s\S]*stopped/);
  } finally {
    if (worker.exitCode === null) worker.kill('SIGKILL');
  }
});
