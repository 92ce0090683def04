import { test } from 'node:test';
import assert from 'node:assert/strict';
import { journalOf } from '../../support/engine/harness';
import { say } from '../../support/engine/agentScript';
import { issueCommented, issueLabeled } from '../../support/githubWebhooks';
import { githubWorld, invoiceAgents, ISSUE, REPO } from '../../support/github/githubKit';

const specComments = (w: Awaited<ReturnType<typeof githubWorld>>) =>
  w.api.commentsOn(7).filter((c) => c.body.includes('<!-- orchestrator:spec '));

test('GitHub: /changes goes back to the spec agent and the one spec comment is edited in place with the amended spec; our own comments delivered back do nothing; /approve then opens the pull request', async () => {
  const agents = invoiceAgents();
  const first = agents.spec!;
  let specCalls = 0;
  agents.spec = async (call) => {
    specCalls++;
    if (specCalls === 1) return first(call);
    assert.match(call.task, /name must be at most 80 characters/, 'the feedback reaches the spec agent');
    const amended = await first(call);
    return JSON.parse(
      JSON.stringify(amended).replace('SHALL refuse it.', 'SHALL refuse it, and a name longer than 80 characters.'),
    ) as typeof amended;
  };
  const w = await githubWorld(agents, { alice: 'write' });
  try {
    await w.deliver('issues', issueLabeled(REPO, ISSUE, 'orchestrator', 'alice'));
    const spec = await w.until('the spec comment', () => specComments(w)[0]);
    // Our own comment, delivered back by GitHub (it carries our marker): it decides nothing.
    await w.deliver('issue_comment', issueCommented(REPO, ISSUE, `${spec.body}\n/approve`, w.api.comments[0]!.login));
    await w.deliver(
      'issue_comment',
      issueCommented(REPO, ISSUE, '/changes the name must be at most 80 characters', 'alice'),
    );
    await w.until(
      'the amended spec in the same comment',
      () =>
        specComments(w)[0]!.body.includes('longer than 80 characters') &&
        specComments(w)[0]!.body.includes('Waiting for approval'),
    );
    assert.equal(specComments(w).length, 1, 'one spec comment, edited in place');
    assert.equal(specComments(w)[0]!.id, spec.id);
    assert.equal(specCalls, 2);
    await w.deliver('issue_comment', issueCommented(REPO, ISSUE, '/approve', 'alice'));
    const pull = await w.until('the pull request', () => w.api.pulls[0]);
    assert.match(pull.body, /REQ-2\.1/);
    const runId = w.github.channel.store.ofIssue(7)!.runId;
    await w.until('the note of the pull request', () =>
      w.api.commentsOn(7).find((c) => c.body.includes('Pull request #')),
    );
    const decided = journalOf(w.h.shop, runId).filter((e) => e.type === 'github.spec.decided');
    assert.deepEqual(
      decided.map((e) => [e.detail, e.by]),
      [
        ['changes', 'alice'],
        ['approve', 'alice'],
      ],
    );
  } finally {
    await w.close();
  }
});

test("GitHub: /cancel from a collaborator stops the run's agents mid-work and says so; from a reader it is refused; nothing is pushed", async () => {
  const agents = invoiceAgents();
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  agents.backend = async ({ turn }) => {
    if (turn > 0) return say.done();
    await held;
    return say.write({ 'server/entities/invoice.js': 'module.exports = {};\n' });
  };
  const w = await githubWorld(agents, { alice: 'admin', rita: 'read' });
  try {
    await w.deliver('issues', issueLabeled(REPO, ISSUE, 'orchestrator', 'alice'));
    await w.until('the spec comment', () => specComments(w)[0]);
    await w.deliver('issue_comment', issueCommented(REPO, ISSUE, '/approve', 'alice'));
    await w.until('the backend agent at work', () => w.h.callsOf('backend').length > 0);
    await w.deliver('issue_comment', issueCommented(REPO, ISSUE, '/cancel', 'rita'));
    await w.until('the refusal', () =>
      w.api.commentsOn(7).find((c) => c.body.includes('@rita: only collaborators with write access may cancel')),
    );
    await w.deliver('issue_comment', issueCommented(REPO, ISSUE, '/cancel', 'alice'));
    await w.until('the cancellation note', () =>
      w.api.commentsOn(7).find((c) => c.body.includes('cancelled by @alice: its agents were stopped')),
    );
    const link = w.github.channel.store.ofIssue(7)!;
    assert.equal(link.status, 'cancelled');
    const journal = journalOf(w.h.shop, link.runId);
    assert.ok(journal.some((e) => e.type === 'github.cancelled' && e.by === 'alice'));
    assert.ok(
      journal.some((e) => e.type === 'agent.completed' && e.agent === 'backend' && e.outcome === 'cancelled'),
      'the backend agent was stopped',
    );
    assert.equal(w.api.pulls.length, 0);
    assert.equal(w.remoteHead('orchestrator/invoice-api'), undefined, 'nothing pushed');
  } finally {
    release();
    await w.close();
  }
});

test("GitHub: a pull request GitHub refuses (422) is said on the issue with GitHub's reason; serve goes on, the branch stays pushed", async () => {
  const w = await githubWorld(invoiceAgents(), { alice: 'write' });
  try {
    w.api.refusePulls = true;
    await w.deliver('issues', issueLabeled(REPO, ISSUE, 'orchestrator', 'alice'));
    await w.until('the spec comment', () => specComments(w)[0]);
    await w.deliver('issue_comment', issueCommented(REPO, ISSUE, '/approve', 'alice'));
    const said = await w.until('the note', () =>
      w.api.commentsOn(7).find((c) => c.body.includes('its pull request could not be made')),
    );
    assert.match(said.body, /A pull request already exists for acme:orchestrator\/invoice-api/);
    assert.ok(w.remoteHead('orchestrator/invoice-api'));
    assert.equal(w.github.channel.store.ofIssue(7)!.status, 'completed');
    // Still serving: the next delivery is taken.
    assert.equal(
      (await w.deliver('issues', issueLabeled(REPO, { ...ISSUE, number: 8 }, 'something-else', 'alice'))).status,
      202,
    );
  } finally {
    await w.close();
  }
});

test('GitHub: the label and an /orchestrator feature comment delivered together (GitHub slow to answer who may start it) start one run, one spec comment', async () => {
  const w = await githubWorld(invoiceAgents(), { alice: 'write' });
  try {
    const release = w.api.hold((method, path) => method === 'GET' && path.endsWith('/collaborators/alice/permission'));
    const asked = () => w.api.requests.filter((r) => r.path.includes('/collaborators/alice/permission')).length;
    await w.deliver('issues', issueLabeled(REPO, ISSUE, 'orchestrator', 'alice'));
    await w.until('the permission asked', () => asked() === 1);
    // While the first start waits on GitHub, the comment arrives (another delivery, the same issue).
    await w.deliver('issue_comment', issueCommented(REPO, ISSUE, '/orchestrator feature', 'alice'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    release();
    await w.until('the spec comment', () => specComments(w)[0]);
    await w.deliver('issue_comment', issueCommented(REPO, ISSUE, '/approve', 'alice'));
    await w.until('the pull request', () => w.api.pulls[0]);
    assert.equal(specComments(w).length, 1, 'one spec comment');
    assert.equal(w.api.pulls.length, 1);
    assert.equal(w.lines.filter((l) => /starts run/.test(l)).length, 1, w.lines.join('\n'));
    assert.equal(w.h.callsOf('spec').length, 1, 'one spec agent: one run');
  } finally {
    await w.close();
  }
});
