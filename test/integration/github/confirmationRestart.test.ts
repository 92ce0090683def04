// A confirmation asked on the issue outlives `serve` killed with kill -9 (issues 44, 72): the question
// is parked (kept on the run's link, the run set aside), so no serve waits for it; a writer's /allow
// to a second serve answers it through engine.answerQuestion and the run continues to its pull request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PRODUCT_MIGRATION } from '../../support/engine/fixtures';
import { journalOf } from '../../support/engine/harness';
import { GithubStore } from '../../../src/github/store';
import { issueCommented, issueLabeled, signDelivery } from '../../support/githubWebhooks';
import { ISSUE, REPO, SECRET } from '../../support/github/githubKit';
import { INDEX_SQL, migrationAgents, NAMED_MIGRATION, UNNAMED_MIGRATION } from '../../support/github/migrationAgents';
import {
  cutJournalAt,
  restartWorld,
  resumedNotes,
  specComments,
  type RestartWorld,
} from '../../support/github/restartKit';

const confirmationComments = (w: RestartWorld) =>
  w.api.commentsOn(ISSUE.number).filter((c) => c.body.includes('### Confirmation asked'));

test('GitHub: a confirmation parked by one serve, answered after it was killed with kill -9: the second serve continues the run through the one verb to its pull request', async () => {
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
    assert.match(asked.body, /The run is set aside until a collaborator with write access answers/);
    const link = await w.until('the question parked on the link', () => {
      const l = new GithubStore(w.h.shop.dir).ofIssue(ISSUE.number);
      return l?.confirmation?.parked && l.confirmation.questionId ? l : undefined;
    });
    first.child.kill('SIGKILL');
    assert.equal((await first.exited).signal, 'SIGKILL');
    // As if killed between posting the question and remembering its comment (the window a loaded
    // machine hits): neither its comment's id kept nor the question journaled; the answer still
    // says so in that comment, found by its marker, and the question is journaled once.
    const store = new GithubStore(w.h.shop.dir);
    const { commentId: _id, commentUrl: _url, ...forgotten } = store.ofIssue(ISSUE.number)!.confirmation!;
    store.put({ ...store.ofIssue(ISSUE.number)!, confirmation: forgotten });
    cutJournalAt(w, link.runId, 'github.confirmation.asked', 'dropped');

    const second = w.serve();
    // Parked, not resumed: nothing runs until the answer, and the question is not asked again.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(resumedNotes(w).length, 0, 'a parked run is not resumed');
    assert.equal(w.h.callsOf('database').length, 1, 'the database agent is not run again before the answer');
    assert.equal(w.api.pulls.length, 0);

    await w.deliver(second, signDelivery(SECRET, 'issue_comment', issueCommented(REPO, ISSUE, '/allow', 'alice')));
    const pull = await w.until('the pull request', () => w.api.pulls[0]);
    assert.equal(w.h.shop.git('--git-dir', w.bare, 'show', `${pull.headSha}:${UNNAMED_MIGRATION}`), INDEX_SQL);
    assert.equal(confirmationComments(w).length, 1, 'one confirmation comment');
    assert.match(confirmationComments(w)[0]!.body, /Allowed by @alice\./);
    const runId = /<!-- orchestrator:run (\S+) -->/.exec(pull.body)![1]!;
    assert.equal(runId, link.runId);
    const journal = journalOf(w.h.shop, runId);
    assert.equal(journal.filter((e) => e.type === 'github.confirmation.asked').length, 1);
    assert.deepEqual(
      journal.filter((e) => e.type === 'github.confirmation.decided').map((e) => [e.by, e.detail]),
      [['alice', 'allow']],
    );
    // The parked question answered through the engine's one verb, by its id.
    assert.ok(journal.some((e) => e.type === 'question.answered' && e.id === link.confirmation!.questionId));
    second.child.kill('SIGTERM');
    assert.equal((await second.exited).code, 0, second.output());
  } finally {
    await w.close();
  }
});
