// A pooled run's github.* entries survive `serve` killed with kill -9 (issue 39 with issue 28, real
// PostgreSQL): an entry recorded while a worker writes the run's journal waits for it, on disk
// (outbox.ts); serve killed then and started again, it joins the pool's journal once the run stops
// at its gate, once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { issueCommented, issueLabeled, signDelivery } from '../../support/githubWebhooks';
import { say } from '../../support/engine/agentScript';
import { invoiceAgents, INVOICE_SPEC, ISSUE, REPO, SECRET } from '../../support/github/githubKit';
import { withPooledRestartWorld } from '../../support/github/pooledGithubKit';

test("GitHub with a pool: a github.* entry recorded while a worker runs the run is durable: serve killed with kill -9 then, the entry is in the pool's journal exactly once after the run stops at its gate", async () => {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const agents = {
    ...invoiceAgents(),
    spec: async () => (await held, say.spec('Invoice API', 'invoice-api', INVOICE_SPEC)),
  };
  await withPooledRestartWorld('ghpooloutbox', agents, async ({ w, store, startWorker }) => {
    const refusals = async (runId: string) =>
      (await store.events(runId)).filter((e) => e.type === 'github.decision.refused' && e.by === 'rita');
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

      // A worker takes it; its spec agent is held: the worker writes the run's journal all along.
      startWorker();
      let polled: string | undefined;
      const poll = async () => (polled = (await store.get(runId))?.status);
      await w.until('the worker running it', () => (void poll(), polled === 'running'));

      // A reader's /approve, refused and journaled while the worker runs: the entry waits for the journal.
      await w.deliver(first, signDelivery(SECRET, 'issue_comment', issueCommented(REPO, ISSUE, '/approve', 'rita')));
      await w.until('the refusal said', () =>
        w.api.commentsOn(ISSUE.number).some((c) => c.body.includes('@rita: only collaborators with write access')),
      );
      assert.equal((await store.get(runId))?.status, 'running');
      assert.equal((await refusals(runId)).length, 0, "not in the pool's journal while the worker writes it");
      first.child.kill('SIGKILL');
      await first.exited;

      // The run goes on to its gate without serve; serve started again adds the entry once it is there.
      release();
      await w.until('the run at its gate', () => (void poll(), polled === 'awaiting-approval'));
      w.serve();
      let count = 0;
      const countRefusals = async () => (count = (await refusals(runId)).length);
      await w.until("the refusal in the pool's journal", () => (void countRefusals(), count > 0));
      const entries = await refusals(runId);
      assert.equal(entries.length, 1, `the refusal once in the pool's journal: ${JSON.stringify(entries)}`);
      assert.equal(entries[0]!.detail, 'approve');
      const linked = (await store.events(runId)).filter((e) => e.type === 'github.issue.linked');
      assert.equal(linked.length, 1, 'the link recorded while queued joined the journal once too');
    } finally {
      release();
    }
  });
});
