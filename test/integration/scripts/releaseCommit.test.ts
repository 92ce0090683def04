// Issue 71 item 2: `npm run release` builds in a copy without .git, yet every artifact names the
// commit it was released from (`-dirty` when the checkout had changes): the tarball installed with
// npm says it on --version, the .vsix installed by code-server's CLI says it in its log's first
// line (the bundle's stamp) and through the CLI it carries, and the Action's tree on its job's first line.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { test } from 'node:test';
// @ts-expect-error -- a plain .mjs script without type declarations
import { builtFrom } from '../../../scripts/builtFrom.mjs';
// @ts-expect-error -- a plain .mjs script without type declarations
import { buildStaged, installVsix, vscePackage } from '../../../scripts/package.mjs';
// @ts-expect-error -- a plain .mjs script without type declarations
import { actionTree, packCli } from '../../../scripts/release.mjs';
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

test("a release's tarball, .vsix and Action, each installed as a user gets it, name the checkout's commit", () => {
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
    const installed = (installVsix as (vsix: string, dir: string) => string)(vsix, join(scratch, 'extensions'));
    const extension = readFileSync(join(installed, 'dist', 'extension.js'), 'utf8');
    assert.ok(extension.includes(JSON.stringify(commit)), 'the extension bundle carries the commit');
    assert.ok(!extension.includes('ORCH_COMMIT'), 'stamped, not left to the host');
    assert.equal(
      execFileSync(process.execPath, [join(installed, 'dist', 'cli.js'), '--version'], { env, encoding: 'utf8' }),
      `${line}\n`,
    );

    // The Action's tree, run as a runner runs it (action.yml's runs.main) on an event it ignores: its first line.
    const action = (actionTree as (dir: string, to: string) => string)(staging, join(scratch, 'action'));
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
  } finally {
    rmSync(staging, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  }
});
