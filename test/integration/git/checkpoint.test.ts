import { describe, it } from 'node:test';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import assert from 'node:assert/strict';
import { writeFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { checkpointRef, commitWorkTree, createCheckpoint, hasGit } from '../../../src/core/git/checkpoint';
import {
  git,
  gitBytes,
  gitSnapshot,
  hashTree,
  indexHash,
  initRepo,
  isolatedGit,
  tempDir,
  write,
} from '../../support/gitFixture';

describe('createCheckpoint', () => {
  const dirs = isolatedGit();
  const newDir = () => {
    const dir = tempDir();
    dirs.push(dir);
    return dir;
  };

  /** A repo in the middle of someone's work: commits, a stash, staged, unstaged, untracked and ignored files. */
  function busyRepo(): string {
    const dir = newDir();
    initRepo(dir);
    write(dir, '.gitignore', '*.log\nbuild/\n');
    write(dir, 'src/app.ts', 'export const a = 1;\n');
    write(dir, 'src/staged.ts', 'one\n');
    write(dir, 'src/gone.ts', 'to be deleted\n');
    write(dir, 'README.md', '# readme\n');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'first');
    write(dir, 'README.md', '# stashed change\n');
    git(dir, 'stash', 'push', '-q', '-m', 'user stash');
    write(dir, 'src/staged.ts', 'two (staged)\n');
    git(dir, 'add', 'src/staged.ts');
    write(dir, 'src/staged.ts', 'three (staged, then edited again)\n');
    write(dir, 'src/app.ts', 'export const a = 2; // unstaged\n');
    unlinkSync(join(dir, 'src/gone.ts'));
    write(dir, 'notes/untracked.md', 'untracked notes\n');
    write(dir, 'debug.log', 'ignored\n');
    write(dir, 'build/out.js', 'ignored too\n');
    return dir;
  }

  it('snapshots tracked changes and untracked files, not ignored ones, on a private ref', async () => {
    const dir = busyRepo();
    const checkpoint = await createCheckpoint(dir, 'run-1');
    assert.ok(checkpoint);
    assert.equal(checkpoint.ref, 'refs/orchestrator/run-1');
    assert.equal(git(dir, 'rev-parse', checkpoint.ref).trim(), checkpoint.commit);
    const files = git(dir, 'ls-tree', '-r', '--name-only', checkpoint.ref).trim().split('\n');
    assert.deepEqual(files, ['.gitignore', 'README.md', 'notes/untracked.md', 'src/app.ts', 'src/staged.ts']);
    // Work-tree content, not the staged or committed one.
    assert.equal(git(dir, 'show', `${checkpoint.ref}:src/staged.ts`), 'three (staged, then edited again)\n');
    assert.equal(git(dir, 'show', `${checkpoint.ref}:src/app.ts`), 'export const a = 2; // unstaged\n');
    assert.equal(git(dir, 'show', `${checkpoint.ref}:README.md`), '# readme\n');
    assert.equal(git(dir, 'rev-parse', `${checkpoint.ref}^`).trim(), git(dir, 'rev-parse', 'HEAD').trim());
  });

  it('leaves HEAD, the index, the stash, the branch and the work tree byte-identical', async () => {
    const dir = busyRepo();
    const before = gitSnapshot(dir); // may refresh .git/index, so hash it afterwards
    const indexBefore = indexHash(dir);
    const treeBefore = hashTree(dir);
    await createCheckpoint(dir, 'run-2');
    assert.equal(indexHash(dir), indexBefore, '.git/index bytes changed');
    assert.deepEqual(hashTree(dir), treeBefore);
    assert.deepEqual(gitSnapshot(dir), before);
    assert.match(Buffer.from(before.stash!, 'base64').toString(), /user stash/);
    assert.match(Buffer.from(before.staged!, 'base64').toString(), /two \(staged\)/);
  });

  it('works in a repository without commits and without user.name configured', async () => {
    const dir = newDir();
    initRepo(dir);
    write(dir, 'a.txt', 'hello\n');
    assert.throws(() => git(dir, 'config', '--global', 'user.name'), 'the test needs an unconfigured identity');
    assert.throws(() => git(dir, 'config', '--system', 'user.name'), 'the test needs an unconfigured identity');
    const before = gitSnapshot(dir);
    const checkpoint = await createCheckpoint(dir, 'first-run');
    assert.ok(checkpoint);
    assert.equal(git(dir, 'show', `${checkpoint.ref}:a.txt`), 'hello\n');
    assert.equal(git(dir, 'rev-list', '--count', checkpoint.ref).trim(), '1', 'a root commit, no parent');
    assert.match(git(dir, 'log', '-1', '--format=%an <%ae>', checkpoint.ref), /Orchestrator <orchestrator@localhost>/);
    assert.deepEqual(gitSnapshot(dir), before);
  });

  it('captures a file edited right after it was staged (same size, same second)', async () => {
    const dir = newDir();
    initRepo(dir);
    write(dir, 'racy.txt', 'aaaa');
    git(dir, 'add', 'racy.txt');
    write(dir, 'racy.txt', 'bbbb');
    const checkpoint = await createCheckpoint(dir, 'racy');
    assert.ok(checkpoint);
    assert.equal(git(dir, 'show', `${checkpoint.ref}:racy.txt`), 'bbbb');
  });

  it('keeps binary bytes exact', async () => {
    const dir = newDir();
    initRepo(dir);
    const bytes = Buffer.from([0, 255, 13, 10, 0, 128, 27, 13]);
    writeFileSync(join(dir, 'blob.bin'), bytes);
    const checkpoint = await createCheckpoint(dir, 'bin');
    assert.ok(checkpoint);
    assert.deepEqual(gitBytes(dir, 'cat-file', 'blob', `${checkpoint.ref}:blob.bin`), bytes);
  });

  it('outside a git repository returns undefined and warns', async () => {
    const dir = newDir();
    write(dir, 'a.txt', 'x');
    const warnings: string[] = [];
    assert.equal(await hasGit(dir), false);
    assert.equal(await createCheckpoint(dir, 'nogit', (w) => warnings.push(w)), undefined);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /not a git repository/);
    initRepo(dir);
    assert.equal(await hasGit(dir), true);
  });

  it('a file that appears and vanishes while git scans the work tree (a write through a temporary file) does not fail the snapshot', async () => {
    const dir = newDir();
    initRepo(dir);
    for (let i = 0; i < 200; i++) write(dir, `src/f${i}.txt`, `${i}\n`);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'files');
    // Another process writes four files again and again, each through a temporary one renamed over it.
    const churn = spawn(
      process.execPath,
      [
        '-e',
        "const fs = require('node:fs'); for (let i = 0; ; i = (i + 1) % 4) { fs.writeFileSync(`src/.spec${i}.md.tmp`, 'x'); fs.renameSync(`src/.spec${i}.md.tmp`, `src/spec${i}.md`); }",
      ],
      { cwd: dir, stdio: 'ignore' },
    );
    try {
      for (let i = 0; i < 30; i++) {
        const snapshot = await commitWorkTree(dir, `snapshot ${i}`);
        assert.ok(snapshot);
      }
    } finally {
      churn.kill('SIGKILL');
      await once(churn, 'close');
    }
  });

  it('commitWorkTree: the work tree as a commit on HEAD, under no ref', async () => {
    const dir = busyRepo();
    const refs = git(dir, 'for-each-ref');
    const snapshot = await commitWorkTree(dir, 'the work of run x');
    assert.ok(snapshot);
    assert.equal(git(dir, 'for-each-ref'), refs, 'no ref made');
    assert.equal(git(dir, 'rev-parse', `${snapshot.commit}^`).trim(), git(dir, 'rev-parse', 'HEAD').trim());
    assert.equal(git(dir, 'show', `${snapshot.commit}:src/app.ts`), 'export const a = 2; // unstaged\n');
    assert.equal(git(dir, 'log', '-1', '--format=%s', snapshot.commit).trim(), 'the work of run x');
    // A caller that knows the commit its worktree was made from names the parent itself.
    const onStash = await commitWorkTree(dir, 'on the stash', undefined, [], git(dir, 'rev-parse', 'stash@{0}').trim());
    assert.equal(git(dir, 'rev-parse', `${onStash!.commit}^`).trim(), git(dir, 'rev-parse', 'stash@{0}').trim());
    assert.equal(onStash!.tree, snapshot.tree);
  });

  it('refuses run ids that would make a bad ref', () => {
    assert.equal(checkpointRef('20261121-101530-ab12'), 'refs/orchestrator/20261121-101530-ab12');
    assert.throws(() => checkpointRef('../HEAD'), /Invalid runId/);
    assert.throws(() => checkpointRef('a b'), /Invalid runId/);
  });
});
