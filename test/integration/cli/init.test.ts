// `orchestrator init`: the census as a table, --json, verification, an existing config kept
// with a diff, --force with a .bak, and nothing changed outside .claude/ and .gitignore.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { parseArgs } from '../../../src/cli/args';
import { json, makeRepo } from '../../support/census';
import { buildCli, jsonOf, runCli } from '../../support/cli/cliKit';

before(() => buildCli());

const git = (dir: string, ...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });

/** backend/ in Python, frontend/ in Node; the frontend's scripts pass, fail, and call a missing tool. */
const repository = {
  '.gitignore': 'node_modules/\n',
  'backend/pyproject.toml': '[project]\nname = "api"\ndependencies = ["fastapi"]\n',
  'backend/app/main.py': 'app = 1\n',
  'frontend/package.json': json({
    name: 'frontend',
    dependencies: { react: '18' },
    scripts: {
      typecheck:
        "node -e \"console.log('checking'); console.error('src/App.tsx(3,7): error TS2322: Type string is not assignable'); process.exit(2)\"",
      lint: 'node -e "process.exit(0)"',
      test: 'orchestrator-test-missing-tool --run',
    },
  }),
  'frontend/src/App.tsx': 'export {}\n',
  'frontend/src/api.ts': 'export const BASE_URL = "http://localhost:8000/api";\n',
};

async function gitRepo(files: Record<string, string>) {
  const repo = await makeRepo(files);
  git(repo.dir, 'init', '-q');
  git(repo.dir, '-c', 'user.email=t@t', '-c', 'user.name=t', 'add', '-A');
  git(repo.dir, '-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'start');
  return repo;
}

test('init: parses --force and --no-verify, which belong to init only', () => {
  const args = parseArgs(['init', '--force', '--no-verify', '--json'], '/w');
  assert.deepEqual([args.command, args.force, args.noVerify, args.json], ['init', true, true, true]);
  assert.throws(() => parseArgs(['feature', 'x', '--force'], '/w'), /--force belongs to init/);
});

test('init: a table of layers, owns, commands and verification; failing and missing commands are no gates; only .claude/ and .gitignore change; gc loads it', async () => {
  const repo = await gitRepo(repository);
  try {
    const result = await runCli(['init', '--workspace', repo.dir], { cwd: repo.dir });
    assert.equal(result.code, 0, result.stderr);
    // The proposal first, then each command as it starts and ends, counted once over all of them, with the time so far.
    const proposal = result.stderr.indexOf('  frontend (frontend/**): cd frontend && npm run typecheck');
    assert.ok(proposal >= 0 && proposal < result.stderr.indexOf('Verifying '), result.stderr);
    const starts = [...result.stderr.matchAll(/^\[(\d+)\/(\d+)\] running /gm)];
    assert.deepEqual(
      starts.map((m) => Number(m[1])).sort((a, b) => a - b),
      starts.map((_, i) => i + 1),
    );
    assert.ok(
      starts.every((m) => Number(m[2]) === starts.length),
      result.stderr,
    );
    assert.match(result.stderr, /^✓ cd frontend && npm run lint: passed in \d+\.\d s \[\d+ s\]$/m);
    assert.match(result.stdout, /^layer\s+owns\s+validate\s+verification$/m);
    assert.match(
      result.stdout,
      /^frontend \(after backend\)\s+frontend\/\*\*\s+cd frontend && npm run typecheck\s+fails before any change$/m,
    );
    assert.match(result.stdout, /^\s+cd frontend && npm run lint\s+passed in \d+\.\d s$/m);
    assert.match(result.stdout, /cd frontend && npm run test\s+orchestrator-test-missing-tool is not installed/);
    assert.match(result.stdout, /error TS2322/, 'the first error lines are shown');
    assert.match(
      result.stdout,
      /^added \.claude\/runs\/ to \.gitignore$/m,
      'says it appended, not that it created .gitignore',
    );
    assert.match(result.stdout, /created \.claude\/context\/frontend\.context\.md/);

    const yaml = readFileSync(join(repo.dir, '.claude/orchestrator.yaml'), 'utf8');
    assert.match(yaml, /- cd frontend && npm run lint # from frontend\/package\.json; passed in/);
    assert.match(
      yaml,
      /# not a gate: cd frontend && npm run typecheck \(from frontend\/package\.json\) fails before any change:\n\s+#\s+src\/App\.tsx\(3,7\): error TS2322/,
    );
    assert.match(yaml, /# not a gate: cd frontend && npm run test .* orchestrator-test-missing-tool is not installed/);
    assert.match(yaml, /- frontend\/\*\* # from frontend\/package\.json/);
    assert.match(
      readFileSync(join(repo.dir, '.claude/context/frontend.context.md'), 'utf8'),
      /`cd frontend && npm run lint`/,
    );

    const status = git(repo.dir, 'status', '--porcelain', '--untracked-files=all')
      .split('\n')
      .filter(Boolean)
      .map((l) => l.slice(3));
    assert.ok(status.length > 0);
    for (const path of status) assert.ok(path === '.gitignore' || path.startsWith('.claude/'), `init changed ${path}`);
    const gc = await runCli(['gc', '--workspace', repo.dir], { cwd: repo.dir });
    assert.equal(gc.code, 0, gc.stderr);
  } finally {
    await repo.cleanup();
  }
});

test('init --json --no-verify: the contract summary; an existing config is kept and diffed; --force replaces it keeping a .bak', async () => {
  const repo = await gitRepo(repository);
  try {
    const first = await runCli(['init', '--no-verify', '--json', '--workspace', repo.dir], { cwd: repo.dir });
    assert.equal(first.code, 0, first.stderr);
    const summary = jsonOf(first) as {
      created: string[];
      layers: Record<string, { owns: string[]; validate: string[]; after?: string[]; verified: { status: string }[] }>;
      schema: string[];
      unowned: string[];
    };
    assert.ok(summary.created.includes('.claude/orchestrator.yaml'));
    assert.deepEqual(Object.keys(summary.layers).sort(), ['backend', 'frontend']);
    assert.deepEqual(summary.layers.frontend!.owns, ['frontend/**']);
    assert.deepEqual(summary.layers.frontend!.validate, [
      'cd frontend && npm run typecheck',
      'cd frontend && npm run lint',
      'cd frontend && npm run test',
    ]);
    assert.deepEqual(summary.layers.frontend!.after, ['backend']);
    assert.ok(
      summary.layers.frontend!.verified.every((v) => v.status === 'not-verified'),
      '--no-verify runs nothing',
    );
    assert.equal(summary.layers.backend!.after, undefined);
    assert.deepEqual(summary.schema, []);
    assert.deepEqual(summary.unowned, []);

    const config = join(repo.dir, '.claude/orchestrator.yaml');
    writeFileSync(config, 'version: 1\nlayers:\n  app: { owns: ["frontend/**"] }\n');
    const kept = await runCli(['init', '--no-verify', '--workspace', repo.dir], { cwd: repo.dir });
    assert.equal(kept.code, 0, kept.stderr);
    assert.match(kept.stdout, /exists and was kept/);
    assert.match(kept.stdout, /^- {2}app: \{ owns: \["frontend\/\*\*"\] \}$/m, 'the diff shows what would go');
    assert.match(kept.stdout, /^\+ {2}frontend: /m, 'and what would come');
    assert.equal(
      readFileSync(config, 'utf8'),
      'version: 1\nlayers:\n  app: { owns: ["frontend/**"] }\n',
      'never overwritten without --force',
    );

    const forced = await runCli(['init', '--no-verify', '--force', '--workspace', repo.dir], { cwd: repo.dir });
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /kept the old config as \.claude\/orchestrator\.yaml\.bak/);
    assert.equal(readFileSync(`${config}.bak`, 'utf8'), 'version: 1\nlayers:\n  app: { owns: ["frontend/**"] }\n');
    assert.match(readFileSync(config, 'utf8'), /^ {2}frontend: /m);
    assert.ok(existsSync(join(repo.dir, '.claude/context/backend.context.md')));
  } finally {
    await repo.cleanup();
  }
});

test('init (the bundled CLI): npm workspaces are read, so commands are scoped with -w', async () => {
  const repo = await gitRepo({
    'package.json': json({ name: 'root', private: true, workspaces: ['apps/*'] }),
    'apps/web/package.json': json({
      name: 'web',
      dependencies: { react: '18' },
      scripts: { lint: 'node -e "process.exit(0)"' },
    }),
    'apps/web/src/App.tsx': 'export {}\n',
  });
  try {
    const result = await runCli(['init', '--no-verify', '--json', '--workspace', repo.dir], { cwd: repo.dir });
    assert.equal(result.code, 0, result.stderr);
    const summary = jsonOf(result) as { layers: Record<string, { validate: string[] }>; warnings: string[] };
    assert.deepEqual(summary.layers.frontend!.validate, ['npm run lint -w apps/web']);
    assert.deepEqual(summary.warnings, []);
  } finally {
    await repo.cleanup();
  }
});

test('init: a layer with no check found says what the census read and could not, in its summary and in the config, said once (issue 75)', async () => {
  const repo = await gitRepo({
    'site/package.json': json({ name: 'site', private: true }),
    'site/BUCK': 'js_library(name = "site")\n',
    'site/src/index.ts': 'export {}\n',
    '.buckconfig': '[project]\n',
    '.buildkite/pipeline.yml': 'steps:\n  - command: buck2 test //site/...\n',
  });
  try {
    const result = await runCli(['init', '--no-verify', '--workspace', repo.dir], { cwd: repo.dir });
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.split('\n');
    const at = lines.indexOf('site: no check found for site/');
    assert.ok(at > 0, result.stdout);
    assert.deepEqual(lines.slice(at + 1, at + 4), [
      '  read: site/package.json',
      '  could not use .buckconfig, site/BUCK: Buck, a build tool the census reads no projects or checks from',
      '  could not use .buildkite/: Buildkite, a CI kind the census does not read',
    ]);
    assert.doesNotMatch(result.stdout, /warn: layer site/);
    const config = readFileSync(join(repo.dir, '.claude/orchestrator.yaml'), 'utf8');
    assert.match(
      config,
      /# could not use \.buildkite\/: Buildkite, a CI kind the census does not read\n\s+validate: \[\]/,
    );
    const forced = await runCli(['init', '--no-verify', '--force', '--json', '--workspace', repo.dir], {
      cwd: repo.dir,
    });
    const summary = jsonOf(forced) as { layers: Record<string, { remainder?: { read: string[] } }> };
    assert.deepEqual(summary.layers.site!.remainder?.read, ['site/package.json']);
  } finally {
    await repo.cleanup();
  }
});
