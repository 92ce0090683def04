// Follow-up runs on a pull request's branch (issue 39 parts 4 and 5): what they leave behind when
// they do not complete, and what they build on when a person pushed to the branch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { journalOf } from '../pipeline/support/harness';
import { say } from '../pipeline/support/agentScript';
import { isCiFix, productFollowUpAgents } from '../pipeline/support/productChanges';
import { checkRunCompleted } from '../../support/githubWebhooks';
import { githubWorld, REPO } from './githubKit';
import { BRANCH, onPull, pullRequestOpened } from './followUpKit';

const failingTest = ['##[group]Run npm test', 'not ok 3 - list() sorts prices as numbers', '    at Object.<anonymous> (/home/runner/work/shop/shop/server/entities/product.js:14:3)', '##[error]Process completed with exit code 1.'].join('\n');

test('GitHub follow-up: a CI fix that stops leaves no worktree behind (nothing in git worktree list); what its agent wrote is kept on a local branch on the pull request\'s head, not pushed, and said on the pull request', async () => {
  const agents = productFollowUpAgents();
  const HALF_FIX = '// half a fix: prices compared as strings still\n';
  const w = await githubWorld({
    ...agents,
    backend: (call) => (isCiFix(call.task) ? (call.turn === 0 ? say.write({ 'server/entities/product.js': HALF_FIX }) : say.blocked('The test needs a database this machine cannot reach.')) : agents.backend!(call)),
  }, { alice: 'admin' });
  try {
    const pull = await pullRequestOpened(w);
    w.api.setJobLog(501, failingTest);
    await w.deliver('check_run', checkRunCompleted(REPO, pull, { id: 501, name: 'test', conclusion: 'failure', workflowRun: 9001 }));
    const said = await w.until('the stop said', () => onPull(w, pull, 'Nothing was pushed')[0]);
    const follow = w.github.channel.store.ofPull(pull.number)!;
    assert.equal(follow.status, 'stopped');
    const kept = `${BRANCH}-unfinished-${follow.runId}`;
    assert.ok(said.body.includes(`kept on the local branch \`${kept}\``), said.body);
    // Its work, one commit on the head it started from; not on GitHub.
    assert.equal(w.h.shop.git('show', `${kept}:server/entities/product.js`), HALF_FIX);
    assert.equal(w.h.shop.git('rev-parse', `${kept}^`).trim(), pull.headSha);
    assert.equal(w.remoteHead(kept), undefined, 'never pushed');
    assert.equal(w.remoteHead(BRANCH), pull.headSha);
    // Its worktree gone, and git knows it.
    const journal = journalOf(w.h.shop, follow.runId);
    const worktree = journal.find((e) => e.type === 'worktree.created')!.path as string;
    assert.equal(existsSync(worktree), false);
    const listed = w.h.shop.git('worktree', 'list', '--porcelain').split('\n').filter((line) => line.startsWith('worktree '));
    assert.deepEqual(listed, [`worktree ${w.h.shop.git('rev-parse', '--show-toplevel').trim()}`]);
    assert.deepEqual(journal.filter((e) => e.type === 'worktree.branched').map((e) => e.branch), [kept]);
  } finally {
    await w.close();
  }
});
