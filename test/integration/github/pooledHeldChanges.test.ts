// Issue 39: a change request (`/orchestrator change`, a review requesting changes) on a pooled run's
// pull request while its run still goes on the pool (real PostgreSQL, a worker in this process). The
// pool cannot carry it into a worker's running engine, so the channel holds it in its store and, once
// that run has pushed, starts it as the follow-up a change to a finished run is: the amended spec in
// the spec comment, approved, only the touched layer re-run. Requests held meanwhile are joined, in order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startGithub, type Github } from '../../../src/github';
import type { PoolStore } from '../../../src/pool/poolStore';
import {
  checkRunCompleted,
  issueCommented,
  issueLabeled,
  pullRequestReviewed,
  signDelivery,
  type PullRef,
} from '../../support/githubWebhooks';
import { TEST_KEYS } from '../../support/modelServer';
import { isAmendment, isChangeFix, productFollowUpAgents } from '../../support/engine/productChanges';
import { BRANCH, fileAt, ISSUE, onPull, parentOf, pullRequestOpened } from '../../support/github/followUpKit';
import { REPO, SECRET, TOKEN, type GithubWorld } from '../../support/github/githubKit';
import { holdingFirstCiFix, withPooledGithub } from '../../support/github/pooledGithubKit';

const CI_LOG =
  'not ok 3 - list() sorts prices as numbers\n    at Object.<anonymous> (/home/runner/work/shop/shop/server/entities/product.js:14:3)';
const FIRST = 'Add a search by name to the Product module.';
const SECOND = 'The search must ignore case.';

interface Going {
  w: GithubWorld;
  store: PoolStore;
  pull: PullRef & { url: string };
  /** The CI fix's follow-up, going on the pool (its backend agent held). */
  ciRun: string;
  release: () => void;
}

/** The issue's run done on the pool, its pull request open, and a CI fix of it going on the pool (held mid-way). */
async function withFollowUpGoing(name: string, work: (world: Going) => Promise<void>): Promise<void> {
  const { agents, held } = holdingFirstCiFix();
  await withPooledGithub(
    name,
    agents,
    async ({ w, store, startWorker }) => {
      startWorker();
      const pull = await pullRequestOpened(w);
      w.api.setJobLog(501, CI_LOG);
      await w.deliver('check_run', checkRunCompleted(REPO, pull, { id: 501, name: 'test', conclusion: 'failure' }));
      const release = await w.until('the CI fix under way on the pool', held);
      const ciRun = w.github.channel.store.ofPull(pull.number)!;
      assert.deepEqual([ciRun.pooled, ciRun.status, Boolean(ciRun.of)], [true, 'running', true]);
      await work({ w, store, pull, ciRun: ciRun.runId, release });
    },
    { roles: { alice: 'admin', bob: 'write', rita: 'read' }, leaseSec: 5 },
  );
}

const approveIn = async (github: Github) => {
  const delivery = signDelivery(SECRET, 'issue_comment', issueCommented(REPO, ISSUE, '/approve', 'alice'));
  return github.receive(delivery.headers, Buffer.from(delivery.body));
};

/** The amended spec waiting in the spec comment, then approved: the change pushed; what each layer was asked meanwhile. */
async function approvedAndPushed(w: GithubWorld, pull: PullRef, github: Github) {
  const specComment = w.api.commentsOn(ISSUE.number).find((c) => c.body.includes('<!-- orchestrator:spec '))!;
  await w.until('the amended spec at the gate', () => {
    const now = w.api.comments.find((c) => c.id === specComment.id)!.body;
    return now.includes('REQ-3: Search products by name') && now.includes('Waiting for approval');
  });
  const link = github.channel.store.ofPull(pull.number)!;
  await w.until(
    'the follow-up waiting at its gate',
    () => github.channel.store.ofRun(link.runId)?.status === 'waiting',
  );
  await approveIn(github);
  await w.until('the change pushed', () => onPull(w, pull, 'The change is pushed')[0]);
  return github.channel.store.ofRun(link.runId)!;
}

test("GitHub on a pool: changes asked while the pull request's follow-up still goes are held (not refused; a reader's still are), then started as one follow-up once it has pushed: the amended spec approved in the spec comment, only the touched layer re-run", async () => {
  await withFollowUpGoing('ghpoolheld', async ({ w, store, pull, ciRun, release }) => {
    const before = {
      database: w.h.callsOf('database').length,
      frontend: w.h.callsOf('frontend').length,
      spec: w.h.callsOf('spec').length,
    };
    await w.deliver('issue_comment', issueCommented(REPO, ISSUE, `/orchestrator change ${FIRST}`, 'alice'));
    await w.deliver(
      'pull_request_review',
      pullRequestReviewed(REPO, pull, { state: 'changes_requested', body: SECOND, author: 'bob', id: 4343 }),
    );
    await w.deliver('issue_comment', issueCommented(REPO, ISSUE, '/orchestrator change drop the price', 'rita'));
    await w.until('both held', () => onPull(w, pull, '(2 held, joined in order)')[0]);
    assert.match(
      onPull(w, pull, '@alice: run ')[0]!.body,
      new RegExp(
        `run ${ciRun} still goes on the pool, so the change is held: it starts as a follow-up once run ${ciRun} has pushed its result`,
      ),
    );
    assert.equal(onPull(w, pull, 'still goes on the pool: ask for the change').length, 0, 'not refused');
    await w.until('the reader refused', () =>
      w.api.commentsOn(ISSUE.number).find((c) => c.body.includes('@rita: only collaborators with write access')),
    );
    const link = w.github.channel.store.ofRun(ciRun)!;
    assert.deepEqual(
      link.heldChanges?.map((h) => [h.by, h.text]),
      [
        ['alice', FIRST],
        ['bob', SECOND],
      ],
      "held in order, on disk with the link; not the reader's",
    );
    assert.equal((await store.list()).length, 2, 'nothing dispatched while the fix goes');

    release();
    await w.until('the CI fix pushed', () => onPull(w, pull, 'The CI fix is pushed')[0]);
    const fixed = w.remoteHead(BRANCH)!;
    const started = await w.until(
      'the held changes started',
      () => onPull(w, pull, `The 2 changes requested by @alice, @bob while run ${ciRun} went (joined in order)`)[0],
    );
    const change = await approvedAndPushed(w, pull, w.github);
    assert.match(started.body, new RegExp(`run ${change.runId}\\)`));
    const pushed = w.remoteHead(BRANCH)!;
    assert.equal(parentOf(w, pushed), fixed, "built on the CI fix's push: a fast-forward");
    assert.match(fileAt(w, pushed, 'server/entities/product.js'), /function search\(name\)/);
    assert.deepEqual(
      [change.of, change.pooled, change.status, change.heldChanges],
      [ciRun, true, 'completed', undefined],
    );
    assert.equal(w.github.channel.store.ofRun(ciRun)!.heldChanges, undefined, 'taken off the run that went');
    const amendments = w.h
      .callsOf('spec')
      .slice(before.spec)
      .map((c) => c.task)
      .filter(isAmendment);
    assert.equal(amendments.length, 1, 'one amendment for both requests');
    assert.match(
      amendments[0]!,
      new RegExp(`${FIRST.replace('.', '\\.')}\\s+${SECOND.replace('.', '\\.')}`),
      'joined in order',
    );
    assert.ok(!amendments[0]!.includes('drop the price'), "the reader's request is not in it");
    assert.ok(
      w.h.callsOf('backend').some((c) => isChangeFix(c.task)),
      'the touched layer re-ran',
    );
    assert.deepEqual(
      [w.h.callsOf('database').length, w.h.callsOf('frontend').length],
      [before.database, before.frontend],
      'the others did not',
    );
    assert.equal((await store.list()).length, 3, 'one change follow-up on the pool');
    // Journaled: asked on the run that went; on the follow-up, why it ran.
    assert.deepEqual(
      (await store.events(ciRun)).filter((e) => e.type === 'github.change.requested').map((e) => e.by),
      ['alice', 'bob'],
    );
    let journal = await store.events(change.runId);
    for (let i = 0; i < 400 && !journal.some((e) => e.type === 'github.pr.updated'); i++)
      journal = await new Promise((resolve) => setTimeout(resolve, 50)).then(() => store.events(change.runId));
    assert.deepEqual(
      journal.filter((e) => e.type === 'github.change.requested').map((e) => [e.by, e.detail]),
      [
        ['alice', `held while run ${ciRun} went: ${FIRST}`],
        ['bob', `held while run ${ciRun} went: ${SECOND}`],
      ],
    );
  });
});

test('GitHub on a pool: serve stops while a change is held for a follow-up going; started again after the follow-up completed, it pushes the fix and starts the held change once', async () => {
  await withFollowUpGoing('ghpoolheldrestart', async ({ w, store, pull, ciRun, release }) => {
    await w.deliver('issue_comment', issueCommented(REPO, ISSUE, `/orchestrator change ${FIRST}`, 'alice'));
    await w.until('held', () => w.github.channel.store.ofRun(ciRun)?.heldChanges?.length === 1);
    await w.github.close();
    release();
    for (let i = 0; i < 1200 && (await store.get(ciRun))?.status !== 'completed'; i++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal((await store.get(ciRun))?.status, 'completed', 'completed on the pool while serve was away');

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ANTHROPIC_API_KEY: TEST_KEYS.anthropic,
      GITHUB_WEBHOOK_SECRET: SECRET,
      GITHUB_TOKEN: TOKEN,
    };
    const again = (await startGithub(w.h.shop.dir, env, (line) => w.lines.push(line), { baseURL: w.h.api.url }))
      .github!;
    try {
      await w.until('the fix pushed after the restart', () => onPull(w, pull, 'The CI fix is pushed')[0]);
      const change = await approvedAndPushed(w, pull, again);
      assert.equal(change.of, ciRun);
      assert.match(fileAt(w, w.remoteHead(BRANCH)!, 'server/entities/product.js'), /function search\(name\)/);
      assert.equal(again.channel.store.ofRun(ciRun)?.heldChanges, undefined, 'nothing held any more');
    } finally {
      await again.close();
    }
    // Once: one follow-up for the held change, said once.
    assert.equal(onPull(w, pull, `The change requested by @alice while run ${ciRun} went`).length, 1);
    assert.equal((await store.list()).length, 3);
  });
});

test('GitHub on a pool: a change held for a follow-up that is then cancelled is dropped, said on the pull request; nothing is started', async () => {
  await withFollowUpGoing('ghpoolhelddropped', async ({ w, store, pull, ciRun, release }) => {
    await w.deliver('issue_comment', issueCommented(REPO, ISSUE, `/orchestrator change ${FIRST}`, 'alice'));
    await w.until('held', () => w.github.channel.store.ofRun(ciRun)?.heldChanges?.length === 1);
    await w.deliver('issue_comment', issueCommented(REPO, ISSUE, '/cancel', 'alice'));
    const dropped = await w.until(
      'the held change dropped',
      () => onPull(w, pull, `Run ${ciRun} ended cancelled: the change @alice requested while it went is dropped`)[0],
    );
    assert.match(dropped.body, /nothing was started/);
    release();
    assert.equal((await store.get(ciRun))?.status, 'stopped');
    assert.equal(w.github.channel.store.ofRun(ciRun)?.heldChanges, undefined);
    assert.equal((await store.list()).length, 2, 'no follow-up for it');
    assert.equal(onPull(w, pull, 'while run').length, 0, 'never started');
  });
});

test('GitHub on a pool: a change asked after the issue\'s pooled run completed but while its pull request is being opened is held for it (not "nothing to change"), and starts once the pull request is open', async () => {
  await withPooledGithub(
    'ghpoolheldopening',
    productFollowUpAgents(),
    async ({ w, store, startWorker }) => {
      startWorker();
      const opening = w.api.hold((method, path) => method === 'POST' && path.endsWith('/pulls'));
      await w.deliver('issues', issueLabeled(REPO, ISSUE, 'orchestrator', 'alice'));
      await w.until('the spec comment', () =>
        w.api.commentsOn(ISSUE.number).find((c) => c.body.includes('<!-- orchestrator:spec ')),
      );
      await w.deliver('issue_comment', issueCommented(REPO, ISSUE, '/approve', 'alice'));
      const runId = w.github.channel.store.ofIssue(ISSUE.number)!.runId;
      await w.until('the pull request being opened', () =>
        w.api.requests.some((r) => r.method === 'POST' && r.path.endsWith('/pulls')),
      );
      assert.equal((await store.get(runId))?.status, 'completed');
      await w.deliver('issue_comment', issueCommented(REPO, ISSUE, `/orchestrator change ${FIRST}`, 'alice'));
      const held = await w.until('held', () =>
        w.api.commentsOn(ISSUE.number).find((c) => c.body.includes('so the change is held')),
      );
      assert.match(held.body, new RegExp(`once run ${runId} has opened its pull request`));
      opening();
      const pull = await w.until('the pull request', () => w.api.pulls[0]);
      const started = await w.until('the held change started', () =>
        w.api
          .commentsOn(pull.number)
          .find((c) => c.body.includes(`The change requested by @alice while run ${runId} went`)),
      );
      assert.match(started.body, /waits for approval in the spec comment/);
      await w.until('the amended spec at the gate', () =>
        w.api
          .commentsOn(ISSUE.number)
          .find((c) => c.body.includes('REQ-3: Search products by name') && c.body.includes('Waiting for approval')),
      );
      assert.equal(w.api.commentsOn(ISSUE.number).filter((c) => c.body.includes('nothing to change')).length, 0);
      assert.equal((await store.list()).length, 2, 'one follow-up for it');
    },
    { roles: { alice: 'admin' }, leaseSec: 5 },
  );
});
