// Issue 44 item 2, GitHub with a pool (real PostgreSQL, a worker in this process): an issue naming a
// Spec Kit folder is run by a worker from that folder; the spec comment lists the model's placement,
// /changes T020=frontend moves that task (the worker writes it, no spec agent), /approve runs it to a
// pull request with no question waiting in the portal or on the issue.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { issueCommented, issueLabeled } from '../../support/githubWebhooks';
import { addTrips, TRIPS, tripAgents } from '../../support/engine/tripInvitations';
import { REPO } from '../../support/github/githubKit';
import { withPooledGithub } from '../../support/github/pooledGithubKit';

const ISSUE = { number: 12, title: 'Trip invitations', body: `Implement ${TRIPS}.`, author: 'alice' };

test("GitHub with a pool: an issue naming a Spec Kit folder; the spec comment shows the model's placement, /changes T020=frontend moves it, /approve to a pull request with nothing else asked", async () => {
  await withPooledGithub('ghpoolfolder', tripAgents(), async ({ w, store, startWorker }) => {
    addTrips(w.h.shop.dir, w.h.shop.git);
    w.h.shop.git('push', '-q', w.bare, 'main:refs/heads/main');
    await w.deliver('issues', issueLabeled(REPO, ISSUE, 'orchestrator', 'alice'));
    const link = await w.until('the pooled run', () => w.github.channel.store.ofIssue(12));
    startWorker();
    const waiting = () =>
      w.api
        .commentsOn(12)
        .find((c) => c.body.includes('<!-- orchestrator:spec ') && c.body.includes('Waiting for approval'));
    const first = await w.until('the spec comment', waiting);
    assert.equal(w.h.callsOf('spec').length, 0, 'the folder is the spec');
    assert.match(first.body, /- `T020` → `backend`: `the invitation queries live in the server`/);

    await w.deliver('issue_comment', issueCommented(REPO, ISSUE, '/changes T020=frontend', 'alice'));
    const moved = await w.until('the moved task, waiting again', () => {
      const now = waiting();
      return now?.body.includes(
        'T020 Performance pass over the invitation queries — layer: frontend (chosen when approving)',
      )
        ? now
        : undefined;
    });
    assert.equal(moved!.id, first.id, 'one spec comment, edited in place');
    assert.equal(w.h.callsOf('spec').length, 0, 'a move is not sent to a spec agent');
    await w.until('the link waiting again', () => w.github.channel.store.ofIssue(12)?.status === 'waiting');

    await w.deliver('issue_comment', issueCommented(REPO, ISSUE, '/approve', 'alice'));
    await w.until('the pull request', () => w.api.pulls[0]);
    assert.equal(await store.confirmations.of(link.runId), undefined, 'nothing asked in the portal');
    assert.ok(!w.api.commentsOn(12).some((c) => c.body.includes('/allow')), 'nothing asked on the issue');
    const assigned = (await store.events(link.runId)).find((e) => e.type === 'tasks.assigned')!;
    assert.ok(
      (assigned.tasks as { task: string; layer: string; source: string }[]).some(
        (t) => t.task === 'T020' && t.layer === 'frontend' && t.source === 'user',
      ),
      JSON.stringify(assigned),
    );
  });
});
