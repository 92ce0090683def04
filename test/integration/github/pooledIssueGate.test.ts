// The spec gate of a pooled run from an issue (issue 39 with issue 28), on a real PostgreSQL with a
// worker in this process: `/changes <what>` from a collaborator queues the run again with the
// gate's answer "changes" (the worker's spec agent writes the spec again with the feedback, the
// spec comment is edited in place and the gate waits again), a reader's is refused; `/cancel`
// stops a waiting run at once and a running one on its worker (its agents stopped, nothing
// pushed); every GitHub action is a `github.*` entry of the pool's mirrored journal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PoolStore } from '../../../src/pool/poolStore';
import { issueCommented, issueLabeled } from '../../support/githubWebhooks';
import { say, type AgentScript } from '../../support/engine/agentScript';
import { entityFile, entityModule } from '../../support/engine/worktreeFeatures';
import { call, INVOICE_SPEC, invoiceAgents, ISSUE, REPO, signInToPortal } from '../../support/github/githubKit';
import { withPooledGithub, type PooledGithub } from '../../support/github/pooledGithubKit';

const AMENDED_SPEC = INVOICE_SPEC.replace(
  '### Files to Create/Modify',
  '#### REQ-3: Invoice due date\n**Acceptance criteria**\n- REQ-3.1: WHEN an invoice is created THE server SHALL store its due date.\n\n### Files to Create/Modify',
).replace('(REQ-1, REQ-2)', '(REQ-1, REQ-2, REQ-3)');

/** The run of issue 7 dispatched, a worker started, its spec posted and waiting: its run id and spec comment. */
async function atGate({ w, store, startWorker }: PooledGithub): Promise<{ runId: string; specCommentId: number }> {
  await w.deliver('issues', issueLabeled(REPO, ISSUE, 'orchestrator', 'alice'));
  const link = await w.until('the pooled run', () => w.github.channel.store.ofIssue(7));
  startWorker();
  const spec = await w.until('the spec comment', () =>
    w.api
      .commentsOn(7)
      .find((c) => c.body.includes('<!-- orchestrator:spec ') && c.body.includes('Waiting for approval')),
  );
  await w.until('the link waiting', () => w.github.channel.store.ofIssue(7)?.status === 'waiting');
  // serve journals the post once GitHub has answered it: a comment answered before that (within
  // milliseconds, as only a test answers) would be journaled first.
  await waitForNote(store, link.runId, 'github.spec.posted');
  return { runId: link.runId, specCommentId: spec.id };
}

const notes = <E extends { type: string }>(events: readonly E[]): E[] =>
  events.filter((e) => e.type.startsWith('github.'));

test("GitHub with a pool: /changes from a writer has the worker revise the spec, edited into the same comment, waiting again; a reader's is refused; /approve then opens the pull request; every action journaled in the pool", async () => {
  const agents: Record<string, AgentScript> = {
    ...invoiceAgents(),
    spec: ({ task }) => say.spec('Invoice API', 'invoice-api', /due date/.test(task) ? AMENDED_SPEC : INVOICE_SPEC),
  };
  await withPooledGithub('ghpoolchanges', agents, async (world) => {
    const { w, store } = world;
    const { runId, specCommentId } = await atGate(world);
    const specComment = () => w.api.comments.find((c) => c.id === specCommentId)!;
    assert.doesNotMatch(specComment().body, /REQ-3/);

    await w.deliver('issue_comment', issueCommented(REPO, ISSUE, '/changes Also give each invoice a due date', 'rita'));
    await w.until('the refusal', () =>
      w.api.commentsOn(7).find((c) => c.body.includes('@rita: only collaborators with write access')),
    );
    assert.equal((await store.get(runId))?.status, 'awaiting-approval');
    assert.equal(w.h.callsOf('spec').length, 1, "a reader's /changes asks nothing of the spec agent");

    await w.deliver(
      'issue_comment',
      issueCommented(REPO, ISSUE, '/changes Also give each invoice a due date', 'alice'),
    );
    await w.until(
      'the amended spec in the same comment, waiting again',
      () => /REQ-3: Invoice due date/.test(specComment().body) && specComment().body.includes('Waiting for approval'),
    );
    const revised = w.h.callsOf('spec');
    assert.equal(revised.length, 2, 'the spec agent wrote once more');
    assert.match(revised[1]!.task, /Also give each invoice a due date/, 'with the feedback');
    assert.equal(
      w.api.commentsOn(7).filter((c) => c.body.includes('<!-- orchestrator:spec ')).length,
      1,
      'one spec comment, edited in place',
    );
    assert.equal((await store.get(runId))?.status, 'awaiting-approval', 'waiting at the gate again, holding no worker');
    await w.until('the link waiting again', () => w.github.channel.store.ofIssue(7)?.status === 'waiting');

    await w.deliver('issue_comment', issueCommented(REPO, ISSUE, '/approve', 'alice'));
    const pull = await w.until('the pull request', () => w.api.pulls[0]);
    for (const id of ['REQ-1', 'REQ-2', 'REQ-3']) assert.ok(pull.body.includes(id), `${id} in the pull request's body`);
    assert.equal(w.remoteHead('orchestrator/invoice-api'), (await store.get(runId))?.resultCommit);

    // The pool's journal (what the portal and the sidebar show) holds what was done on GitHub, in order with the run's own.
    await waitForNote(store, runId, 'github.pr.opened');
    const events = await store.events(runId);
    assert.deepEqual(
      events.map((e) => e.seq),
      events.map((_, i) => i + 1),
      'one journal, no seq twice',
    );
    const github = notes(events);
    assert.deepEqual(
      github.map((e) => `${e.type}${e.detail && e.type === 'github.spec.decided' ? `:${String(e.detail)}` : ''}`),
      [
        'github.issue.linked',
        'github.spec.posted',
        'github.decision.refused',
        'github.spec.decided:changes',
        'github.spec.posted',
        'github.spec.decided:approve',
        'github.pushed',
        'github.pr.opened',
      ],
    );
    for (const e of github)
      assert.match(String(e.url), /^https?:\/\//, `${e.type} names the URL of what it made or heard`);
    assert.equal(github.find((e) => e.type === 'github.pr.opened')!.url, pull.html_url);
    // The portal's Pool page (and the sidebar's, from the same board) links the run to what it made on GitHub.
    const { port, session } = await signInToPortal(w, 'sam');
    const page = await call(port, 'GET', '/api/pool', session);
    const row = page.json.board.runs.find((r: { runId: string }) => r.runId === runId);
    assert.deepEqual(
      row.github.map((l: { kind: string; url: string }) => [l.kind, l.url]),
      [
        ['issue', github.find((e) => e.type === 'github.issue.linked')!.url],
        ['spec', github.filter((e) => e.type === 'github.spec.posted').at(-1)!.url],
        ['branch', github.find((e) => e.type === 'github.pushed')!.url],
        ['pull', pull.html_url],
      ],
    );
    const asked = events.find((e) => e.type === 'spec.changes-requested');
    assert.equal(asked?.feedback, 'Also give each invoice a due date');
    assert.ok(
      events.indexOf(asked!) > events.findIndex((e) => e.type === 'github.spec.decided'),
      'the decision, then the worker acting on it',
    );
  });
});

/** Waits until the run's pooled journal holds an entry of `type`. */
async function waitForNote(store: PoolStore, runId: string, type: string): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if ((await store.events(runId)).some((e) => e.type === type)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no ${type} in run ${runId}'s pooled journal`);
}

test('GitHub with a pool: /cancel of a running run stops its worker (agents aborted, nothing left running), one comment, nothing pushed', async () => {
  let started!: () => void;
  const backendStarted = new Promise<void>((resolve) => (started = resolve));
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const agents: Record<string, AgentScript> = {
    ...invoiceAgents(),
    // The backend's first model call is held: the run is running on its worker when /cancel comes.
    backend: async ({ turn }) => {
      if (turn === 0) {
        started();
        await held;
        return say.write({ [entityFile('Invoice')]: entityModule('Invoice') });
      }
      return say.done();
    },
  };
  try {
    await withPooledGithub('ghpoolcancelrun', agents, async (world) => {
      const { w, store, cache } = world;
      const { runId } = await atGate(world);
      await w.deliver('issue_comment', issueCommented(REPO, ISSUE, '/approve', 'alice'));
      await backendStarted;
      assert.equal((await store.get(runId))?.status, 'running');
      const before = w.api.comments.length;

      await w.deliver('issue_comment', issueCommented(REPO, ISSUE, '/cancel', 'alice'));
      await w.until('the worker stopping the run', () =>
        w.lines.find((line) => line.includes(`run ${runId} cancelled`)),
      );
      const stopped = await store.get(runId);
      assert.equal(stopped?.status, 'stopped');
      assert.match(stopped!.reason ?? '', /cancelled by @alice/);
      await w.until("the run's worktree gone from the worker", () => !worktreesUnder(cache).includes(runId));
      release();
      const said = w.api.comments.slice(before);
      assert.equal(said.length, 1, `one comment: ${said.map((c) => c.body).join(' / ')}`);
      assert.match(
        said[0]!.body,
        new RegExp(
          `Run ${runId} cancelled by @alice: stopped on the pool \\(its worker \\(gh-worker\\) stops its agents\\)\\. Nothing was pushed\\.`,
        ),
      );
      assert.equal(w.github.channel.store.ofIssue(7)?.status, 'cancelled');
      assert.equal(w.remoteHead('orchestrator/invoice-api'), undefined, 'no result branch');
      assert.equal(w.api.pulls.length, 0, 'no pull request');
      await waitForNote(store, runId, 'github.cancelled');
      // Released, the held call's answer goes nowhere: the run stays stopped, nothing more is written.
      const end = (await store.events(runId)).length;
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.equal((await store.get(runId))?.status, 'stopped');
      assert.equal((await store.events(runId)).length, end);
      assert.equal(w.remoteHead('orchestrator/invoice-api'), undefined);
      assert.ok(
        !w.lines.some((line) => line.includes(`run ${runId}: its lease was taken over`)),
        'told cancelled, not lost',
      );
    });
  } finally {
    release();
  }
});

/** The run ids of the worker's runs' worktrees under its pool folder. */
function worktreesUnder(cache: string): string[] {
  return readdirSync(cache).flatMap((folder) =>
    existsSync(join(cache, folder, 'runs')) ? readdirSync(join(cache, folder, 'runs')) : [],
  );
}

test('GitHub with a pool: /cancel of a run waiting at its gate stops it in the pool at once; the spec comment says so; a later /approve finds nothing waiting', async () => {
  await withPooledGithub('ghpoolcancelwait', invoiceAgents(), async (world) => {
    const { w, store } = world;
    const { runId, specCommentId } = await atGate(world);
    await w.deliver('issue_comment', issueCommented(REPO, ISSUE, '/cancel', 'rita'));
    await w.until('the refusal', () =>
      w.api.commentsOn(7).find((c) => c.body.includes('@rita: only collaborators with write access may cancel')),
    );
    assert.equal((await store.get(runId))?.status, 'awaiting-approval');
    const before = w.api.comments.length;

    await w.deliver('issue_comment', issueCommented(REPO, ISSUE, '/cancel', 'alice'));
    const said = await w.until('the note', () =>
      w.api.comments.slice(before).find((c) => c.body.includes(`Run ${runId} cancelled by @alice`)),
    );
    assert.match(said.body, /it was waiting at its gate\)\. Nothing was pushed\./);
    const stopped = await store.get(runId);
    assert.equal(stopped?.status, 'stopped');
    assert.match(stopped!.reason ?? '', /cancelled by @alice on GitHub/);
    assert.match(w.api.comments.find((c) => c.id === specCommentId)!.body, /Cancelled by @alice\./);
    assert.equal(w.api.comments.length, before + 1, 'one comment (the spec comment edited)');
    assert.equal(w.github.channel.store.ofIssue(7)?.status, 'cancelled');
    await waitForNote(store, runId, 'github.cancelled');

    await w.deliver('issue_comment', issueCommented(REPO, ISSUE, '/approve', 'alice'));
    await w.until('the answer', () =>
      w.api.comments
        .slice(before + 1)
        .find((c) => c.body.includes(`run ${runId} is not waiting for a decision (cancelled)`)),
    );
    assert.equal((await store.get(runId))?.status, 'stopped', 'nothing queued again');
    assert.equal(w.api.pulls.length, 0);
  });
});
