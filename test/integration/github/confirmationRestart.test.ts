// A confirmation asked on the issue outlives `serve` killed with kill -9 (issue 44): started again,
// the run resumes, asks the same question in the same comment, and a writer's /allow finishes it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PRODUCT_MIGRATION } from '../../support/engine/fixtures';
import { journalOf } from '../../support/engine/harness';
import { issueCommented, issueLabeled, signDelivery } from '../../support/githubWebhooks';
import { ISSUE, REPO, SECRET } from '../../support/github/githubKit';
import { INDEX_SQL, migrationAgents, NAMED_MIGRATION, UNNAMED_MIGRATION } from '../../support/github/migrationAgents';
import { restartWorld, resumedNotes, specComments, type RestartWorld } from '../../support/github/restartKit';

const confirmationComments = (w: RestartWorld) =>
  w.api.commentsOn(ISSUE.number).filter((c) => c.body.includes('### Confirmation asked'));

test('GitHub: serve killed with kill -9 while a confirmation waits; started again, the run still waits in the same comment and continues on /allow to its pull request', async () => {
  const w = await restartWorld(
    migrationAgents({ [NAMED_MIGRATION]: PRODUCT_MIGRATION, [UNNAMED_MIGRATION]: INDEX_SQL }),
  );
  try {
    const first = w.serve();
    await w.deliver(first, signDelivery(SECRET, 'issues', issueLabeled(REPO, ISSUE, 'orchestrator', 'alice')));
    await w.until('the spec comment', () => specComments(w)[0]);
    await w.deliver(first, signDelivery(SECRET, 'issue_comment', issueCommented(REPO, ISSUE, '/approve', 'alice')));
    const asked = await w.until('the confirmation comment', () => confirmationComments(w)[0]);
    assert.match(asked.body, /`db\/migrations\/004_product_index\.sql`/);
    first.child.kill('SIGKILL');
    assert.equal((await first.exited).signal, 'SIGKILL');

    const second = w.serve();
    const resumed = await w.until('the note of the resumed run', () => resumedNotes(w)[0]);
    assert.match(resumed.body, /its confirmation waits again/);
    // The resumed database agent proposes its changes again and the run asks again: in the same comment, still waiting.
    await w.until('the database agent asked again', () => w.h.callsOf('database').length === 2);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(w.api.pulls.length, 0, 'still waiting');
    assert.equal(confirmationComments(w).length, 1, 'one confirmation comment');
    assert.match(confirmationComments(w)[0]!.body, /The run waits/);

    await w.deliver(second, signDelivery(SECRET, 'issue_comment', issueCommented(REPO, ISSUE, '/allow', 'alice')));
    const pull = await w.until('the pull request', () => w.api.pulls[0]);
    assert.equal(w.h.shop.git('--git-dir', w.bare, 'show', `${pull.headSha}:${UNNAMED_MIGRATION}`), INDEX_SQL);
    assert.match(confirmationComments(w)[0]!.body, /Allowed by @alice\./);
    const runId = /<!-- orchestrator:run (\S+) -->/.exec(pull.body)![1]!;
    const journal = journalOf(w.h.shop, runId);
    assert.equal(journal.filter((e) => e.type === 'github.confirmation.asked').length, 1);
    assert.deepEqual(
      journal.filter((e) => e.type === 'github.confirmation.decided').map((e) => [e.by, e.detail]),
      [['alice', 'allow']],
    );
    second.child.kill('SIGTERM');
    assert.equal((await second.exited).code, 0, second.output());
  } finally {
    await w.close();
  }
});
