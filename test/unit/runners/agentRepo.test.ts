// An agent's worktree has a git directory of its own (issue 36, part 3): nothing its shell writes
// there (a hook, core.fsmonitor, core.worktree, a `.git` file pointing at the user's repository)
// reaches the user's checkout or runs in the orchestrator's own git calls; the user's history is
// not in it; a second attempt copies only what changed.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseConfig } from '../../../src/core/project/config/config';
import { changesOf } from '../../../src/core/runners/cliAgent/agentChanges';
import { prepareAgentWorktree, removeAgentWorktrees } from '../../../src/core/runners/cliAgent/agentWorktree';
import { committedRepo, git, isolateGitConfig, tempDir, write } from '../../support/gitFixture';

isolateGitConfig();

function world() {
  const ws = committedRepo(
    { 'app.ts': 'export {};\n', '.env': 'SECRET=committed-long-ago\n' },
    'a history with a secret in it',
  );
  git(ws, 'rm', '-q', '--cached', '.env');
  git(ws, 'commit', '-q', '-m', 'the secret untracked');
  const config = parseConfig(`worktree: { dir: ${JSON.stringify(tempDir('orch-wt-'))} }\n`);
  const place = { home: ws, runWorkspace: ws, runId: 'run-1', agent: 'backend', config };
  return { ws, config, place };
}

test("the agent's worktree is not a worktree of the user's repository, and holds the snapshot only", async () => {
  const { ws, config, place } = world();
  const wt = await prepareAgentWorktree(place);
  assert.equal(
    git(ws, 'worktree', 'list', '--porcelain')
      .split('\n')
      .filter((l) => l.startsWith('worktree ')).length,
    1,
    "no worktree registered in the user's .git",
  );
  assert.equal(readFileSync(join(wt.root, '.git'), 'utf8'), `gitdir: ${wt.gitDir}\n`);
  assert.ok(!wt.gitDir.startsWith(ws), 'its git directory is outside the checkout');
  assert.equal(git(wt.root, 'rev-list', '--count', 'HEAD').trim(), '1', 'no history: one snapshot commit');
  assert.throws(
    () => git(wt.root, 'cat-file', '-e', `${git(ws, 'rev-parse', 'HEAD~1').trim()}:.env`),
    "the user's history (and its secret) is not there",
  );
  assert.equal(readFileSync(join(wt.workspace, 'app.ts'), 'utf8'), 'export {};\n');
  assert.ok(!existsSync(join(wt.workspace, '.env')));
  await removeAgentWorktrees(ws, config, 'run-1');
  assert.ok(!existsSync(wt.root) && !existsSync(wt.gitDir));
});

test("what the agent's shell plants in its git directory or its .git file never runs in our git calls nor touches the user's repository", async () => {
  const { ws, place } = world();
  const markers = tempDir('orch-markers-');
  const userConfig = readFileSync(join(ws, '.git', 'config'), 'utf8');
  const userHead = `${git(ws, 'symbolic-ref', 'HEAD').trim()} ${git(ws, 'rev-parse', 'HEAD').trim()}`;
  const wt = await prepareAgentWorktree(place);
  // The agent, from its shell, in its own repository.
  const script = join(markers, 'evil.sh');
  writeFileSync(script, `#!/bin/sh\ntouch ${markers}/ran-$1\n`);
  chmodSync(script, 0o755);
  git(wt.root, 'config', 'core.fsmonitor', `${script} fsmonitor`);
  git(wt.root, 'config', 'core.sshCommand', `${script} ssh`);
  git(wt.root, 'config', 'core.worktree', ws);
  git(wt.root, 'config', 'core.hooksPath', markers);
  writeFileSync(join(markers, 'post-checkout'), `#!/bin/sh\ntouch ${markers}/ran-hook\n`);
  chmodSync(join(markers, 'post-checkout'), 0o755);
  write(wt.workspace, 'server.ts', 'export const s = 1;\n');
  // … and points its .git file at the user's repository.
  writeFileSync(join(wt.root, '.git'), `gitdir: ${join(ws, '.git')}\n`);

  assert.deepEqual(
    (await changesOf(wt)).map((c) => c.path),
    ['server.ts'],
    "our calls read the agent's own repository",
  );
  write(ws, 'more.ts', 'export const m = 1;\n');
  const again = await prepareAgentWorktree(place);
  assert.equal(
    readFileSync(join(again.workspace, 'more.ts'), 'utf8'),
    'export const m = 1;\n',
    "the next attempt has the run's state",
  );
  assert.ok(!existsSync(join(again.workspace, 'server.ts')), 'and nothing the agent left');
  assert.equal(
    readFileSync(join(again.root, '.git'), 'utf8'),
    `gitdir: ${again.gitDir}\n`,
    'its .git file points at its own repository again',
  );

  assert.deepEqual(
    readdirSync(markers).filter((f) => f.startsWith('ran-')),
    [],
    'something the agent planted ran',
  );
  assert.equal(readFileSync(join(ws, '.git', 'config'), 'utf8'), userConfig, "the user's git config is untouched");
  assert.equal(
    `${git(ws, 'symbolic-ref', 'HEAD').trim()} ${git(ws, 'rev-parse', 'HEAD').trim()}`,
    userHead,
    "and the user's HEAD (still on its branch)",
  );
  assert.equal(git(ws, 'status', '--porcelain').trim(), '?? .env\n?? more.ts'.trim(), "and the user's index and files");
  assert.deepEqual(
    readdirSync(join(ws, '.git', 'hooks')).filter((f) => !f.endsWith('.sample')),
    [],
    "no hook in the user's .git",
  );
});
