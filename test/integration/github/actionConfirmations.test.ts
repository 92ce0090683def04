import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { say } from '../../support/engine/agentScript';
import { PRODUCT_MIGRATION } from '../../support/engine/fixtures';
import { isCiFix, productFollowUpAgents } from '../../support/engine/productChanges';
import { withLimit } from '../../support/engine/shopWorkspace';
import { checkRunCompleted, issueCommented, issueLabeled } from '../../support/githubWebhooks';
import { ISSUE, REPO } from '../../support/github/githubKit';
import { actionWorld, type ActionWorld, type JobResult } from '../../support/github/actionKit';
import {
  INDEX_SQL,
  migrationAgents as agents,
  NAMED_MIGRATION as NAMED,
  UNNAMED_MIGRATION as UNNAMED,
} from '../../support/github/migrationAgents';

// Issue 48: a confirmation in a job of the GitHub Action is asked where the run lives, as under
// `serve` (a comment on the issue, `/allow` or `/deny` from a collaborator with write access), but no
// job waits for it: the run is set aside on it and the job ends; the answer starts the job that
// continues the run, which asks again and is answered with it.

const STATE = `refs/orchestrator/state/${ISSUE.number}`;
const confirmationComments = (w: ActionWorld) =>
  w.api.commentsOn(ISSUE.number).filter((c) => c.body.includes('### Confirmation asked'));
const stateOf = (w: ActionWorld) =>
  JSON.parse(w.h.shop.git('--git-dir', w.bare, 'cat-file', '-p', `${STATE}:state.json`)) as {
    links: { runId: string; status: string; confirmation?: { parked?: { waitSec: number } }; answered?: unknown[] }[];
    runs: Record<string, { base: string }>;
  };
const journalOf = (w: ActionWorld, runId: string) =>
  w.h.shop
    .git('--git-dir', w.bare, 'cat-file', '-p', `${STATE}:journals/${runId}.jsonl`)
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

function ok(job: JobResult, status: string): void {
  assert.equal(job.outputs.status, status, job.log);
  assert.equal(job.code, 0, job.log);
}

/** The issue labelled (its spec posted), then approved by a writer: the job that implements. */
async function approvedJob(w: ActionWorld): Promise<JobResult> {
  ok(await w.job('issues', issueLabeled(REPO, ISSUE, 'orchestrator', 'alice')), 'awaiting-approval');
  return w.job('issue_comment', issueCommented(REPO, ISSUE, '/approve', 'alice'));
}

test("GitHub Action confirmations: the job asks on the issue and ends with the run set aside; a reader's /allow is refused; a writer's /allow continues it in the next job to its pull request", async () => {
  const w = await actionWorld(agents({ [NAMED]: PRODUCT_MIGRATION, [UNNAMED]: INDEX_SQL }), {
    alice: 'write',
    rita: 'read',
  });
  try {
    const asking = await approvedJob(w);
    ok(asking, 'awaiting-approval');
    const [asked, ...more] = confirmationComments(w);
    assert.ok(asked, asking.log);
    assert.equal(more.length, 0);
    assert.match(asked.body, /- `db\/migrations\/004_product_index\.sql`/);
    assert.doesNotMatch(asked.body, /003_create_product/, 'the approval covers the file it names');
    assert.match(asked.body, /set aside until a collaborator with write access answers `\/allow` or `\/deny`/);
    assert.match(asking.summary, /set aside on a confirmation asked on the issue/);
    assert.match(asking.log, /warn: Run \S+ set aside: it waits for the answer to its confirmation on issue #7/);
    assert.match(
      asking.log,
      /Orchestrator: awaiting-approval\. The run is set aside on a confirmation asked on the issue \(http/,
    );
    assert.equal(w.api.pulls.length, 0);
    const [link] = stateOf(w).links;
    assert.equal(link!.status, 'waiting');
    assert.equal(link!.confirmation?.parked?.waitSec, 86_400);

    const calls = w.h.calls.length;
    ok(await w.job('issue_comment', issueCommented(REPO, ISSUE, '/allow', 'rita')), 'refused');
    assert.ok(
      w.api
        .commentsOn(ISSUE.number)
        .some((c) => c.body.includes('@rita: only collaborators with write access may decide')),
    );
    assert.equal(w.h.calls.length, calls, 'no model call');
    assert.equal(stateOf(w).links[0]!.status, 'waiting', 'still set aside');

    const database = w.h.callsOf('database').length;
    const allowing = await w.job('issue_comment', issueCommented(REPO, ISSUE, '/allow', 'alice'));
    ok(allowing, 'completed');
    const pull = w.api.pulls[0]!;
    assert.equal(allowing.outputs['pull-request'], pull.html_url);
    assert.equal(w.h.shop.git('--git-dir', w.bare, 'show', `${w.remoteHead(pull.head)}:${UNNAMED}`), INDEX_SQL);
    assert.ok(w.h.callsOf('database').length > database, 'the database agent did its turn again');
    // Asked again by the continued run and answered with the kept answer: not posted twice.
    assert.equal(confirmationComments(w).length, 1);
    assert.match(confirmationComments(w)[0]!.body, /Allowed by @alice\./);
    const journal = journalOf(w, link!.runId);
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
    // The gate and the confirmation alike: parked in one job, answered in the next through engine.answerQuestion (issue 72).
    for (const [kind, answer] of [
      ['gate', 'approve'],
      ['confirmation', 'yes'],
    ]) {
      const asked = journal.find((e) => e.type === 'question.asked' && e.kind === kind);
      assert.deepEqual(
        journal
          .filter((e) => e.id === asked?.id && e.type !== 'question.asked')
          .map((e) => [e.type, e.answer, e.by, e.who]),
        [
          ['question.parked', undefined, undefined, undefined],
          ['question.answered', answer, 'later', 'github:alice'],
        ],
        kind,
      );
    }
  } finally {
    await w.close();
  }
});

test('GitHub Action confirmations: /deny in the next job stops the run with a refusal naming what was refused; nothing is pushed', async () => {
  const w = await actionWorld(agents({ [NAMED]: PRODUCT_MIGRATION, [UNNAMED]: INDEX_SQL }), { alice: 'write' });
  try {
    ok(await approvedJob(w), 'awaiting-approval');
    const denying = await w.job('issue_comment', issueCommented(REPO, ISSUE, '/deny', 'alice'));
    ok(denying, 'stopped');
    const ended = w.api.commentsOn(ISSUE.number).find((c) => c.body.includes('Nothing was pushed'));
    assert.match(
      ended?.body ?? '',
      /ended stopped: confirmation refused: schema-change of db\/migrations\/004_product_index\.sql/,
      denying.log,
    );
    assert.match(confirmationComments(w)[0]!.body, /Denied by @alice\./);
    assert.equal(w.api.pulls.length, 0);
    assert.equal(stateOf(w).links[0]!.status, 'stopped');
  } finally {
    await w.close();
  }
});

test('GitHub Action confirmations: unanswered past limits.confirmationWaitSec, the next job of the issue stops the run and says why; a late /allow continues nothing; workflow_dispatch with its spec takes it up and asks again', async () => {
  const w = await actionWorld(
    agents({ [UNNAMED]: INDEX_SQL }),
    { alice: 'write' },
    { config: withLimit('confirmationWaitSec', 1) },
  );
  try {
    ok(await approvedJob(w), 'awaiting-approval');
    await sleep(1100);
    const calls = w.h.calls.length;
    const late = await w.job('issue_comment', issueCommented(REPO, ISSUE, '/allow', 'alice'));
    ok(late, 'stopped');
    assert.match(confirmationComments(w)[0]!.body, /No answer within 1 s/);
    const notes = w.api
      .commentsOn(ISSUE.number)
      .map((c) => c.body)
      .join('\n');
    assert.match(notes, /stopped: no answer to its confirmation within 1 s \(limits\.confirmationWaitSec\)/);
    assert.match(notes, /@alice: run \S+ is not waiting for a confirmation \(stopped\)/);
    assert.equal(w.h.calls.length, calls, 'no model call');
    assert.equal(w.api.pulls.length, 0);
    const [stopped] = stateOf(w).links;
    assert.equal(stopped!.status, 'stopped');
    assert.ok(stateOf(w).runs[stopped!.runId], 'its base and work kept in the state');
    // Resumable: the run's work stayed in the state; run with its spec, it does its turn again and asks anew.
    const specId = /<!-- orchestrator:spec (\S+) -->/.exec(
      w.api.commentsOn(ISSUE.number).find((c) => c.body.includes('<!-- orchestrator:spec '))!.body,
    )![1]!;
    const database = w.h.callsOf('database').length;
    const again = await w.job('workflow_dispatch', {
      inputs: { 'spec-id': specId },
      ref: 'refs/heads/main',
      repository: { full_name: 'acme/shop' },
    });
    ok(again, 'awaiting-approval');
    assert.ok(w.h.callsOf('database').length > database, again.log);
    const [expired, asked] = confirmationComments(w);
    assert.match(expired!.body, /No answer within 1 s/);
    assert.match(asked?.body ?? '', /set aside until a collaborator with write access answers/);
    assert.equal(stateOf(w).links[0]!.confirmation?.parked?.waitSec, 1);
  } finally {
    await w.close();
  }
});

test('GitHub Action confirmations: /cancel ends a run set aside on its question; a later /allow continues nothing', async () => {
  const w = await actionWorld(agents({ [UNNAMED]: INDEX_SQL }), { alice: 'write' });
  try {
    ok(await approvedJob(w), 'awaiting-approval');
    const cancelling = await w.job('issue_comment', issueCommented(REPO, ISSUE, '/cancel', 'alice'));
    ok(cancelling, 'stopped');
    assert.match(confirmationComments(w)[0]!.body, /The run was cancelled: nothing to decide\./);
    const calls = w.h.calls.length;
    ok(await w.job('issue_comment', issueCommented(REPO, ISSUE, '/allow', 'alice')), 'ignored');
    const notes = w.api
      .commentsOn(ISSUE.number)
      .map((c) => c.body)
      .join('\n');
    assert.match(notes, /cancelled by @alice: it was waiting for the answer to its confirmation\./);
    assert.match(notes, /@alice: run \S+ is not waiting for a confirmation \(cancelled\)/);
    assert.equal(w.h.calls.length, calls, 'no model call');
    assert.equal(stateOf(w).links[0]!.status, 'cancelled');
  } finally {
    await w.close();
  }
});

test('GitHub Action confirmations: a CI fix that asks is set aside on the issue; /allow continues the follow-up, whose fix is pushed to the pull request', async () => {
  const PRICE_FIX = 'db/migrations/004_price_numeric.sql';
  const agents = productFollowUpAgents();
  agents.database = ({ turn, task }) =>
    turn > 0
      ? say.done()
      : say.write(
          isCiFix(task)
            ? { [PRICE_FIX]: 'ALTER TABLE products ALTER COLUMN price TYPE numeric;\n' }
            : { [NAMED]: PRODUCT_MIGRATION },
        );
  const w = await actionWorld(agents, { alice: 'write' });
  try {
    ok(await approvedJob(w), 'completed');
    const made = w.api.pulls[0]!;
    const head = w.remoteHead(made.head)!;
    w.api.setJobLog(
      601,
      [
        '##[group]Run npm test',
        'error: column "price" is of type text',
        '    at db/migrations/003_create_product.sql:4:1',
        '##[error]Process completed with exit code 1.',
      ].join('\n'),
    );
    const asking = await w.job(
      'check_run',
      checkRunCompleted(
        REPO,
        { number: made.number, branch: made.head, headSha: head },
        { id: 601, name: 'test', conclusion: 'failure' },
      ),
    );
    ok(asking, 'awaiting-approval');
    assert.match(confirmationComments(w)[0]?.body ?? '', /- `db\/migrations\/004_price_numeric\.sql`/, asking.log);
    assert.equal(w.remoteHead(made.head), head, 'nothing pushed while it waits');
    const allowing = await w.job('issue_comment', issueCommented(REPO, ISSUE, '/allow', 'alice'));
    ok(allowing, 'completed');
    const fixed = w.remoteHead(made.head)!;
    assert.equal(
      w.h.shop.git('--git-dir', w.bare, 'rev-parse', `${fixed}^`).trim(),
      head,
      'a fast-forward of the pull request',
    );
    assert.match(w.h.shop.git('--git-dir', w.bare, 'show', `${fixed}:${PRICE_FIX}`), /numeric/);
    assert.ok(w.api.commentsOn(made.number).some((c) => c.body.includes('The CI fix is pushed')));
    assert.match(confirmationComments(w)[0]!.body, /Allowed by @alice\./);
  } finally {
    await w.close();
  }
});
