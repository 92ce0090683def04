// Issue 44 item 2: an issue naming a Spec Kit folder of the repository runs that folder; the model's
// placement of its tasks naming no file is shown in the spec comment, /changes moves a task, /approve
// accepts the rest, and nothing stops for placement. A folder nothing can place says so in the comment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { journalOf } from '../../support/engine/harness';
import { say } from '../../support/engine/agentScript';
import { addTrips, placedNowhere, TRIPS, tripAgents } from '../../support/engine/tripInvitations';
import { issueCommented, issueLabeled } from '../../support/githubWebhooks';
import { githubWorld, REPO } from '../../support/github/githubKit';

const ISSUE = {
  number: 12,
  title: 'Trip invitations',
  body: `Implement the Spec Kit folder ${TRIPS} (written with the product team).`,
  author: 'alice',
};

type World = Awaited<ReturnType<typeof githubWorld>>;
const specComment = (w: World) => w.api.commentsOn(12).find((c) => c.body.includes('<!-- orchestrator:spec '));

test("GitHub: an issue naming a Spec Kit folder runs it; the spec comment shows the model's placement, /changes T020=frontend moves that task, /approve runs it to a pull request without asking anything else", async () => {
  const w = await githubWorld(tripAgents(), { alice: 'write' });
  try {
    addTrips(w.h.shop.dir, w.h.shop.git);
    await w.deliver('issues', issueLabeled(REPO, ISSUE, 'orchestrator', 'alice'));
    const first = await w.until('the spec comment', () => specComment(w));
    assert.equal(w.h.callsOf('spec').length, 0, 'the folder is the spec: no spec agent');
    assert.match(
      first.body,
      /\*\*Where the tasks naming no file go\*\* \(the model's proposal; `\/approve` accepts it, `\/changes <task>=<layer>` moves a task\):\n- `T020` → `backend`: `the invitation queries live in the server`\n- `T021` → `not-implementable`: `a newsletter to people, not code`/,
    );
    assert.match(
      first.body,
      /T020 Performance pass over the invitation queries — layer: backend \(proposed by the model: the invitation queries live in the server\)/,
    );

    await w.deliver('issue_comment', issueCommented(REPO, ISSUE, '/changes T020=frontend', 'alice'));
    const moved = await w.until('the moved task in the same comment', () => {
      const body = specComment(w)?.body ?? '';
      return body.includes(
        'T020 Performance pass over the invitation queries — layer: frontend (chosen when approving)',
      ) && body.includes('Waiting for approval')
        ? specComment(w)
        : undefined;
    });
    assert.equal(moved!.id, first.id, 'one spec comment, edited in place');
    assert.doesNotMatch(moved!.body, /`T020` → `backend`/, 'the proposal is no longer shown for the moved task');
    assert.equal(w.h.callsOf('spec').length, 0, 'a move is not sent to a spec agent');

    await w.deliver('issue_comment', issueCommented(REPO, ISSUE, '/approve', 'alice'));
    const pull = await w.until('the pull request', () => w.api.pulls[0]);
    assert.match(pull.body, /Closes #12/);
    const runId = w.github.channel.store.ofIssue(12)!.runId;
    assert.equal(w.h.callsOf('layers').length, 1, 'the model is asked once');
    const frontend = w.h.callsOf('frontend')[0]!.req.body as { system: { text: string }[] | string };
    const system =
      typeof frontend.system === 'string' ? frontend.system : frontend.system.map((b) => b.text).join('\n');
    assert.ok(
      system
        .slice(system.indexOf('## YOUR TASKS (frontend)'))
        .includes('T020 Performance pass over the invitation queries'),
      'the frontend does the moved task',
    );
    assert.ok(!w.api.commentsOn(12).some((c) => c.body.includes('/allow')), 'no confirmation asked on the issue');
    const journal = journalOf(w.h.shop, runId);
    const assigned = journal.find((e) => e.type === 'tasks.assigned')!;
    assert.deepEqual(
      (assigned.tasks as { task: string; layer: string; source: string }[])
        .filter((t) => ['T020'].includes(t.task))
        .map((t) => [t.task, t.layer, t.source]),
      [['T020', 'frontend', 'user']],
    );
    assert.deepEqual(
      (assigned.notImplementable as { task: string; source: string }[]).find((t) => t.task === 'T021')?.source,
      'model',
    );
    // The proposal's call is the run's: journaled as the spec agent's usage, charged to it.
    assert.ok(journal.some((e) => e.type === 'llm.usage' && e.agent === 'spec'));
  } finally {
    await w.close();
  }
});

test('GitHub: a folder whose tasks no layer owns anything like says so in the spec comment, naming the tasks and the layers; /approve is refused with the same sentence', async () => {
  const w = await githubWorld(
    {
      layers: () => say.layers(placedNowhere('no layer owns database tuning of this kind')),
      review: () => say.approve(),
    },
    { alice: 'write' },
  );
  try {
    addTrips(w.h.shop.dir, w.h.shop.git);
    await w.deliver('issues', issueLabeled(REPO, ISSUE, 'orchestrator', 'alice'));
    const comment = await w.until('the spec comment', () => specComment(w));
    assert.match(
      comment.body,
      /\*\*Not placed:\*\* `tasks T020, T021 name no file and no layer could be told for them, the model found no layer owning anything like them \(layers: database owns db\/\*\*; backend owns server\/\*\*; frontend owns web\/\*\*\)`\. Give each its layer with `\/changes <task>=<layer>`, or add a layer that owns this work\./,
    );
    await w.deliver('issue_comment', issueCommented(REPO, ISSUE, '/approve', 'alice'));
    const refusal = await w.until('the refusal', () => w.api.commentsOn(12).find((c) => c.body.includes('@alice:')));
    assert.match(
      refusal.body,
      /@alice: spec \S+ was not approved: tasks T020, T021 name no file and no layer could be told for them, the model found no layer owning anything like them \(layers: database owns db\/\*\*; backend owns server\/\*\*; frontend owns web\/\*\*\); give each its layer \(the layer picker, `\/changes <task>=<layer>` on GitHub/,
    );
    assert.equal(w.h.callsOf('backend').length, 0, 'nothing ran');
  } finally {
    await w.close();
  }
});
