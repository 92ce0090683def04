// Issue 39 parts 4 and 5 for runs on the pool of workers (real PostgreSQL, a worker in this process
// in its own clone of the team's remote): a CI failure or a change request on a pooled run's pull
// request is a follow-up pooled run (naming the run it continues, from the pull request's head) that
// a worker takes, with the original run's journal from the pool's mirror; its result is a
// fast-forward of the pull request's branch, pushed and said on the pull request as for a local run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkRunCompleted,
  issueCommented,
  pullRequestReviewed,
  workflowRunCompleted,
} from '../../support/githubWebhooks';
import { BACKEND_CI_FIXED, isAmendment, isChangeFix, isCiFix } from '../../support/engine/productChanges';
import { BRANCH, fileAt, ISSUE, onPull, parentOf } from '../../support/github/followUpKit';
import { REPO, TOKEN, type GithubWorld } from '../../support/github/githubKit';
import { backendLog, holdingFirstCiFix, withPooledPullRequest } from '../../support/github/pooledGithubKit';

const callsOf = (w: GithubWorld) => ({
  database: w.h.callsOf('database').length,
  backend: w.h.callsOf('backend').length,
  frontend: w.h.callsOf('frontend').length,
  spec: w.h.callsOf('spec').length,
});

test("GitHub CI on a pooled run's pull request: a failing check run (and the workflow run of the same head, fed back once) is a follow-up on the pool; a worker sends the owning layer back with the log; the fix is a fast-forward of the branch, said on the pull request", async () => {
  await withPooledPullRequest('ghpoolci', async ({ w, store, pull, firstRun }) => {
    const before = callsOf(w);
    const h1 = pull.headSha;
    assert.match(
      fileAt(w, h1, 'server/entities/product.js'),
      /module\.exports/,
      "the pooled run's work is on its branch",
    );
    w.api.setJobLog(501, backendLog);
    w.api.setWorkflowJobs(9001, [{ id: 501, name: 'test', conclusion: 'failure', headSha: h1 }]);
    assert.equal(
      (
        await w.deliver(
          'check_run',
          checkRunCompleted(REPO, pull, { id: 501, name: 'test', conclusion: 'failure', workflowRun: 9001 }),
        )
      ).status,
      202,
    );
    assert.equal(
      (
        await w.deliver(
          'workflow_run',
          workflowRunCompleted(REPO, pull, { id: 9001, name: 'CI', conclusion: 'failure' }),
        )
      ).status,
      202,
    );
    await w.until('the fix pushed', () => onPull(w, pull, 'The CI fix is pushed')[0]);
    const h2 = w.remoteHead(BRANCH)!;
    assert.equal(parentOf(w, h2), h1, 'a fast-forward of the branch');
    assert.equal(fileAt(w, h2, 'server/entities/product.js'), BACKEND_CI_FIXED);
    assert.equal(onPull(w, pull, 'the **backend** layer is sent back').length, 1, 'one follow-up for one head commit');
    assert.match(
      onPull(w, pull, 'The CI fix is pushed')[0]!.body,
      new RegExp(`${h2.slice(0, 7)} on \`${BRANCH}\` \\(the backend layer worked again`),
    );

    // It ran on the pool: a run naming the run it continues, from the pull request's head, taken by the worker.
    const follow = w.github.channel.store.ofPull(pull.number)!;
    assert.deepEqual(
      [follow.of, follow.pooled, follow.status, follow.ciFixes, follow.pull?.headSha],
      [firstRun, true, 'completed', 1, h2],
    );
    const pooled = (await store.get(follow.runId))!;
    assert.deepEqual(
      [pooled.status, pooled.worker, pooled.baseCommit, pooled.flags.followUp?.of, pooled.flags.followUp?.fix?.layer],
      ['completed', 'gh-worker', h1, firstRun, 'backend'],
    );
    assert.ok(!JSON.stringify(pooled.flags).includes(TOKEN), 'the log stored masked');
    const fixTask = w.h
      .callsOf('backend')
      .slice(before.backend)
      .map((c) => c.task)
      .find(isCiFix)!;
    assert.match(fixTask, /not ok 3 - list\(\) sorts prices as numbers/);
    assert.ok(!fixTask.includes(TOKEN), 'the token masked');
    assert.deepEqual(
      [w.h.callsOf('database').length, w.h.callsOf('frontend').length, w.h.callsOf('spec').length],
      [before.database, before.frontend, before.spec],
    );
    // Journaled in the pool as a local follow-up's are in its journal: why it started, what it pushed (after the comment that says so).
    let journal = await store.events(follow.runId);
    for (let i = 0; i < 400 && !journal.some((e) => e.type === 'github.pr.updated'); i++)
      journal = await new Promise((resolve) => setTimeout(resolve, 50)).then(() => store.events(follow.runId));
    assert.equal(journal.find((e) => e.type === 'followup.started')?.of, firstRun);
    assert.deepEqual(
      journal.filter((e) => e.type.startsWith('github.')).map((e) => e.type),
      ['github.issue.linked', 'github.pushed', 'github.ci.fixed', 'github.pr.updated'],
    );
    assert.equal(journal.find((e) => e.type === 'github.issue.linked')?.detail, `follow-up of run ${firstRun}`);
    assert.deepEqual(
      (await store.events(firstRun)).filter((e) => e.type === 'github.ci.failed').map((e) => e.detail),
      [`test on ${h1.slice(0, 7)}`],
    );
    assert.equal((await store.list()).length, 2, 'one follow-up in the pool');
    assert.ok(!w.lines.join('\n').includes(TOKEN), 'nor in what serve said');
  });
});

test("GitHub review on a pooled run's pull request: changes requested are a pooled follow-up; the amended spec waits in the database and is posted in the spec comment; /changes has it revised with the feedback, /approve queues it again; only the touched layer re-runs; the result is pushed to the branch", async () => {
  await withPooledPullRequest('ghpoolreview', async ({ w, store, pull, firstRun }) => {
    const before = callsOf(w);
    const h1 = pull.headSha;
    const specComment = w.api.commentsOn(ISSUE.number).find((c) => c.body.includes('<!-- orchestrator:spec '))!;
    w.api.setReviewComments(4242, [
      { path: 'server/entities/product.js', line: 12, body: 'The search must ignore case.', login: 'alice' },
    ]);
    await w.deliver(
      'pull_request_review',
      pullRequestReviewed(REPO, pull, {
        state: 'changes_requested',
        body: 'Add a search by name to the Product module.',
        author: 'alice',
        id: 4242,
      }),
    );
    await w.until('the amended spec at the gate', () => {
      const now = w.api.comments.find((c) => c.id === specComment.id)!;
      return now.body.includes('REQ-3: Search products by name') && now.body.includes('Waiting for approval') && now;
    });
    const follow = w.github.channel.store.ofPull(pull.number)!;
    assert.deepEqual([follow.of, follow.pooled, follow.status], [firstRun, true, 'waiting']);
    assert.equal(
      (await store.get(follow.runId))?.status,
      'awaiting-approval',
      'waiting in the database, holding no worker',
    );
    assert.match(onPull(w, pull, 'Change requested by @alice')[0]!.body, /waits for approval in the spec comment/);
    const amendTask = w.h
      .callsOf('spec')
      .slice(before.spec)
      .map((c) => c.task)
      .find(isAmendment)!;
    assert.match(
      amendTask,
      /Add a search by name to the Product module\.[\s\S]*- server\/entities\/product\.js:12: The search must ignore case\./,
    );
    assert.equal(
      w.api.commentsOn(ISSUE.number).filter((c) => c.body.includes('<!-- orchestrator:spec ')).length,
      1,
      'the same spec comment, edited',
    );

    // Changes asked of the amendment at its gate: a worker has the spec agent revise it with them (the approved text its base), and it waits again.
    await w.deliver(
      'issue_comment',
      issueCommented(REPO, ISSUE, '/changes The search must also match the description.', 'alice'),
    );
    await w.until(
      'the revised amendment',
      () =>
        w.h
          .callsOf('spec')
          .slice(before.spec)
          .filter((c) => isAmendment(c.task)).length === 2,
    );
    // …posted at the gate again: the link waits on the journal as it ends now (an approval holds only there).
    for (let i = 0; i < 400; i++) {
      const [run, events, link] = [
        await store.get(follow.runId),
        await store.events(follow.runId),
        w.github.channel.store.ofRun(follow.runId),
      ];
      if (run?.status === 'awaiting-approval' && link?.status === 'waiting' && link.journalEnd === events.at(-1)?.seq)
        break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const amendments = w.h
      .callsOf('spec')
      .slice(before.spec)
      .map((c) => c.task)
      .filter(isAmendment);
    assert.match(
      amendments[1]!,
      /Add a search by name to the Product module\.[\s\S]*About your amendment, the human adds: The search must also match the description\./,
    );
    assert.equal((await store.get(follow.runId))?.status, 'awaiting-approval');
    await w.deliver('issue_comment', issueCommented(REPO, ISSUE, '/approve', 'alice'));
    await w.until('the change pushed', () => onPull(w, pull, 'The change is pushed')[0]);
    const h2 = w.remoteHead(BRANCH)!;
    assert.equal(parentOf(w, h2), h1, 'a fast-forward of the branch');
    assert.match(fileAt(w, h2, 'server/entities/product.js'), /function search\(name\)/);
    assert.match(onPull(w, pull, 'The change is pushed')[0]!.body, /the backend layer worked again/);
    assert.match(w.api.comments.find((c) => c.id === specComment.id)!.body, /\*\*approve\*\* by @alice/);
    const fixTask = w.h
      .callsOf('backend')
      .slice(before.backend)
      .map((c) => c.task)
      .find(isChangeFix)!;
    assert.match(
      fixTask,
      /server\/entities\/product\.js:12: The search must ignore case\./,
      'the owning layer gets the inline comment',
    );
    assert.deepEqual(
      [w.h.callsOf('database').length, w.h.callsOf('frontend').length],
      [before.database, before.frontend],
      'the untouched layers get no call',
    );
    assert.equal(
      w.h
        .callsOf('spec')
        .slice(before.spec)
        .filter((c) => isAmendment(c.task)).length,
      2,
      'the approved amendment is not written again',
    );
    const journal = await store.events(follow.runId);
    assert.deepEqual(journal.find((e) => e.type === 'change.approved')?.layers, ['backend']);
    assert.equal((await store.get(follow.runId))?.status, 'completed');
    assert.equal(w.github.channel.store.ofPull(pull.number)?.status, 'completed');
  });
});

test("GitHub CI on a pooled run's pull request: someone pushes to the branch while the follow-up works; its fix is not forced over it nor left on a second branch: the refusal is said on the pull request, the branch keeps their commit", async () => {
  const { agents, held } = holdingFirstCiFix();
  await withPooledPullRequest(
    'ghpoolmoved',
    async ({ w, store, pull }) => {
      w.api.setJobLog(501, backendLog);
      await w.deliver('check_run', checkRunCompleted(REPO, pull, { id: 501, name: 'test', conclusion: 'failure' }));
      await w.until('the fix under way', held);
      // A person pushes a commit of their own to the pull request's branch meanwhile.
      const git = (...args: string[]) => w.h.shop.git('--git-dir', w.bare, ...args).trim();
      const theirs = git(
        '-c',
        'user.name=Bob',
        '-c',
        'user.email=bob@example.com',
        'commit-tree',
        `${pull.headSha}^{tree}`,
        '-p',
        pull.headSha,
        '-m',
        'a commit of their own',
      );
      git('update-ref', `refs/heads/${BRANCH}`, theirs);
      held()!();
      const said = await w.until(
        'the push refused',
        () => onPull(w, pull, 'completed, but its result could not be pushed')[0],
      );
      assert.match(said.body, /git push of orchestrator\/product-entity failed/);
      assert.equal(w.remoteHead(BRANCH), theirs, 'their commit is still the head');
      assert.equal(w.remoteHead(`${BRANCH}-2`), undefined, "no second branch beside the pull request's");
      const follow = w.github.channel.store.ofPull(pull.number)!;
      const pooled = (await store.get(follow.runId))!;
      assert.deepEqual(
        [pooled.status, pooled.resultBranch, parentOf(w, pooled.resultCommit!)],
        ['completed', undefined, pull.headSha],
      );
      assert.equal(follow.status, 'failed');
      assert.equal(onPull(w, pull, 'The CI fix is pushed').length, 0);
    },
    agents,
  );
});
