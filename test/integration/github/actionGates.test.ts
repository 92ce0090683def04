// Issue 72: the spec gate of a job of the GitHub Action parks its question (question.parked, its id
// on the run's link in the state ref); /approve in a later job answers it through
// engine.answerQuestion (actionConfirmations.test.ts follows one to its pull request). An approval
// the gate refuses leaves the run parked; a run an older version parked (no question on its link)
// still continues as that version continued it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { say } from '../../support/engine/agentScript';
import { PRODUCT_MIGRATION } from '../../support/engine/fixtures';
import { addTrips, placedNowhere, TRIPS } from '../../support/engine/tripInvitations';
import { issueCommented, issueLabeled } from '../../support/githubWebhooks';
import { ISSUE, REPO } from '../../support/github/githubKit';
import { actionWorld, type ActionWorld, type JobResult } from '../../support/github/actionKit';
import { migrationAgents, NAMED_MIGRATION } from '../../support/github/migrationAgents';

type Entry = Record<string, unknown>;
type Link = { runId: string; status: string; parked?: { questionId?: string } };

const stateRef = (issue: number) => `refs/orchestrator/state/${issue}`;
const show = (w: ActionWorld, issue: number, path: string) =>
  w.h.shop.git('--git-dir', w.bare, 'cat-file', '-p', `${stateRef(issue)}:${path}`);
const linkOf = (w: ActionWorld, issue: number) =>
  (JSON.parse(show(w, issue, 'state.json')) as { links: Link[] }).links[0]!;
const journalOf = (w: ActionWorld, issue: number, runId: string) =>
  show(w, issue, `journals/${runId}.jsonl`)
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Entry);

function ok(job: JobResult, status: string): void {
  assert.equal(job.outputs.status, status, job.log);
  assert.equal(job.code, 0, job.log);
}

/** The gate's question of the run's journal and what followed it. */
function gateQuestion(journal: Entry[]): Entry[] {
  const asked = journal.find((e) => e.type === 'question.asked' && e.kind === 'gate');
  return journal.filter((e) => asked && e.id === asked.id && e.type !== 'question.asked');
}

/** The issue's state rewritten as a version before issue 72 wrote it: the gate answered `save`, no question on the link. */
function asOlderVersion(w: ActionWorld, issue: number): void {
  const ref = stateRef(issue);
  const git = (args: string[], input?: string, env?: NodeJS.ProcessEnv) =>
    execFileSync('git', ['--git-dir', w.bare, ...args], {
      encoding: 'utf8',
      ...(input !== undefined ? { input } : {}),
      env: { ...process.env, ...env },
    }).trim();
  const state = JSON.parse(show(w, issue, 'state.json')) as { links: Link[] };
  const link = state.links[0]!;
  delete link.parked!.questionId;
  const journal = journalOf(w, issue, link.runId).map((e) =>
    e.type === 'question.parked'
      ? { seq: e.seq, ts: e.ts, type: 'question.answered', id: e.id, answer: 'save', by: 'host' }
      : e,
  );
  const dir = mkdtempSync(join(tmpdir(), 'orch-older-state-'));
  try {
    const env = { GIT_INDEX_FILE: join(dir, 'index') };
    git(['read-tree', ref], undefined, env);
    for (const [path, text] of [
      ['state.json', `${JSON.stringify(state, null, 1)}\n`],
      [`journals/${link.runId}.jsonl`, `${journal.map((e) => JSON.stringify(e)).join('\n')}\n`],
    ] as const)
      git(
        ['update-index', '--cacheinfo', `100644,${git(['hash-object', '-w', '--stdin'], text)},${path}`],
        undefined,
        env,
      );
    const parents = git(['rev-list', '--parents', '-n', '1', ref]).split(' ').slice(1);
    const tree = git(['write-tree'], undefined, env);
    const commit = git(['commit-tree', tree, ...parents.flatMap((p) => ['-p', p]), '-m', 'an older state'], '');
    git(['update-ref', ref, commit]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('GitHub Action gates: a run an older version parked at its gate (no question on its link) is continued by /approve as that version did, to its pull request', async () => {
  const w = await actionWorld(migrationAgents({ [NAMED_MIGRATION]: PRODUCT_MIGRATION }), { alice: 'write' });
  try {
    ok(await w.job('issues', issueLabeled(REPO, ISSUE, 'orchestrator', 'alice')), 'awaiting-approval');
    asOlderVersion(w, ISSUE.number);
    const { runId } = linkOf(w, ISSUE.number);
    const approving = await w.job('issue_comment', issueCommented(REPO, ISSUE, '/approve', 'alice'));
    ok(approving, 'completed');
    assert.equal(w.api.pulls.length, 1);
    const journal = journalOf(w, ISSUE.number, runId);
    assert.deepEqual(
      gateQuestion(journal).map((e) => [e.type, e.answer, e.by]),
      [['question.answered', 'save', 'host']],
    );
    assert.deepEqual(
      journal.filter((e) => e.type === 'github.spec.decided').map((e) => [e.by, e.detail]),
      [['alice', 'approve']],
    );
  } finally {
    await w.close();
  }
});

test('GitHub Action gates: an approval the gate refuses (tasks no layer could be told for) is said on the issue; nothing runs, the run stays parked on its question, which /changes in the next job answers (the gate asks and parks again)', async () => {
  const trips = {
    number: 12,
    title: 'Trip invitations',
    body: `Implement the Spec Kit folder ${TRIPS} (written with the product team).`,
    author: 'alice',
  };
  const w = await actionWorld(
    {
      layers: () => say.layers(placedNowhere('no layer owns database tuning of this kind')),
      review: () => say.approve(),
    },
    { alice: 'write' },
  );
  try {
    addTrips(w.h.shop.dir, w.h.shop.git);
    w.h.shop.git('push', '-q', w.bare, 'main:refs/heads/main');
    ok(await w.job('issues', issueLabeled(REPO, trips, 'orchestrator', 'alice')), 'awaiting-approval');
    const { runId, parked } = linkOf(w, trips.number);
    assert.match(parked?.questionId ?? '', /^gate-[0-9a-f]{8}-1$/, 'the parked question on the link');
    // Refused as before issue 72: the job changed nothing, the refusal said on the issue.
    ok(await w.job('issue_comment', issueCommented(REPO, trips, '/approve', 'alice')), 'ignored');
    const refusal = w.api.commentsOn(trips.number).find((c) => c.body.includes('@alice:'));
    assert.match(refusal?.body ?? '', /@alice: spec \S+ was not approved: tasks T020, T021 name no file/);
    assert.equal(w.h.callsOf('backend').length, 0, 'nothing ran');
    const link = linkOf(w, trips.number);
    assert.equal(link.status, 'waiting');
    assert.equal(link.parked?.questionId, parked?.questionId);
    const journal = journalOf(w, trips.number, runId);
    assert.deepEqual(
      gateQuestion(journal).map((e) => e.type),
      ['question.parked'],
    );
    assert.equal(journal.filter((e) => e.type === 'github.spec.decided').length, 0);
    assert.ok(!w.api.commentsOn(trips.number).some((c) => c.body.includes('**approve** by @alice')));

    // /changes answers the same parked question in the next job: the tasks moved, the gate asks (and parks) again.
    const changing = await w.job(
      'issue_comment',
      issueCommented(REPO, trips, '/changes T020=backend, T021=backend', 'alice'),
    );
    assert.equal(changing.code, 0, changing.log);
    const gates = journalOf(w, trips.number, runId).filter(
      (e) => String(e.type).startsWith('question.') && String(e.id).startsWith('gate-'),
    );
    assert.deepEqual(
      gates.map((e) => [e.type, String(e.id).slice(-2), e.answer, e.by]),
      [
        ['question.asked', '-1', undefined, undefined],
        ['question.parked', '-1', undefined, undefined],
        ['question.answered', '-1', 'changes', 'later'],
        ['question.asked', '-2', undefined, undefined],
        ['question.parked', '-2', undefined, undefined],
      ],
    );
    assert.match(linkOf(w, trips.number).parked?.questionId ?? '', /-2$/);
    assert.match(
      w.api.commentsOn(trips.number).find((c) => c.body.includes('<!-- orchestrator:spec '))?.body ?? '',
      /T020 [^\n]* — layer: backend \(chosen when approving\)/,
    );
  } finally {
    await w.close();
  }
});
