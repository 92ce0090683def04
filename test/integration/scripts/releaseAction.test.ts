// Issue 48: the GitHub Action runs dist/action.js from its release tag's tree, and dist/ is in no
// branch: scripts/release-action.mjs makes the release commit (HEAD's tree and what the build's
// `action` list adds to it) and its tags. The released tree is run as a runner runs it, on an event.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { releaseAction } from '../../../scripts/release-action.mjs';
import { artifacts } from '../../support/cli/artifactKit';
import { ROOT } from '../../support/cli/cliKit';

test("a release: one commit on HEAD holding what the build's action list adds to it, tagged v1.2.0 and v1, HEAD and the index untouched; the tag's tree runs a job; a version is not released twice", () => {
  const listed = artifacts().action;
  const dir = mkdtempSync(join(tmpdir(), 'release-action-'));
  try {
    const repo = join(dir, 'repo');
    mkdirSync(repo);
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: repo,
        encoding: 'utf8',
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 'T',
          GIT_AUTHOR_EMAIL: 't@example.com',
          GIT_COMMITTER_NAME: 'T',
          GIT_COMMITTER_EMAIL: 't@example.com',
        },
      }).trim();
    git('init', '-q', '-b', 'main');
    copyFileSync(join(ROOT, 'action.yml'), join(repo, 'action.yml'));
    writeFileSync(join(repo, '.gitignore'), 'dist/\n');
    git('add', '-A');
    git('commit', '-q', '-m', 'source');
    const head = git('rev-parse', 'HEAD');

    // The Action's files HEAD lacks come from the build (here the checkout's).
    const commit = releaseAction(repo, 'v1.2.0', ROOT);
    assert.equal(git('rev-parse', 'v1.2.0^{commit}'), commit);
    assert.equal(git('rev-parse', 'v1^{commit}'), commit);
    assert.equal(git('rev-parse', `${commit}^`), head, 'on HEAD');
    assert.equal(git('rev-parse', 'HEAD'), head, 'HEAD untouched');
    assert.equal(git('status', '--porcelain'), '', 'the index untouched');
    assert.equal(git('branch', '--contains', commit), '', 'on no branch');
    assert.deepEqual(
      git('ls-tree', '-r', '--name-only', commit).split('\n').sort(),
      ['.gitignore', ...listed].sort(),
      "HEAD's files and the `action` list",
    );
    assert.throws(() => releaseAction(repo, 'v1.2.0'), /exists already/);
    assert.throws(() => releaseAction(repo, '1.3'), /vMAJOR\.MINOR\.PATCH/);

    // The tag's tree as a runner fetches it (uses: …@v1): action.yml's runs.main, on an event it ignores.
    const action = join(dir, 'action');
    mkdirSync(action);
    execFileSync('tar', ['-x', '-C', action], {
      input: execFileSync('git', ['archive', 'v1'], { cwd: repo, maxBuffer: 256 * 1024 * 1024 }),
    });
    const main = /^\s+main: (\S+)$/m.exec(readFileSync(join(action, 'action.yml'), 'utf8'))![1]!;
    writeFileSync(join(dir, 'event.json'), JSON.stringify({ ref: 'refs/heads/main' }));
    writeFileSync(join(dir, 'output'), '');
    const job = spawnSync(process.execPath, [join(action, main)], {
      cwd: repo,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        HOME: dir,
        GITHUB_EVENT_NAME: 'push',
        GITHUB_EVENT_PATH: join(dir, 'event.json'),
        GITHUB_OUTPUT: join(dir, 'output'),
        GITHUB_REPOSITORY: 'acme/shop',
        GITHUB_WORKSPACE: repo,
        'INPUT_GITHUB-TOKEN': 'ghs_0000000000000000000000000000000000000',
      },
    });
    assert.equal(job.status, 0, job.stdout + job.stderr);
    assert.match(readFileSync(join(dir, 'output'), 'utf8'), /^status<<(\S+)\nignored\n\1$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
