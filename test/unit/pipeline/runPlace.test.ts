// The run places' git (issue 72: git by purpose): a pool worker's clone readied and a pooled run's
// worktree made with the worker's linked folders; an Action job's checkout given back a run's kept work.
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cleanRunPlace, makeRunPlace, putRunWork, readyPooledClone } from '../../../src/core/pipeline/run';
import { committedRepo, git, isolatedGit, tempDir, write } from '../../support/gitFixture';

isolatedGit();

test("pooled: the worker's clone made once, then pointed at the remote again; a run's worktree from it with the linked folders", async () => {
  const remote = committedRepo({ 'a.txt': 'a\n' });
  const base = git(remote, 'rev-parse', 'HEAD').trim();
  const clone = join(tempDir(), 'pool', 'clone.git');
  await readyPooledClone(clone, remote);
  assert.equal(git(clone, 'rev-parse', '--is-bare-repository').trim(), 'true');
  const moved = join(tempDir(), 'moved.git');
  await readyPooledClone(clone, moved);
  assert.equal(git(clone, 'remote', 'get-url', 'origin').trim(), moved, 'the URL given now, the clone kept');

  const checkout = committedRepo({ 'b.txt': 'b\n' });
  mkdirSync(join(checkout, 'node_modules', 'dep'), { recursive: true });
  const runsDir = join(tempDir(), 'runs');
  const root = join(runsDir, 'r1');
  const place = {
    kind: 'pooled' as const,
    root,
    workspace: root,
    base,
    repo: clone,
    folder: runsDir,
    links: { from: checkout, folders: ['node_modules', 'absent'] },
  };
  await makeRunPlace(place);
  assert.equal(readFileSync(join(root, 'a.txt'), 'utf8'), 'a\n');
  assert.ok(lstatSync(join(root, 'node_modules')).isSymbolicLink(), "the worker's node_modules, linked");
  assert.equal(existsSync(join(root, 'absent')), false, 'a folder the checkout lacks is not linked');
  await cleanRunPlace(place);
  assert.equal(existsSync(root), false);
});

test("action-job: the checkout moved to the run's base, the run's kept work written on it (HEAD stays the base), its checkpoint ref set", async () => {
  const dir = committedRepo({ 'keep.txt': 'k\n', 'spec/old/spec.md': 'old\n' });
  const base = git(dir, 'rev-parse', 'HEAD').trim();
  write(dir, 'keep.txt', 'changed\n');
  git(dir, 'rm', '-q', '-r', 'spec/old');
  write(dir, 'spec/new/spec.md', 'new\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'work');
  const work = git(dir, 'rev-parse', 'HEAD').trim();
  write(dir, 'later.txt', 'l\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'the branch moved since');

  const checkpoint = { ref: 'refs/orchestrator/r1', commit: base };
  await putRunWork({ kind: 'action-job', root: dir, workspace: dir, base }, { work, checkpoint });
  assert.equal(git(dir, 'rev-parse', 'HEAD').trim(), base, 'HEAD at the base');
  assert.equal(readFileSync(join(dir, 'keep.txt'), 'utf8'), 'changed\n');
  assert.equal(readFileSync(join(dir, 'spec/new/spec.md'), 'utf8'), 'new\n');
  assert.equal(existsSync(join(dir, 'spec/old')), false, 'a deleted file gone with the folder it leaves empty');
  assert.equal(existsSync(join(dir, 'later.txt')), false, "the branch's later commit is not the run's");
  assert.equal(git(dir, 'rev-parse', checkpoint.ref).trim(), base);
  assert.equal(git(dir, 'diff', '--cached', '--name-only').trim(), '', 'the index stays the base');
});
