// Issue 39: a change request held for a pooled run (pooledHeldChanges.test.ts) survives `serve`
// killed with kill -9 (serve a process of its own, real PostgreSQL, a worker in this process). The
// change is asked on the issue while the issue's first run still implements on the pool, before it
// has a pull request; serve is killed, the run completes without it; serve started again opens the
// pull request and starts the held change as its follow-up, once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GithubStore } from '../../../src/github/store';
import { issueCommented, issueLabeled, signDelivery } from '../../support/githubWebhooks';
import { isChangeFix, productFollowUpAgents } from '../../support/engine/productChanges';
import { BRANCH, ISSUE } from '../../support/github/followUpKit';
import { REPO, SECRET } from '../../support/github/githubKit';
import { withPooledRestartWorld } from '../../support/github/pooledGithubKit';

const CHANGE = 'Add a search by name to the Product module.';

test("GitHub on a pool: a change asked while the issue's pooled run implements is held on disk; serve killed with kill -9 then, started again it opens the pull request and starts the held change once: amended, approved, only the backend re-run", async () => {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let holding = false;
  const agents = productFollowUpAgents();
  const backend = agents.backend!;
  agents.backend = async (call) => {
    if (!isChangeFix(call.task) && !holding) {
      holding = true;
      await held;
    }
    return backend(call);
  };
  await withPooledRestartWorld('ghpoolheldkill', agents, async ({ w, store, startWorker }) => {
    const issueNotes = (text: string) => w.api.commentsOn(ISSUE.number).filter((c) => c.body.includes(text));
    const comment = (body: string) => signDelivery(SECRET, 'issue_comment', issueCommented(REPO, ISSUE, body, 'alice'));
    try {
      const first = w.serve();
      assert.equal(
        (await w.deliver(first, signDelivery(SECRET, 'issues', issueLabeled(REPO, ISSUE, 'orchestrator', 'alice'))))
          .status,
        202,
      );
      const runId = await w.until(
        'the run sent to the pool',
        () => /sent to the pool as run (\S+)/.exec(first.output())?.[1],
      );
      startWorker();
      await w.until('the spec comment', () => issueNotes('<!-- orchestrator:spec ')[0]);
      await w.deliver(first, comment('/approve'));
      await w.until('the backend implementing on the pool', () => holding);

      await w.deliver(first, comment(`/orchestrator change ${CHANGE}`));
      const heldNote = await w.until('the change held', () => issueNotes('so the change is held')[0]);
      assert.match(
        heldNote.body,
        new RegExp(
          `@alice: run ${runId} still goes on the pool, so the change is held: it starts as a follow-up once run ${runId} has opened its pull request`,
        ),
      );
      first.child.kill('SIGKILL');
      await first.exited;

      // The run completes on the pool without serve; serve started again opens its pull request, then starts the held change.
      release();
      let status: string | undefined;
      const poll = async () => (status = (await store.get(runId))?.status);
      await w.until('the run completed on the pool', () => (void poll(), status === 'completed'));
      assert.equal(w.api.pulls.length, 0, 'no pull request while serve was away');
      const second = w.serve();
      const pull = await w.until('the pull request', () => w.api.pulls[0]);
      const firstHead = await w.until('its head pushed', () => w.remoteHead(BRANCH));
      const others = () => [w.h.callsOf('database').length, w.h.callsOf('frontend').length];
      const before = others();
      const started = await w.until('the held change started', () =>
        w.api
          .commentsOn(pull.number)
          .find((c) => c.body.includes(`The change requested by @alice while run ${runId} went`)),
      );
      const changeRun = /Only the layers it touches run again \(run (\S+)\)/.exec(started.body)?.[1];
      assert.ok(changeRun, started.body);
      await w.until('the amended spec at the gate', () =>
        issueNotes('REQ-3: Search products by name').find((c) => c.body.includes('Waiting for approval')),
      );
      await w.until(
        'waiting in the database',
        () => (void store.get(changeRun).then((r) => (status = r?.status)), status === 'awaiting-approval'),
      );
      await w.deliver(second, comment('/approve'));
      await w.until('the change pushed', () =>
        w.api.commentsOn(pull.number).find((c) => c.body.includes('The change is pushed')),
      );
      const pushed = w.remoteHead(BRANCH)!;
      assert.equal(
        w.h.shop.git('--git-dir', w.bare, 'rev-parse', `${pushed}^`).trim(),
        firstHead,
        "a fast-forward of the pull request's branch",
      );
      assert.match(
        w.h.shop.git('--git-dir', w.bare, 'show', `${pushed}:server/entities/product.js`),
        /function search\(name\)/,
      );
      assert.ok(
        w.h.callsOf('backend').some((c) => isChangeFix(c.task)),
        'the backend re-ran for it',
      );
      assert.deepEqual(others(), before, 'the untouched layers did not');

      // Once: one follow-up in the pool, one note, nothing held on disk any more.
      const runs = await store.list();
      assert.deepEqual(runs.map((r) => r.runId).sort(), [runId, changeRun].sort());
      assert.equal(w.api.commentsOn(pull.number).filter((c) => c.body.includes('while run')).length, 1);
      assert.deepEqual(
        new GithubStore(w.h.shop.dir)
          .links()
          .filter((l) => l.heldChanges)
          .map((l) => l.runId),
        [],
      );
    } finally {
      release();
    }
  });
});
