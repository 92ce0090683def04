import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { journalOf } from '../../support/engine/harness';
import { PRODUCT_MIGRATION } from '../../support/engine/fixtures';
import { withLimit } from '../../support/engine/shopWorkspace';
import { issueCommented, issueLabeled } from '../../support/githubWebhooks';
import { githubWorld, ISSUE, REPO, type GithubWorld } from '../../support/github/githubKit';
import {
  INDEX_SQL,
  migrationAgents as agents,
  NAMED_MIGRATION as NAMED,
  UNNAMED_MIGRATION as UNNAMED,
} from '../../support/github/migrationAgents';

const confirmationComments = (w: GithubWorld) =>
  w.api.commentsOn(7).filter((c) => c.body.includes('### Confirmation asked'));

async function approved(w: GithubWorld): Promise<void> {
  await w.deliver('issues', issueLabeled(REPO, ISSUE, 'orchestrator', 'alice'));
  await w.until('the spec comment', () => w.api.commentsOn(7).find((c) => c.body.includes('<!-- orchestrator:spec ')));
  await w.deliver('issue_comment', issueCommented(REPO, ISSUE, '/approve', 'alice'));
}

test('GitHub confirmations: a spec whose approval names the migration reaches a pull request, the approval journaled as the confirmation of exactly that file', async () => {
  const w = await githubWorld(agents({ [NAMED]: PRODUCT_MIGRATION }), { alice: 'write' });
  try {
    await approved(w);
    const pull = await w.until('the pull request', () => w.api.pulls[0]);
    assert.match(pull.body, /003_create_product\.sql/);
    assert.deepEqual(confirmationComments(w), [], 'nothing asked on the issue');
    const runId = w.github.channel.store.ofIssue(7)!.runId;
    const confirmations = journalOf(w.h.shop, runId).filter((e) => e.type === 'confirmation');
    assert.deepEqual(
      confirmations.map((e) => [e.kind, e.paths, e.answer, typeof e.covered]),
      [['schema-change', [NAMED], true, 'string']],
    );
  } finally {
    await w.close();
  }
});

test('GitHub confirmations: a schema file the spec does not name is asked by a comment naming it; /allow from a reader is refused, from a writer the run continues to its pull request', async () => {
  const w = await githubWorld(agents({ [NAMED]: PRODUCT_MIGRATION, [UNNAMED]: INDEX_SQL }), {
    alice: 'write',
    rita: 'read',
  });
  try {
    await approved(w);
    const asked = await w.until('the confirmation comment', () => confirmationComments(w)[0]);
    assert.match(asked.body, /change the schema/);
    assert.match(asked.body, /- `db\/migrations\/004_product_index\.sql`/);
    assert.doesNotMatch(asked.body, /003_create_product/, 'the approval covers the file it names');
    assert.match(asked.body, /`\/allow` or `\/deny`/);
    assert.equal(w.github.channel.store.ofIssue(7)!.status, 'waiting');
    await w.deliver('issue_comment', issueCommented(REPO, ISSUE, '/allow', 'rita'));
    await w.until('the refusal', () =>
      w.api.commentsOn(7).find((c) => c.body.includes('@rita: only collaborators with write access may decide')),
    );
    assert.equal(w.api.pulls.length, 0);
    assert.equal(w.github.channel.store.ofIssue(7)!.status, 'waiting', 'still waiting after the reader');
    await w.deliver('issue_comment', issueCommented(REPO, ISSUE, '/allow', 'alice'));
    const pull = await w.until('the pull request', () => w.api.pulls[0]);
    assert.equal(
      execFileSync('git', ['show', `${pull.headSha}:${UNNAMED}`], { cwd: w.bare, encoding: 'utf8' }),
      INDEX_SQL,
    );
    assert.match(confirmationComments(w)[0]!.body, /Allowed by @alice\./);
    const journal = journalOf(w.h.shop, w.github.channel.store.ofIssue(7)!.runId);
    assert.deepEqual(
      journal.filter((e) => e.type === 'github.confirmation.decided').map((e) => [e.by, e.detail]),
      [['alice', 'allow']],
    );
    assert.deepEqual(
      journal.filter((e) => e.type === 'github.decision.refused').map((e) => [e.by, e.detail]),
      [['rita', 'allow']],
    );
    assert.deepEqual(
      journal.filter((e) => e.type === 'confirmation' && !e.covered).map((e) => [e.kind, e.paths, e.answer]),
      [['schema-change', [UNNAMED], true]],
    );
  } finally {
    await w.close();
  }
});

test('GitHub confirmations: /deny stops the run with a refusal report naming what was refused; nothing is pushed', async () => {
  const w = await githubWorld(agents({ [NAMED]: PRODUCT_MIGRATION, [UNNAMED]: INDEX_SQL }), { alice: 'write' });
  try {
    await approved(w);
    await w.until('the confirmation comment', () => confirmationComments(w)[0]);
    await w.deliver('issue_comment', issueCommented(REPO, ISSUE, '/deny', 'alice'));
    const ended = await w.until('the end of the run', () =>
      w.api.commentsOn(7).find((c) => c.body.includes('Nothing was pushed')),
    );
    assert.match(
      ended.body,
      /ended stopped: confirmation refused: schema-change of db\/migrations\/004_product_index\.sql/,
    );
    assert.doesNotMatch(ended.body, /no implementing file/);
    assert.match(confirmationComments(w)[0]!.body, /Denied by @alice\./);
    assert.equal(w.api.pulls.length, 0);
    assert.equal(w.github.channel.store.ofIssue(7)!.status, 'stopped');
  } finally {
    await w.close();
  }
});

test('GitHub confirmations: unanswered past limits.confirmationWaitSec, the run stops and says why', async () => {
  const w = await githubWorld(
    agents({ [UNNAMED]: INDEX_SQL }),
    { alice: 'write' },
    { config: withLimit('confirmationWaitSec', 1) },
  );
  try {
    await approved(w);
    const ended = await w.until('the end of the run', () =>
      w.api.commentsOn(7).find((c) => c.body.includes('Nothing was pushed')),
    );
    assert.match(ended.body, /stopped: no answer to its confirmation within 1 s \(limits\.confirmationWaitSec\)/);
    assert.match(confirmationComments(w)[0]!.body, /No answer within 1 s/);
    assert.equal(w.api.pulls.length, 0);
  } finally {
    await w.close();
  }
});
