// A throw-away copy of examples/changeset (issue 73): the parent folder and its three members, each
// member a git repository with one commit, as a user's clones of them would be.
import { cpSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { git, initRepo, tempDir } from './gitFixture';

export const CHANGESET = resolve(__dirname, '../../examples/changeset');
export const CHANGESET_MEMBERS = ['service', 'sdk', 'web'] as const;

/** The copy's parent folder (removed when the test process ends); `withoutWorkspaceFile` leaves its `.claude/` out, for init to write. */
export function makeChangeset(options: { withoutWorkspaceFile?: boolean } = {}): string {
  const dir = join(tempDir('orch-changeset-'), 'changeset');
  cpSync(CHANGESET, dir, {
    recursive: true,
    filter: (src) => !/[\\/](node_modules|runs)([\\/]|$)/.test(src.slice(CHANGESET.length)),
  });
  if (options.withoutWorkspaceFile) rmSync(join(dir, '.claude'), { recursive: true });
  for (const member of CHANGESET_MEMBERS) {
    const repo = join(dir, member);
    initRepo(repo);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', member);
  }
  return dir;
}
