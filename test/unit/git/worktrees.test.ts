// Run worktrees' removal: git's record goes with the folder; a record whose folder vanished
// (a killed worker's, someone's rm -rf) is pruned, so the same path can be used again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chmodSync,
  existsSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { addWorktree, listWorktrees, removeWorktree } from '../../../src/core/git/worktrees';
import { git, initRepo, isolatedGit, tempDir, write } from '../../support/gitFixture';

const dirs = isolatedGit();

function repoWithRuns(): { repo: string; runs: string; head: string } {
  const repo = tempDir();
  const runs = tempDir('orch-runs-');
  dirs.push(repo, runs);
  initRepo(repo);
  write(repo, 'a.txt', 'a\n');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'first');
  return { repo, runs, head: git(repo, 'rev-parse', 'HEAD').trim() };
}

test("removeWorktree: the folder and git's record both go; the path can be used again", async () => {
  const { repo, runs, head } = repoWithRuns();
  const path = join(runs, 'run-1');
  await addWorktree(repo, path, head);
  write(path, 'b.txt', 'work\n');
  assert.equal((await listWorktrees(repo)).length, 1);
  await removeWorktree(repo, path, runs);
  assert.equal(existsSync(path), false);
  assert.deepEqual(await listWorktrees(repo), []);
  assert.equal(existsSync(join(repo, '.git', 'worktrees', 'run-1')), false, 'no admin folder left');
  await addWorktree(repo, path, head);
  assert.equal(git(path, 'rev-parse', 'HEAD').trim(), head);
});

test('removeWorktree: a worktree whose folder vanished (its record left behind) is pruned, and the path can be used again', async () => {
  const { repo, runs, head } = repoWithRuns();
  const path = join(runs, 'run-2');
  await addWorktree(repo, path, head);
  rmSync(path, { recursive: true, force: true });
  await assert.rejects(
    addWorktree(repo, path, head),
    /missing but already registered worktree/,
    'git refuses the path while its record stays',
  );
  await removeWorktree(repo, path, runs);
  assert.equal(existsSync(join(repo, '.git', 'worktrees', 'run-2')), false, 'the record is pruned');
  await addWorktree(repo, path, head);
  assert.equal(git(path, 'rev-parse', 'HEAD').trim(), head);
});

test("addWorktree: twenty at once (their checkouts side by side, outside the adds' line), each detached at the commit with its files and a clean index; a smudge filter of the repository never runs", async () => {
  const { repo, runs } = repoWithRuns();
  write(repo, 'src/deep/b.txt', 'b\n');
  write(repo, '.gitattributes', '*.txt filter=loud\n');
  git(repo, 'config', 'filter.loud.smudge', `sh -c 'touch "${join(runs, 'SMUDGED')}"; cat'`);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'second');
  const head = git(repo, 'rev-parse', 'HEAD').trim();
  const paths = Array.from({ length: 20 }, (_, i) => join(runs, `run-${i}`));
  await Promise.all(paths.map((path) => addWorktree(repo, path, head)));
  for (const path of paths) {
    assert.equal(git(path, 'rev-parse', 'HEAD').trim(), head);
    assert.equal(git(path, 'status', '--porcelain', '--untracked-files=all'), '', `${path} is clean`);
    assert.equal(git(path, 'rev-parse', '--abbrev-ref', 'HEAD').trim(), 'HEAD', 'detached');
    assert.ok(existsSync(join(path, 'src', 'deep', 'b.txt')));
  }
  assert.equal((await listWorktrees(repo)).length, 20);
  assert.equal(existsSync(join(runs, 'SMUDGED')), false, 'no filter ran');
});

test("addWorktree: the record written without git is git's own (listed detached, kept by prune, nothing half-made left); a commit the repository lacks leaves nothing; a sparse checkout's worktree still gets its patterns from git", async () => {
  const { repo, runs, head } = repoWithRuns();
  const path = join(runs, 'run-own');
  await addWorktree(repo, path, head);
  git(repo, 'worktree', 'prune');
  assert.match(
    git(repo, 'worktree', 'list', '--porcelain'),
    new RegExp(`worktree [^\\n]*run-own\\nHEAD ${head}\\ndetached`),
  );
  assert.deepEqual(
    readdirSync(join(repo, '.git')).filter((name) => name.startsWith('orchestrator-')),
    [],
    'no record half-made',
  );
  await assert.rejects(addWorktree(repo, join(runs, 'run-lacking'), 'f'.repeat(40)));
  assert.equal(existsSync(join(runs, 'run-lacking')), false);
  assert.deepEqual(readdirSync(join(repo, '.git', 'worktrees')), ['run-own']);
  write(repo, 'b.txt', 'b\n');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'second');
  git(repo, 'sparse-checkout', 'set', '--no-cone', '/a.txt');
  const sparse = join(runs, 'run-sparse');
  await addWorktree(repo, sparse, git(repo, 'rev-parse', 'HEAD').trim());
  assert.equal(existsSync(join(sparse, 'a.txt')), true);
  assert.equal(existsSync(join(sparse, 'b.txt')), false, "the sparse patterns came with git's add");
});

test("addWorktree while other runs' worktrees are removed (git deletes its emptied worktrees folder): every add succeeds and is listed", async () => {
  const { repo, runs, head } = repoWithRuns();
  let previous: string | undefined;
  for (let i = 0; i < 12; i++) {
    const path = join(runs, `turn-${i}`);
    const gone = previous;
    await Promise.all([addWorktree(repo, path, head), gone ? removeWorktree(repo, gone, runs) : undefined]);
    assert.equal(git(path, 'rev-parse', 'HEAD').trim(), head, `${path} is a worktree`);
    previous = path;
  }
  assert.deepEqual(await listWorktrees(repo), [previous]);
});

test("addWorktree: a tree of 300 files is written by git's parallel workers, one a core (at most eight), each file, mode and link as committed", async () => {
  const repo = tempDir();
  const runs = tempDir('orch-runs-');
  dirs.push(repo, runs);
  initRepo(repo);
  for (let i = 0; i < 300; i++) write(repo, `src/d${i % 10}/f${i}.txt`, `file ${i}\n`);
  chmodSync(join(repo, 'src/d0/f0.txt'), 0o755);
  symlinkSync('d1/f1.txt', join(repo, 'src', 'link.txt'));
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'many');
  // git's own record of the processes it starts (trace2 reads only the user's and the system's config).
  const events = join(runs, 'trace2.json');
  const userConfig = join(process.env.HOME!, '.gitconfig');
  writeFileSync(userConfig, `[trace2]\n\teventTarget = ${events}\n`);
  const path = join(runs, 'run-1');
  try {
    await addWorktree(repo, path, git(repo, 'rev-parse', 'HEAD').trim());
  } finally {
    rmSync(userConfig);
  }
  const workers = readFileSync(events, 'utf8')
    .split('\n')
    .filter((line) => line.includes('"event":"child_start"') && line.includes('"checkout--worker"')).length;
  const cores = Math.min(availableParallelism(), 8);
  assert.equal(workers, cores > 1 ? cores : 0, 'one checkout worker a core');
  for (let i = 0; i < 300; i++)
    assert.equal(readFileSync(join(path, `src/d${i % 10}/f${i}.txt`), 'utf8'), `file ${i}\n`);
  assert.equal(statSync(join(path, 'src/d0/f0.txt')).mode & 0o111, 0o111);
  assert.equal(readlinkSync(join(path, 'src/link.txt')), 'd1/f1.txt');
  assert.equal(git(path, 'status', '--porcelain'), '');
});
