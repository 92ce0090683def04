// `git add --all` stopped by a file that went away while it scanned (src/core/git/worktreeTree.ts):
// both of git's words for it, as git 2.39 prints them, name the file; any other failure names none.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { vanishedPath } from '../../../src/core/git/worktreeTree';

test("a file gone before git's stat, or between its stat and its open, is named; a file git may not read is not", () => {
  assert.equal(
    vanishedPath("error: unable to stat 'src/.spec1.md.tmp': No such file or directory\nfatal: updating files failed"),
    'src/.spec1.md.tmp',
  );
  assert.equal(
    vanishedPath(
      `error: open("src/.spec0.md.tmp"): No such file or directory\nerror: unable to index file 'src/.spec0.md.tmp'\nfatal: adding files failed`,
    ),
    'src/.spec0.md.tmp',
  );
  assert.equal(
    vanishedPath(
      `error: open("src/secret"): Permission denied\nerror: unable to index file 'src/secret'\nfatal: adding files failed`,
    ),
    undefined,
  );
});
