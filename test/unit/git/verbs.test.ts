// The git room's verbs for the other rooms (issue 62: git runs only in src/core/git): a ref moved
// only while it has the value expected, a branch never overwritten, a tree's changes, a remote's
// refs fetched and pushed, a state commit's objects written and read back, git's user.name.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  cloneBare,
  commitWith,
  deleteRef,
  fetchRefspecs,
  gitUserName,
  hashText,
  makeTree,
  pushRefspecs,
  readText,
  refsUnder,
  remoteCommit,
  revParse,
  revParseQuiet,
  treeChanges,
  treePaths,
  updateRef,
  validBranchName,
} from '../../../src/core/git';
import { committedRepo, git, isolatedGit, tempDir, write } from '../../support/gitFixture';

isolatedGit();

const IDENTITY = {
  GIT_AUTHOR_NAME: 'T',
  GIT_AUTHOR_EMAIL: 't@localhost',
  GIT_COMMITTER_NAME: 'T',
  GIT_COMMITTER_EMAIL: 't@localhost',
};

test('refs: moved only while they still have the value expected; a branch made only where none is; deleted only while unchanged', async () => {
  const dir = committedRepo({ 'a.txt': 'a\n' });
  const first = await revParse(dir, 'HEAD^{commit}');
  write(dir, 'a.txt', 'b\n');
  git(dir, 'commit', '-qam', 'second');
  const second = await revParse(dir, 'HEAD^{commit}');

  await updateRef(dir, 'refs/heads/kept', first, { reason: 'test', old: '' });
  await assert.rejects(
    updateRef(dir, 'refs/heads/kept', second, { old: '' }),
    'an existing branch is never overwritten',
  );
  await assert.rejects(
    updateRef(dir, 'refs/heads/kept', second, { old: second }),
    'moved only from the value expected',
  );
  await updateRef(dir, 'refs/heads/kept', second, { old: first });
  assert.equal(await revParseQuiet(dir, 'refs/heads/kept'), second);

  await assert.rejects(deleteRef(dir, 'refs/heads/kept', first));
  await deleteRef(dir, 'refs/heads/kept', second);
  assert.equal(await revParseQuiet(dir, 'refs/heads/kept'), '', 'a name naming nothing reads as empty');
  await assert.rejects(revParse(dir, 'refs/heads/kept'), /Needed a single revision/);

  assert.equal(await validBranchName(dir, 'orchestrator/x'), true);
  assert.equal(await validBranchName(dir, 'bad..name'), false);
  assert.deepEqual(await treeChanges(dir, first, second), [{ status: 'M', path: 'a.txt' }]);
});

test('objects and remotes: a commit of text files pushed with a lease, listed, fetched into a clone and read back', async () => {
  const dir = committedRepo({ 'a.txt': 'a\n' });
  const blob = await hashText(dir, 'state\n', IDENTITY);
  const inner = await makeTree(dir, [`100644 blob ${blob}\tj.jsonl`], IDENTITY);
  const tree = await makeTree(dir, [`100644 blob ${blob}\tstate.json`, `040000 tree ${inner}\truns`], IDENTITY);
  const base = await revParse(dir, 'HEAD^{commit}');
  const commit = await commitWith(dir, tree, [base, base], 'state', IDENTITY);
  assert.equal(
    git(dir, 'log', '-1', '--format=%an %P', commit).trim(),
    `T ${base}`,
    'in the name given, each parent once',
  );
  assert.deepEqual(await treePaths(dir, commit), ['runs/j.jsonl', 'state.json', '']);

  const remote = join(tempDir(), 'remote.git');
  await cloneBare(dir, remote);
  await pushRefspecs(dir, remote, [`${commit}:refs/orchestrator/state/7`], {
    noVerify: true,
    lease: 'refs/orchestrator/state/7:',
  });
  await assert.rejects(
    pushRefspecs(dir, remote, [`${base}:refs/orchestrator/state/7`], { lease: 'refs/orchestrator/state/7:' }),
    'the lease: must not exist yet',
  );
  assert.equal(await remoteCommit(dir, remote, 'refs/orchestrator/state/7'), commit);
  assert.equal(await remoteCommit(dir, remote, 'refs/orchestrator/state/8'), undefined);

  const other = committedRepo({ 'b.txt': 'b\n' });
  await fetchRefspecs(other, remote, ['+refs/orchestrator/state/*:refs/orchestrator/state/*'], {
    noFetchHead: true,
    depth: 1,
  });
  assert.deepEqual(await refsUnder(other, 'refs/orchestrator/state/'), [{ ref: 'refs/orchestrator/state/7', commit }]);
  assert.equal(await readText(other, `${commit}:runs/j.jsonl`), 'state\n');
});

test("git's user.name: the repository's, else none (the global config is isolated here)", async () => {
  const dir = committedRepo({ 'a.txt': 'a\n' });
  assert.equal(await gitUserName(dir, true), '');
  git(dir, 'config', 'user.name', 'Ada');
  assert.equal(await gitUserName(dir), 'Ada');
  assert.equal(await gitUserName(dir, true), '', "global: the repository's own is not read");
});
