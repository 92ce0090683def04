import { test } from 'node:test';
import assert from 'node:assert/strict';
import { journalOf } from '../../support/engine/harness';
import { issueLabeled } from '../../support/githubWebhooks';
import { call, githubWorld, invoiceAgents, ISSUE, REPO, signInToPortal } from '../../support/github/githubKit';

test("GitHub and the portal show one gate: the spec waiting on the issue is listed on the Specs page with its links, approved there, and the issue's spec comment says who", async () => {
  const w = await githubWorld(invoiceAgents(), { alice: 'write' });
  try {
    const { port, session } = await signInToPortal(w, 'sam');

    await w.deliver('issues', issueLabeled(REPO, ISSUE, 'orchestrator', 'alice'));
    const comment = await w.until('the spec comment', () =>
      w.api.commentsOn(7).find((c) => c.body.includes('<!-- orchestrator:spec ')),
    );
    const specId = /<!-- orchestrator:spec (\S+) -->/.exec(comment.body)![1]!;
    // The comment is posted as the run reaches its gate; the page lists the spec once the channel has recorded the link (a moment later on a busy machine).
    type Listed = { id: string; github?: { issue: number; issueUrl: string; commentUrl: string }; markdown: string };
    let listed: Listed[] = [];
    for (let i = 0; i < 200 && !listed.some((s) => s.id === specId); i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 50));
      listed = (await call(port, 'GET', '/api/specs', session)).json as Listed[];
    }
    const spec = listed.find((s) => s.id === specId);
    assert.ok(spec, JSON.stringify(listed.map((s) => s.id)));
    assert.deepEqual(spec.github, {
      issue: 7,
      issueUrl: 'https://github.example/acme/shop/issues/7',
      commentUrl: comment.html_url,
    });
    assert.match(spec.markdown, /REQ-2: Invoice validation/);

    // Saving for later has no meaning for a run waiting on its issue; approving does.
    assert.equal((await call(port, 'POST', `/api/specs/${specId}/decision`, session, { action: 'save' })).status, 400);
    const approved = await call(port, 'POST', `/api/specs/${specId}/decision`, session, { action: 'approve' });
    assert.equal(approved.status, 200, JSON.stringify(approved.json));
    assert.match(w.api.comments.find((c) => c.id === comment.id)!.body, /\*\*approve\*\* by sam in the portal/);
    const pull = await w.until('the pull request', () => w.api.pulls[0]);
    assert.match(pull.body, /^Closes #7$/m);
    // No longer waiting: gone from the page; a second decision finds nothing.
    assert.ok(
      !((await call(port, 'GET', '/api/specs', session)).json as { id: string }[]).some((s) => s.id === specId),
    );
    assert.equal(
      (await call(port, 'POST', `/api/specs/${specId}/decision`, session, { action: 'approve' })).status,
      404,
    );
    const runId = w.github.channel.store.ofIssue(7)!.runId;
    await w.until('the note of the pull request', () =>
      w.api.commentsOn(7).find((c) => c.body.includes('Pull request #')),
    );
    const decided = journalOf(w.h.shop, runId).find((e) => e.type === 'github.spec.decided');
    assert.equal(decided?.by, 'sam');
    assert.equal(decided?.detail, 'approve (portal)');
  } finally {
    await w.close();
  }
});
