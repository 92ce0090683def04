// A follow-up run survives `serve` killed with kill -9 (issue 39; moved from serveRestart.test.ts): serve runs
// as a child process against the scripted GitHub API, the git server and the model server of this process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRunCompleted, issueCommented, issueLabeled, signDelivery } from '../../support/githubWebhooks';
import { reply } from '../../support/messagesApiServer';
import { say } from '../../support/engine/agentScript';
import { BACKEND_CI_FIXED, isCiFix, productFollowUpAgents } from '../../support/engine/productChanges';
import { GithubStore } from '../../../src/github/store';
import { REPO, SECRET } from '../../support/github/githubKit';
import { restartWorld } from '../../support/github/restartKit';

test('GitHub: serve killed with kill -9 while a follow-up run fixes a CI failure on the pull request; started again, the follow-up resumes, its fix is pushed to the branch (a fast-forward) and said on the pull request', async () => {
  let held = false;
  const agents = productFollowUpAgents();
  const w = await restartWorld({
    ...agents,
    backend: (call) => {
      if (isCiFix(call.task) && call.turn === 0 && !held) {
        held = true;
        return reply.slow(say.done(), { beforeMs: 120_000 });
      }
      return agents.backend!(call);
    },
  });
  const issue = {
    number: 12,
    title: 'Add a Product entity with name and price',
    body: 'Products, their table, their API and a screen.',
    author: 'alice',
  };
  const branch = 'orchestrator/product-entity';
  try {
    const first = w.serve();
    await w.deliver(first, signDelivery(SECRET, 'issues', issueLabeled(REPO, issue, 'orchestrator', 'alice')));
    await w.until('the spec comment', () =>
      w.api.commentsOn(issue.number).find((c) => c.body.includes('<!-- orchestrator:spec ')),
    );
    await w.deliver(first, signDelivery(SECRET, 'issue_comment', issueCommented(REPO, issue, '/approve', 'alice')));
    const opened = await w.until('the pull request', () => w.api.pulls[0]);
    await w.until('the note of the pull request', () =>
      w.api.commentsOn(issue.number).find((c) => c.body.includes(`Pull request #${opened.number} opened`)),
    );
    const h1 = w.remoteHead(branch)!;
    const pull = { number: opened.number, branch, headSha: h1 };
    w.api.setJobLog(
      501,
      [
        '##[group]Run npm test',
        'not ok 3 - list() sorts prices as numbers',
        '    at Object.<anonymous> (/home/runner/work/shop/shop/server/entities/product.js:14:3)',
        '##[error]Process completed with exit code 1.',
      ].join('\n'),
    );
    w.api.setWorkflowJobs(9001, [{ id: 501, name: 'test', conclusion: 'failure', headSha: h1 }]);
    await w.deliver(
      first,
      signDelivery(
        SECRET,
        'check_run',
        checkRunCompleted(REPO, pull, { id: 501, name: 'test', conclusion: 'failure', workflowRun: 9001 }),
      ),
    );
    await w.until('the backend fixing CI', () => held);
    first.child.kill('SIGKILL');
    await first.exited;
    assert.equal(w.remoteHead(branch), h1);

    const second = w.serve();
    await w.until('the fix pushed', () =>
      w.api.commentsOn(pull.number).find((c) => c.body.includes('The CI fix is pushed')),
    );
    const h2 = w.remoteHead(branch)!;
    assert.equal(w.h.shop.git('--git-dir', w.bare, 'rev-parse', `${h2}^`).trim(), h1, 'a fast-forward of the branch');
    assert.equal(w.h.shop.git('--git-dir', w.bare, 'show', `${h2}:server/entities/product.js`), BACKEND_CI_FIXED);
    assert.equal(w.api.pulls.length, 1);
    assert.equal(
      w.api.commentsOn(pull.number).filter((c) => c.body.includes('was resumed after serve restarted')).length,
      1,
      'said once, on the pull request',
    );
    const links = new GithubStore(w.h.shop.dir).links();
    assert.deepEqual(
      links.map((l) => [l.status, l.ciFixes ?? 0, l.pull?.headSha]),
      [
        ['completed', 0, h1],
        ['completed', 1, h2],
      ],
    );
    second.child.kill('SIGTERM');
    assert.equal((await second.exited).code, 0, second.output());
    assert.deepEqual(await w.processesIn(), []);
  } finally {
    await w.close();
  }
});
