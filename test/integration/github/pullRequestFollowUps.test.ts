import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { journalOf } from '../../support/engine/harness';
import {
  BACKEND_CI_FIXED,
  FRONTEND_CI_FIXED,
  isAmendment,
  isChangeFix,
  isCiFix,
  productFollowUpAgents,
} from '../../support/engine/productChanges';
import {
  checkRunCompleted,
  issueCommented,
  pullRequestReviewed,
  workflowRunCompleted,
} from '../../support/githubWebhooks';
import { filesUnder, githubWorld, REPO, TOKEN, type GithubWorld } from '../../support/github/githubKit';
import { BRANCH, fileAt, ISSUE, onPull, parentOf, pullRequestOpened } from '../../support/github/followUpKit';

// Issue 39 parts 4 and 5: CI failures and review comments on the pull request go back to the agents,
// as follow-up runs on the pull request's branch.

/** GitHub Actions' log of a failing `npm test` job (timestamped lines, the runner's checkout path), a token-shaped value in it. */
const backendLog = (n: number) =>
  [
    ...Array.from(
      { length: n },
      (_, i) =>
        `2026-11-24T10:02:${String(i % 60).padStart(2, '0')}.1000000Z npm http fetch GET 200 https://registry.npmjs.org/pkg-${i} 12ms (cache hit)`,
    ),
    '2026-11-24T10:03:11.1234567Z ##[group]Run npm test',
    `2026-11-24T10:03:11.2000000Z env: GITHUB_TOKEN=${TOKEN}`,
    '2026-11-24T10:03:14.5550000Z not ok 3 - list() sorts prices as numbers',
    '2026-11-24T10:03:14.5560000Z   AssertionError [ERR_ASSERTION]: Expected values to be strictly deep-equal: [10, 9] !== [9, 10]',
    '2026-11-24T10:03:14.5570000Z       at Object.<anonymous> (/home/runner/work/shop/shop/server/entities/product.js:14:3)',
    '2026-11-24T10:03:14.6000000Z ##[error]Process completed with exit code 1.',
  ].join('\n');
const frontendLog = [
  '2026-11-24T11:00:01.0000000Z ##[group]Run npx playwright test',
  '2026-11-24T11:00:09.0000000Z   1) web/src/products.js renders the price column › aligned right',
  "2026-11-24T11:00:09.1000000Z      Error: expect(received).toHaveCSS('text-align', 'right')",
  '2026-11-24T11:00:09.2000000Z ##[error]Process completed with exit code 1.',
].join('\n');

/** The token: only in the Authorization headers of GitHub's API and git server (every follow-up run has ended). */
function assertTokenOnlyWithGithub(w: GithubWorld): void {
  for (const request of w.api.requests)
    assert.ok(!request.body.includes(TOKEN) && !request.path.includes(TOKEN), `${request.method} ${request.path}`);
  assert.ok(w.git.requests.every((line) => !line.includes(TOKEN)));
  for (const request of w.h.api.requests)
    assert.ok(!JSON.stringify(request).includes(TOKEN), 'never in a model request');
  const leaks = [
    w.h.shop.dir,
    join(w.h.shop.dir, '..', 'worktrees'),
    w.bare,
    process.env.ORCHESTRATOR_DATA_DIR!,
  ].flatMap((dir) => {
    try {
      return [...filesUnder(dir)].filter((file) => file.bytes.includes(TOKEN));
    } catch {
      return [];
    }
  });
  assert.deepEqual(
    leaks.map((f) => f.path),
    [],
    'the token in no file',
  );
  assert.ok(!w.lines.join('\n').includes(TOKEN), 'nor in what serve said');
}

test("GitHub CI: a failing check run sends the owning layer back with its log, the fix is pushed to the branch and said; the same head reported by a workflow run does nothing; a workflow run's failed job goes to its layer; past github.maxCiFixes one comment and nothing more", async () => {
  const w = await githubWorld(productFollowUpAgents(), { alice: 'admin' });
  try {
    const pull = await pullRequestOpened(w);
    const before = {
      database: w.h.callsOf('database').length,
      backend: w.h.callsOf('backend').length,
      frontend: w.h.callsOf('frontend').length,
      spec: w.h.callsOf('spec').length,
    };
    const h1 = pull.headSha;

    // A check run and the workflow run around it fail on the head: fed back once.
    w.api.setJobLog(501, backendLog(400));
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
    assert.notEqual(h2, h1);
    assert.equal(parentOf(w, h2), h1, 'a fast-forward of the branch');
    assert.equal(fileAt(w, h2, 'server/entities/product.js'), BACKEND_CI_FIXED);
    assert.equal(w.remoteHead('main'), w.h.shop.git('rev-parse', 'main').trim(), 'never the default branch');
    const sentBack = onPull(w, pull, 'the **backend** layer is sent back');
    assert.equal(sentBack.length, 1, 'one follow-up for one head commit');
    assert.match(sentBack[0]!.body, /it owns server\/entities\/product\.js/);
    assert.match(
      onPull(w, pull, 'The CI fix is pushed')[0]!.body,
      new RegExp(`${h2.slice(0, 7)} on \`${BRANCH}\` \\(the backend layer worked again`),
    );
    // Only the backend's agent worked, on the log's tail, the token masked.
    const fixTask = w.h
      .callsOf('backend')
      .slice(before.backend)
      .map((c) => c.task)
      .find(isCiFix)!;
    assert.ok(fixTask, 'the backend resumed in FIX mode');
    assert.match(
      fixTask,
      /at Object\.<anonymous> \(\/home\/runner\/work\/shop\/shop\/server\/entities\/product\.js:14:3\)/,
    );
    assert.match(fixTask, /not ok 3 - list\(\) sorts prices as numbers/);
    assert.doesNotMatch(fixTask, /2026-11-24T10:03/, 'timestamps dropped');
    assert.doesNotMatch(fixTask, /pkg-0 /, 'the tail only');
    assert.ok(!fixTask.includes(TOKEN), 'the token masked');
    assert.deepEqual(
      [w.h.callsOf('database').length, w.h.callsOf('frontend').length, w.h.callsOf('spec').length],
      [before.database, before.frontend, before.spec],
    );

    // The follow-up is linked to the issue and journaled: why it started, what it pushed.
    const links = w.github.channel.store.links().filter((l) => l.issue === ISSUE.number);
    assert.equal(links.length, 2);
    const [first, fix1] = links as [(typeof links)[0], (typeof links)[0]];
    assert.equal(fix1.of, first.runId);
    assert.deepEqual([fix1.ciFixes, fix1.pull?.headSha, fix1.status], [1, h2, 'completed']);
    assert.deepEqual(
      journalOf(w.h.shop, first.runId)
        .filter((e) => e.type === 'github.ci.failed')
        .map((e) => e.detail),
      [`test on ${h1.slice(0, 7)}`],
    );
    const fixJournal = journalOf(w.h.shop, fix1.runId);
    assert.deepEqual(
      fixJournal.filter((e) => e.type.startsWith('github.')).map((e) => e.type),
      ['github.issue.linked', 'github.pushed', 'github.ci.fixed', 'github.pr.updated'],
    );
    assert.equal(fixJournal.find((e) => e.type === 'github.issue.linked')!.detail, `follow-up of run ${first.runId}`);
    assert.equal(
      fixJournal.find((e) => e.type === 'github.ci.fixed')!.url,
      `https://github.example/acme/shop/commit/${h2}`,
    );
    assert.equal(fixJournal.find((e) => e.type === 'github.pr.updated')!.url, pull.url);
    assert.deepEqual(
      (fixJournal.find((e) => e.type === 'followup.started')!.fix as { layer: string }).layer,
      'backend',
    );

    // Reported again later (a re-run's check on the old head, a redelivery): nothing.
    await w.deliver('workflow_run', workflowRunCompleted(REPO, pull, { id: 9001, name: 'CI', conclusion: 'failure' }));
    // A workflow run failing on the new head: its failed job's log names the frontend's file.
    w.api.setJobLog(603, frontendLog);
    const onH2 = { ...pull, headSha: h2 };
    w.api.setWorkflowJobs(9002, [
      { id: 602, name: 'lint', conclusion: 'success', headSha: h2 },
      { id: 603, name: 'e2e', conclusion: 'failure', headSha: h2 },
    ]);
    await w.deliver(
      'check_run',
      checkRunCompleted(REPO, onH2, { id: 602, name: 'lint', conclusion: 'success', workflowRun: 9002 }),
    );
    await w.deliver('workflow_run', workflowRunCompleted(REPO, onH2, { id: 9002, name: 'CI', conclusion: 'failure' }));
    await w.until('the second fix pushed', () => onPull(w, pull, 'The CI fix is pushed')[1]);
    const h3 = w.remoteHead(BRANCH)!;
    assert.equal(parentOf(w, h3), h2);
    assert.equal(fileAt(w, h3, 'web/src/products.js'), FRONTEND_CI_FIXED);
    assert.match(onPull(w, pull, 'the **frontend** layer is sent back')[0]!.body, /fix 2 of at most 2/);
    assert.match(
      w.h
        .callsOf('frontend')
        .map((c) => c.task)
        .find(isCiFix)!,
      /## Job "e2e"[\s\S]*toHaveCSS/,
    );
    assert.equal(
      w.h.callsOf('backend').filter((c) => c.turn === 0 && isCiFix(c.task)).length,
      1,
      'the backend was not sent back again',
    );

    // The limit (github.maxCiFixes: 2): one comment, then nothing, whichever event reports it.
    w.api.setJobLog(701, backendLog(3));
    const onH3 = { ...pull, headSha: h3 };
    await w.deliver(
      'check_run',
      checkRunCompleted(REPO, onH3, { id: 701, name: 'test', conclusion: 'failure', workflowRun: 9003 }),
    );
    await w.until('the limit said', () => onPull(w, pull, 'the limit (github.maxCiFixes: 2)')[0]);
    w.api.setWorkflowJobs(9003, [{ id: 701, name: 'test', conclusion: 'failure', headSha: h3 }]);
    await w.deliver('workflow_run', workflowRunCompleted(REPO, onH3, { id: 9003, name: 'CI', conclusion: 'failure' }));
    await w.deliver(
      'check_run',
      checkRunCompleted(REPO, onH3, { id: 702, name: 'test (retry)', conclusion: 'failure' }),
    );
    await w.github.channel.close();
    assert.equal(onPull(w, pull, 'the limit').length, 1, 'said once');
    assert.equal(w.remoteHead(BRANCH), h3, 'nothing more pushed');
    assert.equal(
      w.github.channel.store.links().filter((l) => l.issue === ISSUE.number).length,
      3,
      'no third follow-up',
    );
    const last = w.github.channel.store.ofPull(pull.number)!;
    assert.equal(journalOf(w.h.shop, last.runId).filter((e) => e.type === 'github.ci.limit').length, 1);
    // The token the CI log carried: in no journal, file, model request or line of serve's.
    assertTokenOnlyWithGithub(w);
  } finally {
    await w.close();
  }
});

test("GitHub review: changes requested by a reader (a review or /orchestrator change) are refused; a collaborator's review becomes a change request: the amended spec in the spec comment, /approve, only the touched layer re-runs with the inline comments, the result pushed to the branch", async () => {
  const w = await githubWorld(productFollowUpAgents(), { alice: 'admin', rita: 'triage' });
  try {
    const pull = await pullRequestOpened(w);
    const h1 = pull.headSha;
    const specComment = w.api.commentsOn(ISSUE.number).find((c) => c.body.includes('<!-- orchestrator:spec '))!;
    const before = {
      database: w.h.callsOf('database').length,
      backend: w.h.callsOf('backend').length,
      frontend: w.h.callsOf('frontend').length,
      spec: w.h.callsOf('spec').length,
    };

    // A CI failure whose log names no layer's file nor command: said (its name in a code span), nothing run.
    w.api.setJobLog(
      801,
      '2026-11-24T10:00:00.0000000Z Error: the runner ran out of memory\n##[error]Process completed with exit code 137.',
    );
    await w.deliver(
      'check_run',
      checkRunCompleted(REPO, pull, { id: 801, name: 'build @everyone `now`', conclusion: 'failure' }),
    );
    const unowned = await w.until('the failure said', () => onPull(w, pull, 'names no file a layer owns')[0]);
    assert.match(unowned.body, /CI failed \(`build @everyone 'now'` on [0-9a-f]{7}\)/);
    assert.equal(w.github.channel.store.links().filter((l) => l.issue === ISSUE.number).length, 1, 'no follow-up');

    // A reader's review and a reader's /orchestrator change: refused, nothing run.
    await w.deliver(
      'pull_request_review',
      pullRequestReviewed(REPO, pull, { state: 'changes_requested', body: 'Drop the price.', author: 'rita' }),
    );
    await w.until(
      'the review refused',
      () => onPull(w, pull, '@rita: only collaborators with write access may request changes')[0],
    );
    await w.deliver('issue_comment', issueCommented(REPO, ISSUE, '/orchestrator change drop the price', 'rita'));
    await w.until('the comment refused', () =>
      w.api
        .commentsOn(ISSUE.number)
        .find((c) => c.body.includes('@rita: only collaborators with write access may decide')),
    );
    assert.equal(w.h.callsOf('spec').length, before.spec);

    // Alice's review, with an inline comment on the backend's file.
    const reviewId = 4242;
    w.api.setReviewComments(reviewId, [
      { path: 'server/entities/product.js', line: 12, body: 'The search must ignore case.', login: 'alice' },
    ]);
    await w.deliver(
      'pull_request_review',
      pullRequestReviewed(REPO, pull, {
        state: 'changes_requested',
        body: 'Add a search by name to the Product module.',
        author: 'alice',
        id: reviewId,
      }),
    );
    await w.until('the amended spec at the gate', () => {
      const now = w.api.comments.find((c) => c.id === specComment.id)!;
      return now.body.includes('REQ-3: Search products by name') && now.body.includes('Waiting for approval') && now;
    });
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

    await w.deliver('issue_comment', issueCommented(REPO, ISSUE, '/approve', 'alice'));
    await w.until('the change pushed', () => onPull(w, pull, 'The change is pushed')[0]);
    const h2 = w.remoteHead(BRANCH)!;
    assert.equal(parentOf(w, h2), h1);
    assert.match(fileAt(w, h2, 'server/entities/product.js'), /function search\(name\)/);
    assert.match(onPull(w, pull, 'The change is pushed')[0]!.body, /the backend layer worked again/);
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
    const follow = w.github.channel.store.ofPull(pull.number)!;
    const journal = journalOf(w.h.shop, follow.runId);
    assert.deepEqual(journal.find((e) => e.type === 'change.approved')!.layers, ['backend']);
    assert.deepEqual(
      journal.filter((e) => e.type.startsWith('github.')).map((e) => e.type),
      // Parked at its gate, continued by the /approve (github.issue.linked: "continued after …").
      [
        'github.issue.linked',
        'github.spec.posted',
        'github.issue.linked',
        'github.spec.decided',
        'github.pushed',
        'github.pr.updated',
      ],
    );

    await w.github.channel.close();
    assertTokenOnlyWithGithub(w);
  } finally {
    await w.close();
  }
});
