// Runs started from GitHub survive `serve` killed with kill -9 (issue 39): `orchestrator serve` runs
// as a child process against the scripted GitHub API, the git server and the model server of this
// process; it is killed mid-run, started again, and the run resumes where it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { issueCommented, issueLabeled, postDelivery, signDelivery } from '../../support/githubWebhooks';
import { reply } from '../../support/messagesApiServer';
import { say } from '../../support/engine/agentScript';
import { journalOf } from '../../support/engine/harness';
import { entityFile, entityModule } from '../../support/engine/worktreeFeatures';
import { GithubStore } from '../../../src/github/store';
import { invoiceAgents, ISSUE, REPO, SECRET } from '../../support/github/githubKit';
import { cutJournalAt, restartWorld, resumedNotes, specComments } from '../../support/github/restartKit';

test('GitHub: serve killed with kill -9 while a run from an issue implements; started again, the run resumes in its worktree and ends in one pull request, the issue told once, one spec comment', async () => {
  let held = false;
  const agents = invoiceAgents();
  const w = await restartWorld({
    ...agents,
    // The backend's first answer never comes while the first serve lives.
    backend: (call) => {
      if (call.turn === 0 && !held) {
        held = true;
        return reply.slow(say.write({ [entityFile('Invoice')]: entityModule('Invoice') }), { beforeMs: 120_000 });
      }
      return agents.backend!(call);
    },
  });
  try {
    const first = w.serve();
    const labelled = signDelivery(SECRET, 'issues', issueLabeled(REPO, ISSUE, 'orchestrator', 'alice'));
    assert.equal((await w.deliver(first, labelled)).status, 202);
    await w.until('the spec comment', () => specComments(w)[0]);
    assert.equal(
      (await w.deliver(first, signDelivery(SECRET, 'issue_comment', issueCommented(REPO, ISSUE, '/approve', 'alice'))))
        .status,
      202,
    );
    await w.until('the backend at work', () => w.h.callsOf('backend').length === 1);
    first.child.kill('SIGKILL');
    assert.equal((await first.exited).signal, 'SIGKILL');
    assert.equal(w.api.pulls.length, 0);

    const second = w.serve();
    // A redelivery of what the first serve handled is still a duplicate.
    const again = await w.deliver(second, labelled);
    assert.equal(again.status, 200);
    assert.equal(again.json.duplicate, true);
    const pull = await w.until('the pull request', () => w.api.pulls[0]);
    await w.until('the note of the pull request', () =>
      w.api.commentsOn(ISSUE.number).find((c) => c.body.includes(`Pull request #${pull.number} opened`)),
    );
    assert.equal(w.api.pulls.length, 1, 'one pull request');
    assert.equal(pull.head, 'orchestrator/invoice-api');
    assert.equal(
      w.h.shop.git('--git-dir', w.bare, 'show', `${w.remoteHead('orchestrator/invoice-api')}:${entityFile('Invoice')}`),
      entityModule('Invoice'),
    );
    assert.equal(resumedNotes(w).length, 1, 'the issue is told once');
    assert.match(resumedNotes(w)[0]!.body, /continues at its first unfinished step/);
    assert.equal(specComments(w).length, 1, 'one spec comment');
    // The spec agent was not asked again; the backend once more (its held answer never came).
    assert.equal(w.h.callsOf('spec').length, 1);
    assert.equal(w.h.callsOf('backend').length, 3);

    const runId = /<!-- orchestrator:run (\S+) -->/.exec(pull.body)![1]!;
    const journal = journalOf(w.h.shop, runId);
    // Started, continued by the gate's answer, then resumed (the engine journals each start); the spec saved and approved once.
    assert.equal(journal.filter((e) => e.type === 'run.started').length, 3);
    assert.equal(journal.filter((e) => e.type === 'spec.saved').length, 1);
    assert.equal(journal.filter((e) => e.type === 'spec.approved').length, 1);
    assert.deepEqual(
      journal.filter((e) => e.type.startsWith('github.')).map((e) => [e.type, e.detail ?? '']),
      [
        ['github.issue.linked', ''],
        ['github.spec.posted', ''],
        ['github.issue.linked', "continued after @alice's approve"],
        ['github.spec.decided', 'approve'],
        ['github.issue.linked', 'resumed after serve restarted'],
        ['github.pushed', w.remoteHead('orchestrator/invoice-api')],
        ['github.pr.opened', `#${pull.number}`],
      ],
    );

    second.child.kill('SIGTERM');
    assert.equal((await second.exited).code, 0, second.output());
    assert.deepEqual(await w.processesIn(), [], 'nothing left running in the shop or its worktrees');
  } finally {
    await w.close();
  }
});

test('GitHub: a gate parked by one serve, answered after it was killed with kill -9: the /approve GitHub redelivers to a second serve continues the run through the one verb to its pull request', async () => {
  const w = await restartWorld(invoiceAgents());
  try {
    const first = w.serve();
    assert.equal(
      (await w.deliver(first, signDelivery(SECRET, 'issues', issueLabeled(REPO, ISSUE, 'orchestrator', 'alice'))))
        .status,
      202,
    );
    const spec = await w.until('the spec comment', () => specComments(w)[0]);
    const link = await w.until('the gate parked on the link', () => {
      const l = new GithubStore(w.h.shop.dir).ofIssue(ISSUE.number);
      return l?.status === 'waiting' && l.specCommentId === spec.id && l.parked?.questionId ? l : undefined;
    });
    // Parked in the run's journal too (the engine set the run aside) before serve is killed.
    await w.until('the question parked in the journal', () =>
      journalOf(w.h.shop, link.runId).some((e) => e.type === 'question.parked' && e.id === link.parked!.questionId),
    );
    first.child.kill('SIGKILL');
    await first.exited;
    // As if killed the moment it parked, before the run's end was journaled (the window a loaded machine
    // hits): the run waits at its gate all the same, and its answer continues it, never asking again.
    cutJournalAt(w, link.runId, 'question.parked', 'kept');

    // GitHub's delivery of /approve while serve was down: refused at the door, kept by GitHub for Redeliver.
    const approve = signDelivery(SECRET, 'issue_comment', issueCommented(REPO, ISSUE, '/approve', 'alice'));
    await assert.rejects(postDelivery(await first.webhookUrl, approve));

    const second = w.serve();
    // Parked, not resumed: nothing runs and nothing is said until the decision.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(resumedNotes(w).length, 0, 'a parked run is not resumed');
    assert.equal((await w.deliver(second, approve)).status, 202);
    const pull = await w.until('the pull request', () => w.api.pulls[0]);
    assert.equal(w.api.pulls.length, 1);
    assert.ok(pull.body.includes(`<!-- orchestrator:run ${link.runId} -->`));
    assert.equal(specComments(w).length, 1, 'one spec comment, edited in place');
    assert.match(w.api.comments.find((c) => c.id === spec.id)!.body, /\*\*approve\*\* by @alice/);
    assert.ok(!w.api.commentsOn(ISSUE.number).some((c) => c.body.includes('is not waiting for a decision')));
    assert.equal(w.h.callsOf('spec').length, 1, 'the spec is not written again');
    const journal = journalOf(w.h.shop, link.runId);
    assert.equal(journal.filter((e) => e.type === 'spec.approved').length, 1);
    // The parked question answered through the engine's one verb, by its id.
    assert.ok(journal.some((e) => e.type === 'question.answered' && e.id === link.parked!.questionId));
    assert.equal(journal.filter((e) => e.type === 'question.asked').length, 1, 'the gate asked once');

    // The same delivery once more: a duplicate, nothing decided twice.
    const twice = await w.deliver(second, approve);
    assert.equal(twice.json.duplicate, true);
    second.child.kill('SIGTERM');
    assert.equal((await second.exited).code, 0, second.output());
    assert.deepEqual(await w.processesIn(), []);
  } finally {
    await w.close();
  }
});

test('GitHub: serve stopped with SIGTERM while two runs are parked at their gates: nothing is cancelled or said; started again, a decision continues one to its pull request and the other still waits', async () => {
  const w = await restartWorld(invoiceAgents());
  const SECOND = { ...ISSUE, number: 8, title: 'Add invoices, again' };
  try {
    const first = w.serve();
    for (const issue of [ISSUE, SECOND])
      assert.equal(
        (await w.deliver(first, signDelivery(SECRET, 'issues', issueLabeled(REPO, issue, 'orchestrator', 'alice'))))
          .status,
        202,
      );
    const links = await w.until('both runs parked at their gates', () => {
      const store = new GithubStore(w.h.shop.dir);
      const both = [store.ofIssue(ISSUE.number), store.ofIssue(SECOND.number)];
      return (
        both.every((link) => link?.status === 'waiting' && link.parked && link.specCommentId !== undefined) && both
      );
    });
    first.child.kill('SIGTERM');
    assert.equal((await first.exited).code, 0, first.output());
    const stopped = new GithubStore(w.h.shop.dir);
    for (const issue of [ISSUE, SECOND]) {
      const link = stopped.ofIssue(issue.number)!;
      assert.equal(link.status, 'waiting', 'parked, not cancelled');
      assert.ok(link.parked, 'its question kept on its link');
      assert.ok(
        !w.api.commentsOn(issue.number).some((c) => c.body.includes('Nothing was pushed')),
        'nothing said on the issue as serve stops',
      );
    }

    const second = w.serve();
    await w.deliver(second, signDelivery(SECRET, 'issue_comment', issueCommented(REPO, ISSUE, '/approve', 'alice')));
    const pull = await w.until('the pull request', () => w.api.pulls[0]);
    assert.ok(pull.body.includes(`<!-- orchestrator:run ${links[0]!.runId} -->`));
    assert.equal(specComments(w).length, 1, 'its spec comment edited, not posted again');
    assert.equal(resumedNotes(w).length, 0);
    const other = new GithubStore(w.h.shop.dir).ofIssue(SECOND.number)!;
    assert.deepEqual([other.runId, other.status], [links[1]!.runId, 'waiting']);
    second.child.kill('SIGTERM');
    await second.exited;
  } finally {
    await w.close();
  }
});

test('GitHub: serve killed with kill -9 after GitHub made the pull request but before serve heard back; started again, the completed run is not run again, its pull request is found by its head and not opened twice', async () => {
  const w = await restartWorld(invoiceAgents());
  try {
    // GitHub makes the pull request, but its answer never reaches the first serve.
    const release = w.api.hold((method, path) => method === 'POST' && path.endsWith('/pulls'));
    const first = w.serve();
    await w.deliver(first, signDelivery(SECRET, 'issues', issueLabeled(REPO, ISSUE, 'orchestrator', 'alice')));
    await w.until('the spec comment', () => specComments(w)[0]);
    await w.deliver(first, signDelivery(SECRET, 'issue_comment', issueCommented(REPO, ISSUE, '/approve', 'alice')));
    await w.until('the pull request asked for', () =>
      w.api.requests.some((r) => r.method === 'POST' && r.path.endsWith('/pulls')),
    );
    first.child.kill('SIGKILL');
    await first.exited;
    release();
    const pull = await w.until('the pull request made', () => w.api.pulls[0]);
    const head = w.remoteHead('orchestrator/invoice-api');
    const modelCalls = w.h.calls.length;

    const second = w.serve();
    await w.until('the note of the pull request', () =>
      w.api.commentsOn(ISSUE.number).find((c) => c.body.includes(`Pull request #${pull.number} opened`)),
    );
    assert.equal(w.api.pulls.length, 1, 'one pull request');
    assert.equal(
      w.api.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/pulls')).length,
      1,
      'asked for once',
    );
    assert.ok(
      w.api.requests.some(
        (r) =>
          r.method === 'GET' &&
          r.path.includes('/pulls?') &&
          r.path.includes(`head=${encodeURIComponent(`${REPO.owner}:orchestrator/invoice-api`)}`),
      ),
      'found by its head',
    );
    assert.equal(w.remoteHead('orchestrator/invoice-api'), head, 'the branch as it was pushed');
    assert.equal(w.h.calls.length, modelCalls, 'no agent called again');
    assert.equal(
      w.api.commentsOn(ISSUE.number).filter((c) => c.body.includes('completed before serve stopped')).length,
      1,
    );
    const link = new GithubStore(w.h.shop.dir).ofIssue(ISSUE.number)!;
    assert.deepEqual([link.status, link.pull?.number], ['completed', pull.number]);
    second.child.kill('SIGTERM');
    assert.equal((await second.exited).code, 0, second.output());
    assert.deepEqual(await w.processesIn(), []);
  } finally {
    await w.close();
  }
});

test('GitHub: a run that stopped on its own just before serve was killed (its link still says running) is not run again after the restart: its link is settled stopped with one comment', async () => {
  const agents = invoiceAgents();
  const w = await restartWorld({
    ...agents,
    backend: () => say.blocked('The invoice table does not exist and I may not create it.'),
  });
  try {
    const first = w.serve();
    await w.deliver(first, signDelivery(SECRET, 'issues', issueLabeled(REPO, ISSUE, 'orchestrator', 'alice')));
    await w.until('the spec comment', () => specComments(w)[0]);
    await w.deliver(first, signDelivery(SECRET, 'issue_comment', issueCommented(REPO, ISSUE, '/approve', 'alice')));
    await w.until('the run stopped', () => new GithubStore(w.h.shop.dir).ofIssue(ISSUE.number)?.status === 'stopped');
    first.child.kill('SIGKILL');
    await first.exited;
    // As if serve was killed before it stored the run's end.
    const store = new GithubStore(w.h.shop.dir);
    const link = store.ofIssue(ISSUE.number)!;
    store.put({ ...link, status: 'running' });
    const modelCalls = w.h.calls.length;

    const second = w.serve();
    await w.until('the issue told', () =>
      w.api.commentsOn(ISSUE.number).find((c) => c.body.includes('cannot be resumed: it had stopped on its own')),
    );
    assert.equal(new GithubStore(w.h.shop.dir).ofIssue(ISSUE.number)?.status, 'stopped');
    assert.equal(w.h.calls.length, modelCalls, 'no agent called again');
    assert.equal(resumedNotes(w).length, 0);
    assert.equal(w.api.pulls.length, 0);
    second.child.kill('SIGTERM');
    assert.equal((await second.exited).code, 0, second.output());
  } finally {
    await w.close();
  }
});
