// The folders whose new subfolders ext4 spreads over its block groups (issue 63): the attribute is
// set where the file system takes it, and nothing fails where it does not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spreadSubfolders } from '../../../src/core/sandbox/spreadFolder';
import { addWorktree } from '../../../src/core/git/worktrees';
import { committedRepo, git, isolatedGit, tempDir } from '../../support/gitFixture';

const dirs = isolatedGit();

/** The folder's attribute letters, or undefined where the file system has none (tmpfs, overlayfs…). */
function attributes(dir: string): string | undefined {
  try {
    return execFileSync('lsattr', ['-d', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split(' ')[0];
  } catch {
    return undefined;
  }
}

const takesAttributes = process.platform === 'linux' && attributes(tmpdir()) !== undefined;

test('spreadSubfolders: the folder gets the top-of-hierarchy attribute where the file system keeps attributes', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'orch-spread-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  await spreadSubfolders(dir);
  // Asked twice: one chattr per folder and process, the same promise.
  assert.equal(spreadSubfolders(dir), spreadSubfolders(dir));
  if (takesAttributes) assert.match(attributes(dir)!, /T/, 'chattr +T was not applied');
  else assert.equal(attributes(dir), undefined);
});

test('spreadSubfolders: a folder that cannot take it (missing, or on tmpfs) is left as it is, without an error', async () => {
  await spreadSubfolders(join(tmpdir(), 'orch-spread-missing', 'nowhere'));
  if (existsSync('/dev/shm')) {
    const shm = mkdtempSync('/dev/shm/orch-spread-');
    try {
      await spreadSubfolders(shm);
      assert.ok(existsSync(shm));
    } finally {
      rmSync(shm, { recursive: true, force: true });
    }
  }
});

test("addWorktree: the worktrees' folder spreads its worktrees", async () => {
  const repo = committedRepo({ 'a.txt': 'a\n' });
  const runs = tempDir('orch-runs-');
  dirs.push(repo, runs);
  const folder = join(runs, 'repo-folder');
  await addWorktree(repo, join(folder, 'run-1'), git(repo, 'rev-parse', 'HEAD').trim());
  if (takesAttributes) assert.match(attributes(folder)!, /T/);
  assert.ok(existsSync(join(folder, 'run-1', 'a.txt')));
});
