// Issue 71 item 2: `npm run release` builds in a copy without .git, yet every artifact names the
// commit it was released from (`-dirty` when the checkout had changes): the tarball installed with
// npm says it on --version, the .vsix installed by code-server's CLI says it in its log's first
// line (the bundle's stamp) and through the CLI it carries, and the Action's tree on its job's first line.
// The Action's tree (release/action/, and what `init --github-action` vendors) holds only what runs,
// within the size docs/github-action.md states. One production build serves all three: it is most of the time.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { test } from 'node:test';
// @ts-expect-error -- a plain .mjs script without type declarations
import { ACTION_MAX_BYTES } from '../../../scripts/artifacts.mjs';
// @ts-expect-error -- a plain .mjs script without type declarations
import { builtFrom } from '../../../scripts/builtFrom.mjs';
// @ts-expect-error -- a plain .mjs script without type declarations
import { buildStaged, installVsix, vscePackage } from '../../../scripts/package.mjs';
// @ts-expect-error -- a plain .mjs script without type declarations
import { actionTree, packCli } from '../../../scripts/release.mjs';
import { unresolvedLinks } from '../../support/cli/artifactKit';
import { ROOT } from '../../support/cli/cliKit';

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  bin: Record<string, string>;
};
const stamp = builtFrom as (dir: string, options?: { untracked?: boolean }) => string | null;

test('the commit a build names: short HEAD, -dirty with a changed file (a new one too, for a release), none outside git', () => {
  const dir = mkdtempSync(join(tmpdir(), 'orch-built-from-'));
  try {
    assert.equal(stamp(dir), null, 'outside git');
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', ...args], {
        cwd: dir,
        encoding: 'utf8',
      }).trim();
    git('init', '-q', '-b', 'main');
    writeFileSync(join(dir, 'a.txt'), 'one\n');
    git('add', '-A');
    git('commit', '-q', '-m', 'first');
    const head = git('rev-parse', '--short', 'HEAD');
    assert.equal(stamp(dir, { untracked: true }), head);
    writeFileSync(join(dir, 'new.ts'), 'export {};\n');
    assert.equal(stamp(dir), head, 'a development build does not count new files');
    assert.equal(stamp(dir, { untracked: true }), `${head}-dirty`, "a release's copy holds them");
    rmSync(join(dir, 'new.ts'));
    writeFileSync(join(dir, 'a.txt'), 'two\n');
    assert.equal(stamp(dir), `${head}-dirty`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The Action's tree holds what runs, within the size the docs state (and its README says). */
function checkActionTree(tree: string): void {
  const files = readdirSync(tree, { recursive: true, encoding: 'utf8' }).filter((f) =>
    statSync(join(tree, f)).isFile(),
  );
  const bytes = files.reduce((sum, file) => sum + statSync(join(tree, file)).size, 0);
  assert.ok(bytes <= (ACTION_MAX_BYTES as number), `${bytes} bytes`);
  const docs = readFileSync(join(ROOT, 'docs/github-action.md'), 'utf8');
  const stated = /about ([\d.]+) MB \((\d+) files\), at most ([\d.]+) MB/.exec(docs);
  assert.ok(stated, 'docs/github-action.md states the size');
  assert.equal(Number(stated[3]) * 1_000_000, ACTION_MAX_BYTES);
  assert.ok(Math.abs(Number(stated[1]) * 1_000_000 - bytes) < 300_000, `the docs say ${stated[1]} MB, it is ${bytes}`);
  assert.equal(Number(stated[2]), files.length);
  assert.match(
    readFileSync(join(tree, 'README.md'), 'utf8'),
    new RegExp(`${files.length} files, ${(bytes / 1e6).toFixed(1)} MB`),
  );
  const manifest = JSON.parse(readFileSync(join(tree, 'package.json'), 'utf8')) as Record<string, unknown>;
  for (const key of ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies', 'scripts'])
    assert.equal(manifest[key], undefined, key);
  assert.deepEqual(
    files.filter((f) =>
      /^(examples|\.claude\/context)\/|^dist\/(mermaid|mcp|portal|pool)\.js$|^CHANGELOG|\.map$/.test(f),
    ),
    [],
  );
}

test("a release's tarball, .vsix and Action, each installed as a user gets it, name the checkout's commit; the Action's tree holds only what runs, within its stated size", () => {
  // What git says of this checkout now, independently of the build's own reading.
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  const commit = `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain') ? '-dirty' : ''}`;
  const line = `${manifest.name} ${manifest.version} (commit ${commit})`;
  const scratch = mkdtempSync(join(tmpdir(), 'orch-release-commit-'));
  const staging = (buildStaged as () => string)();
  try {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`,
    };
    for (const key of Object.keys(env)) if (/^(npm_|ORCHESTRATOR_)/i.test(key)) delete env[key];

    // The tarball, installed globally into an empty prefix, offline.
    const tarball = (packCli as (dir: string, out: string) => string)(staging, join(scratch, 'pack'));
    const prefix = join(scratch, 'prefix');
    mkdirSync(prefix);
    execFileSync(
      'npm',
      ['install', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', '--loglevel=error', tarball],
      { cwd: scratch, env, encoding: 'utf8' },
    );
    const bin = join(prefix, 'bin', Object.keys(manifest.bin)[0]!);
    assert.equal(execFileSync(bin, ['--version'], { cwd: scratch, env, encoding: 'utf8' }), `${line}\n`);
    assert.deepEqual(JSON.parse(execFileSync(bin, ['--version', '--json'], { cwd: scratch, env, encoding: 'utf8' })), {
      name: manifest.name,
      version: manifest.version,
      commit,
    });

    // The .vsix, installed by code-server's own CLI: its bundle logs the line at activation, and the CLI it starts says it too.
    const vsix = (vscePackage as (dir: string, out: string) => string)(staging, join(scratch, 'ext.vsix'));
    // Where vsce renames README.md, CHANGELOG.md and LICENSE, every link of its pages resolves inside it.
    const unzip = (...args: string[]) => execFileSync('unzip', args, { encoding: 'utf8', maxBuffer: 64 << 20 });
    const stored = unzip('-Z1', vsix)
      .split('\n')
      .filter((entry) => entry.startsWith('extension/'))
      .map((entry) => entry.slice('extension/'.length));
    assert.ok(stored.includes('readme.md') && stored.includes('LICENSE.txt'), 'as vsce stores them');
    assert.deepEqual(
      unresolvedLinks(stored, (file) => unzip('-p', vsix, `extension/${file}`)),
      [],
    );
    const installed = (installVsix as (vsix: string, dir: string) => string)(vsix, join(scratch, 'extensions'));
    const extension = readFileSync(join(installed, 'dist', 'extension.js'), 'utf8');
    assert.ok(extension.includes(JSON.stringify(commit)), 'the extension bundle carries the commit');
    assert.ok(!extension.includes('ORCH_COMMIT'), 'stamped, not left to the host');
    assert.equal(
      execFileSync(process.execPath, [join(installed, 'dist', 'cli.js'), '--version'], { env, encoding: 'utf8' }),
      `${line}\n`,
    );

    // The Action's tree, run as a runner runs it (action.yml's runs.main) on an event it ignores: its first line.
    const action = (actionTree as (dir: string, to: string, max: number) => string)(
      staging,
      join(scratch, 'action'),
      ACTION_MAX_BYTES as number,
    );
    checkActionTree(action);
    const main = /^\s+main: (\S+)$/m.exec(readFileSync(join(action, 'action.yml'), 'utf8'))![1]!;
    const repo = join(scratch, 'repo');
    mkdirSync(repo);
    writeFileSync(join(scratch, 'event.json'), JSON.stringify({ ref: 'refs/heads/main' }));
    writeFileSync(join(scratch, 'output'), '');
    const job = spawnSync(process.execPath, [join(action, main)], {
      cwd: repo,
      encoding: 'utf8',
      env: {
        PATH: env.PATH,
        HOME: scratch,
        GITHUB_EVENT_NAME: 'push',
        GITHUB_EVENT_PATH: join(scratch, 'event.json'),
        GITHUB_OUTPUT: join(scratch, 'output'),
        GITHUB_REPOSITORY: 'acme/shop',
        GITHUB_WORKSPACE: repo,
        'INPUT_GITHUB-TOKEN': 'ghs_0000000000000000000000000000000000000',
      },
    });
    assert.equal(job.status, 0, job.stdout + job.stderr);
    assert.equal(job.stdout.split('\n')[0], `Orchestrator: ${line}`);
    assert.match(readFileSync(join(scratch, 'output'), 'utf8'), /^status<<(\S+)\nignored\n\1$/m);
    // Its CLI (the checks' job runs it from the tree) says the same.
    assert.equal(
      execFileSync(process.execPath, [join(action, 'dist', 'cli.js'), '--version'], { env, encoding: 'utf8' }),
      `${line}\n`,
    );
  } finally {
    rmSync(staging, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  }
});
