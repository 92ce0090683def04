// Run refs written together (src/core/git/worktreeRefs.ts): twenty runs starting at once each set
// their base ref and resolve HEAD; the updates asked for while one is written go in one
// transaction, each caller is answered for its own ref, and one bad update fails alone.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveCommit, setRef, worktreeBaseRef } from '../../../src/core/git/worktreeRefs';
import { git, initRepo, isolateGitConfig, tempDir, write } from '../../support/gitFixture';

let restoreEnv: () => void;
before(() => {
  restoreEnv = isolateGitConfig();
});
after(() => restoreEnv());

function repo(): { dir: string; first: string; second: string } {
  const dir = tempDir();
  initRepo(dir);
  // Reflogs for every ref, so the test can see which updates one git call made.
  git(dir, 'config', 'core.logAllRefUpdates', 'always');
  write(dir, 'a.txt', 'a\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'first');
  const first = git(dir, 'rev-parse', 'HEAD').trim();
  write(dir, 'a.txt', 'b\n');
  git(dir, 'commit', '-qam', 'second');
  return { dir, first, second: git(dir, 'rev-parse', 'HEAD').trim() };
}

test('twenty base refs set at once: each points at its commit, and those asked for together were written by one git call', async () => {
  const { dir, first, second } = repo();
  const runs = Array.from({ length: 20 }, (_, i) => `run-${i}`);
  await Promise.all(
    runs.map((runId, i) =>
      setRef(dir, worktreeBaseRef(runId), i % 2 === 0 ? first : second, `orchestrator: base of run ${runId}`),
    ),
  );
  for (const [i, runId] of runs.entries())
    assert.equal(git(dir, 'rev-parse', worktreeBaseRef(runId)).trim(), i % 2 === 0 ? first : second, runId);
  const reasons = runs.map((runId) => git(dir, 'reflog', 'show', '--format=%gs', worktreeBaseRef(runId)).trim());
  // The first goes alone (nothing else was asked yet); the others waited for it and went together.
  assert.equal(reasons[0], 'orchestrator: base of run run-0');
  assert.ok(
    reasons.slice(1).every((reason) => reason === reasons[1]),
    `one transaction for the rest: ${reasons.join(' | ')}`,
  );
  assert.match(reasons[1]!, /^orchestrator: base of run run-1; base of run run-2; .*base of run run-19$/);
});

test('one bad update among those asked together fails alone; the others are written and answered', async () => {
  const { dir, first } = repo();
  const asked = [
    setRef(dir, worktreeBaseRef('lead'), first, 'orchestrator: lead'),
    setRef(dir, worktreeBaseRef('good-1'), first, 'orchestrator: good 1'),
    setRef(dir, worktreeBaseRef('bad'), 'f'.repeat(40), 'orchestrator: bad'),
    setRef(dir, worktreeBaseRef('good-2'), first, 'orchestrator: good 2'),
  ];
  const settled = await Promise.allSettled(asked);
  assert.deepEqual(
    settled.map((s) => s.status),
    ['fulfilled', 'fulfilled', 'rejected', 'fulfilled'],
  );
  assert.match(String((settled[2] as PromiseRejectedResult).reason), /ffffffff/);
  for (const runId of ['lead', 'good-1', 'good-2'])
    assert.equal(git(dir, 'rev-parse', worktreeBaseRef(runId)).trim(), first);
  assert.throws(() => git(dir, 'rev-parse', '--verify', '-q', worktreeBaseRef('bad')));
});

test('HEAD resolved by many at once: each gets the commit; a name that is no commit resolves to nothing', async () => {
  const { dir, second } = repo();
  const answers = await Promise.all(Array.from({ length: 10 }, () => resolveCommit(dir, 'HEAD')));
  assert.deepEqual(new Set(answers), new Set([second]));
  assert.equal(await resolveCommit(dir, 'no-such-branch'), undefined);
  // Asked again after HEAD moved: the answer is not kept from before.
  git(dir, 'reset', '-q', '--hard', 'HEAD~1');
  assert.notEqual(await resolveCommit(dir, 'HEAD'), second);
});
