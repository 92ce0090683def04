import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { createCheckpoint } from '../../../src/core/git/checkpoint';
import { rollbackRun } from '../../../src/core/git/rollback';
import { git, gitSnapshot, hashTree, indexHash, initRepo, isolatedGit, tempDir, write } from '../../support/gitFixture';

describe('rollbackRun', () => {
  const dirs = isolatedGit();
  const newDir = (prefix?: string) => {
    const dir = tempDir(prefix);
    dirs.push(dir);
    return dir;
  };

  const IMAGE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0xff, 0xfe, 0x80]);

  /** A repo as a user leaves it before a run: committed files, a stash, staged and unstaged edits. */
  async function workspaceBeforeRun(): Promise<{ dir: string; ref: string }> {
    const dir = newDir();
    initRepo(dir);
    write(dir, '.gitignore', 'local.env\n');
    write(dir, 'server/api.ts', 'export const api = 1;\r\n');
    write(dir, 'server/routes.ts', 'routes\n');
    write(dir, 'web/logo.png', IMAGE);
    write(dir, 'scripts/build.sh', '#!/bin/sh\necho build\n');
    chmodSync(join(dir, 'scripts/build.sh'), 0o755);
    write(dir, 'user/notes.md', 'committed notes\n');
    write(dir, 'user/staged.md', 'committed\n');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'base');
    write(dir, 'user/notes.md', 'stashed edit\n');
    git(dir, 'stash', 'push', '-q', '-m', 'keep me');
    write(dir, 'user/notes.md', "the user's uncommitted edit\n");
    write(dir, 'user/staged.md', 'staged by the user\n');
    git(dir, 'add', 'user/staged.md');
    write(dir, 'user/scratch.txt', 'untracked scratch file\n');
    write(dir, 'local.env', 'IGNORED=1\n');
    mkdirSync(join(dir, 'empty-before-run'));
    const checkpoint = await createCheckpoint(dir, 'rollback-run');
    assert.ok(checkpoint);
    return { dir, ref: checkpoint.ref };
  }

  it('restores written and deleted files byte-exact, removes created ones, leaves everything else alone', async () => {
    const { dir, ref } = await workspaceBeforeRun();
    const treeBefore = hashTree(dir);
    const gitBefore = gitSnapshot(dir);
    const indexBefore = indexHash(dir);

    // The run: edits text and binary files, breaks a mode, creates files in new directories, deletes one.
    write(dir, 'server/api.ts', 'export const api = 2;\n');
    write(dir, 'web/logo.png', Buffer.from([1, 2, 3]));
    write(dir, 'scripts/build.sh', '#!/bin/sh\necho hacked\n');
    chmodSync(join(dir, 'scripts/build.sh'), 0o644);
    write(dir, 'server/new/handler.ts', 'created\n');
    write(dir, 'web/deep/a/b/c.ts', 'created deep\n');
    write(dir, 'web/tmp.ts', 'created then deleted\n');
    unlinkSync(join(dir, 'web/tmp.ts'));
    unlinkSync(join(dir, 'server/routes.ts'));
    // Meanwhile the user keeps working on files the run never touched.
    write(dir, 'user/during-run.txt', 'written by the user during the run\n');
    write(dir, 'user/scratch.txt', 'scratch edited during the run\n');

    const result = await rollbackRun(dir, ref, {
      written: ['server/api.ts', 'web/logo.png', 'scripts/build.sh'],
      created: ['server/new/handler.ts', 'web/deep/a/b/c.ts', 'web/tmp.ts'],
      deleted: ['server/routes.ts'],
    });

    assert.deepEqual(result.restored, ['scripts/build.sh', 'server/api.ts', 'server/routes.ts', 'web/logo.png']);
    assert.deepEqual(result.removed, ['server/new/handler.ts', 'web/deep/a/b/c.ts']);
    assert.deepEqual(result.removedDirs, ['server/new', 'web/deep', 'web/deep/a', 'web/deep/a/b']);
    assert.deepEqual(result.unchanged, ['web/tmp.ts']);
    assert.deepEqual(result.skipped, []);

    const expected = new Map(treeBefore);
    expected.set('user/during-run.txt', hashTree(dir).get('user/during-run.txt')!);
    expected.set('user/scratch.txt', hashTree(dir).get('user/scratch.txt')!);
    assert.deepEqual(hashTree(dir), expected);
    assert.equal(readFileSync(join(dir, 'user/scratch.txt'), 'utf8'), 'scratch edited during the run\n');
    assert.equal(readFileSync(join(dir, 'user/notes.md'), 'utf8'), "the user's uncommitted edit\n");
    assert.deepEqual(readFileSync(join(dir, 'web/logo.png')), IMAGE);
    assert.equal(statSync(join(dir, 'scripts/build.sh')).mode & 0o111, 0o111);
    assert.equal(indexHash(dir), indexBefore, 'rollback must not write the index');
    const gitAfter = gitSnapshot(dir);
    for (const key of ['head', 'symbolicHead', 'branches', 'stash', 'staged'] as const) {
      assert.equal(gitAfter[key], gitBefore[key], key);
    }
  });

  it('a second rollback finds nothing left to do', async () => {
    const { dir, ref } = await workspaceBeforeRun();
    write(dir, 'server/api.ts', 'changed\n');
    write(dir, 'server/x.ts', 'created\n');
    const touched = { written: ['server/api.ts'], created: ['server/x.ts'], deleted: [] };
    await rollbackRun(dir, ref, touched);
    const tree = hashTree(dir);
    const again = await rollbackRun(dir, ref, touched);
    assert.deepEqual(again.restored, []);
    assert.deepEqual(again.removed, []);
    assert.deepEqual(again.unchanged, ['server/api.ts', 'server/x.ts']);
    assert.deepEqual(hashTree(dir), tree);
  });

  it('refuses paths outside the workspace, under .git or through a symlink, and touches none of them', async () => {
    const { dir, ref } = await workspaceBeforeRun();
    const outside = newDir('orch-outside-');
    write(outside, 'victim.txt', 'must survive\n');
    symlinkSync(outside, join(dir, 'link'));
    const gitConfig = readFileSync(join(dir, '.git/config'));
    const result = await rollbackRun(dir, ref, {
      written: ['../victim.txt', join(outside, 'victim.txt'), '.git/config'],
      created: ['link/victim.txt', 'server/../../victim.txt', 'sub/.GIT/hooks/x'],
      deleted: [],
    });
    assert.deepEqual(
      result.skipped.map((s) => [s.path, s.reason]),
      [
        ['../victim.txt', 'refused: outside the workspace'],
        [join(outside, 'victim.txt'), 'refused: absolute path, outside the workspace'],
        ['.git/config', 'refused: under .git'],
        ['link/victim.txt', 'refused: goes through the symlink link'],
        ['server/../../victim.txt', 'refused: outside the workspace'],
        ['sub/.GIT/hooks/x', 'refused: under .git'],
      ],
    );
    assert.equal(readFileSync(join(outside, 'victim.txt'), 'utf8'), 'must survive\n');
    assert.deepEqual(readFileSync(join(dir, '.git/config')), gitConfig);
    assert.deepEqual([result.restored, result.removed, result.unchanged], [[], [], []]);
  });

  it('leaves a written file alone when the checkpoint has no copy of it (git-ignored)', async () => {
    const { dir, ref } = await workspaceBeforeRun();
    write(dir, 'local.env', 'IGNORED=2\n');
    const result = await rollbackRun(dir, ref, { written: ['local.env'], created: [], deleted: [] });
    assert.equal(result.skipped.length, 1);
    assert.match(result.skipped[0]!.reason, /not in the checkpoint/);
    assert.equal(readFileSync(join(dir, 'local.env'), 'utf8'), 'IGNORED=2\n');
  });

  it('restores instead of deleting a "created" path that existed at the checkpoint', async () => {
    const { dir, ref } = await workspaceBeforeRun();
    write(dir, 'user/scratch.txt', 'overwritten\n');
    const result = await rollbackRun(dir, ref, { written: [], created: ['user/scratch.txt'], deleted: [] });
    assert.deepEqual(result.restored, ['user/scratch.txt']);
    assert.equal(readFileSync(join(dir, 'user/scratch.txt'), 'utf8'), 'untracked scratch file\n');
  });

  it('keeps directories that existed at the checkpoint even when they end up empty', async () => {
    const { dir, ref } = await workspaceBeforeRun();
    write(dir, 'server/only.ts', 'created\n');
    const result = await rollbackRun(dir, ref, { written: [], created: ['server/only.ts'], deleted: [] });
    assert.deepEqual(result.removedDirs, []);
    assert.ok(existsSync(join(dir, 'server/api.ts')));
  });

  it('fails clearly when the checkpoint does not exist', async () => {
    const { dir } = await workspaceBeforeRun();
    await assert.rejects(
      rollbackRun(dir, 'refs/orchestrator/nope', { written: [], created: [], deleted: [] }),
      /Checkpoint refs\/orchestrator\/nope not found/,
    );
  });
});
