import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { journalOf } from '../../support/engine/harness';
import { entityFile, entityModule } from '../../support/engine/worktreeFeatures';
import { issueCommented, issueLabeled, signDelivery, postDelivery } from '../../support/githubWebhooks';
import { filesUnder, githubWorld, invoiceAgents, ISSUE, REPO, SECRET, TOKEN } from '../../support/github/githubKit';

test('GitHub: a labelled issue → spec comment → /approve refused for a reader, taken from a collaborator → a pull request listing every requirement; redelivery, forged and unsigned deliveries do nothing; the token is seen only by GitHub', async () => {
  // GitHub reports maintain as write: alice may decide; rita (triage, reported read) may not.
  const w = await githubWorld(invoiceAgents(), { alice: 'maintain', rita: 'triage' });
  try {
    // Something uncommitted in the served checkout: never part of a run from an issue (its base is HEAD).
    writeFileSync(join(w.h.shop.dir, 'server', 'local-draft.js'), 'export const draft = true;\n');
    const labelled = await w.deliver('issues', issueLabeled(REPO, ISSUE, 'orchestrator', 'alice'));
    assert.equal(labelled.status, 202, JSON.stringify(labelled.json));
    const spec = await w.until('the spec comment', () =>
      w.api.commentsOn(7).find((c) => c.body.includes('<!-- orchestrator:spec ')),
    );
    assert.match(spec.body, /REQ-1: Invoice module/);
    assert.match(spec.body, /\/approve/);
    const specId = /<!-- orchestrator:spec (\S+) -->/.exec(spec.body)![1]!;

    // A redelivery of the label does nothing twice; a forged and an unsigned one are refused.
    const again = await postDelivery(w.webhookUrl, labelled.delivery);
    assert.equal(again.status, 200);
    assert.equal(again.json.duplicate, true);
    const forged = signDelivery(
      'not-the-secret',
      'issues',
      issueLabeled(REPO, { ...ISSUE, number: 8 }, 'orchestrator', 'alice'),
    );
    assert.equal((await postDelivery(w.webhookUrl, forged)).status, 403);
    const unsigned = signDelivery(
      SECRET,
      'issues',
      issueLabeled(REPO, { ...ISSUE, number: 9 }, 'orchestrator', 'alice'),
    );
    assert.equal((await postDelivery(w.webhookUrl, unsigned, { 'x-hub-signature-256': '' })).status, 401);
    // A body changed after signing (same headers) is forged too.
    const tampered = { ...labelled.delivery, body: labelled.delivery.body.replace('"number":7', '"number":10') };
    assert.equal(
      (
        await postDelivery(w.webhookUrl, {
          ...tampered,
          headers: { ...tampered.headers, 'x-github-delivery': 'another-id' },
        })
      ).status,
      403,
    );
    assert.equal(w.github.channel.store.links().length, 1, 'one run, for issue 7 only');

    // serve journals the spec's post once GitHub has answered it: a comment answered before that
    // (within milliseconds, as only a test answers) would be journaled first.
    const runId = w.github.channel.store.ofIssue(7)!.runId;
    await w.until("the spec's post journaled", () =>
      journalOf(w.h.shop, runId).some((e) => e.type === 'github.spec.posted'),
    );

    // A reader's /approve is refused, whatever the payload's author_association says (OWNER).
    const refused = await w.deliver('issue_comment', issueCommented(REPO, ISSUE, '/approve', 'rita'));
    assert.equal(refused.status, 202);
    await w.until('the refusal', () =>
      w.api.commentsOn(7).find((c) => c.body.includes('@rita: only collaborators with write access')),
    );
    assert.equal(w.api.pulls.length, 0);

    await w.deliver('issue_comment', issueCommented(REPO, ISSUE, '/approve', 'alice'));
    const pull = await w.until('the pull request', () => w.api.pulls[0]);
    // Said on the issue after it is journaled.
    await w.until('the note of the pull request', () =>
      w.api.commentsOn(7).find((c) => c.body.includes(`Pull request #${pull.number} opened`)),
    );
    const link = w.github.channel.store.ofIssue(7)!;
    assert.equal(link.specId, specId);
    assert.equal(pull.base, 'main');
    assert.equal(pull.head, 'orchestrator/invoice-api');
    assert.match(pull.body, /^Closes #7$/m);
    assert.ok(pull.body.includes(`<!-- orchestrator:run ${link.runId} -->`));
    for (const id of ['REQ-1', 'REQ-2', 'REQ-1.1', 'REQ-2.1'])
      assert.ok(pull.body.includes(id), `${id} in the pull request's body`);
    assert.match(pull.body, /server\/entities\/invoice\.js/);
    assert.match(pull.body, /Cost: \$\d/);
    // The spec comment was edited in place, now saying who decided.
    const edited = w.api.comments.find((c) => c.id === spec.id)!;
    assert.ok(edited.edits >= 1);
    assert.match(edited.body, /\*\*approve\*\* by @alice/);
    assert.equal(
      w.api.commentsOn(7).filter((c) => c.body.includes('<!-- orchestrator:spec ')).length,
      1,
      'one spec comment',
    );

    // The branch holds the run's work; main is untouched.
    const head = w.remoteHead('orchestrator/invoice-api');
    assert.ok(head);
    assert.equal(w.remoteHead('main'), w.h.shop.git('rev-parse', 'main').trim());
    assert.equal(
      w.h.shop.git('--git-dir', w.bare, 'show', `${head}:${entityFile('Invoice')}`),
      entityModule('Invoice'),
    );
    assert.throws(
      () => w.h.shop.git('--git-dir', w.bare, 'cat-file', '-e', `${head}:server/local-draft.js`),
      "the checkout's uncommitted file is not in the pull request",
    );

    // The git server stands for GitHub's: without the token, a push is refused.
    // (Asynchronously: the git server answers in this process.)
    await assert.rejects(
      promisify(execFile)('git', ['push', '-q', 'origin', 'main:refs/heads/main-copy'], {
        cwd: w.h.shop.dir,
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
      }),
    );
    assert.ok(w.git.refused > 0);
    assert.equal(w.remoteHead('main-copy'), undefined);

    // Linked both ways, every GitHub action journaled with its URL.
    const journal = journalOf(w.h.shop, link.runId);
    const github = journal.filter((e) => e.type.startsWith('github.'));
    assert.deepEqual(
      github.map((e) => e.type),
      [
        'github.issue.linked',
        'github.spec.posted',
        'github.decision.refused',
        // The run parked at its gate and continued by the collaborator's /approve (answerQuestion).
        'github.issue.linked',
        'github.spec.decided',
        'github.pushed',
        'github.pr.opened',
      ],
    );
    assert.equal(github[0]!.url, 'https://github.example/acme/shop/issues/7');
    assert.equal(github.at(-1)!.url, pull.html_url);
    assert.equal(journal.find((e) => e.type === 'spec.approved')?.specId, specId);
    // `orchestrator runs` names the issue and the pull request (--json: their addresses).
    const cli = (...args: string[]) =>
      promisify(execFile)(process.execPath, [join(__dirname, '../../../dist/cli.js'), ...args], {
        cwd: w.h.shop.dir,
        env: { ...process.env, NO_COLOR: '1' },
      });
    assert.match(
      (await cli('runs')).stdout,
      new RegExp(`${link.runId}.*completed.*  issue #7, PR #${pull.number}  Add an Invoice`),
    );
    const listed = (JSON.parse((await cli('runs', '--json')).stdout) as { runId: string; github?: unknown }[]).find(
      (r) => r.runId === link.runId,
    );
    assert.deepEqual(listed?.github, { issue: 'https://github.example/acme/shop/issues/7', pull: pull.html_url });

    // The token: only in the Authorization headers of requests to GitHub's API and git server.
    for (const request of w.api.requests) {
      assert.ok(!request.body.includes(TOKEN) && !request.path.includes(TOKEN), `${request.method} ${request.path}`);
      assert.equal(request.headers.authorization, `token ${TOKEN}`);
    }
    assert.ok(
      w.git.requests.length > 0 &&
        w.git.requests.every((line) => !line.includes(TOKEN) && !line.includes('x-access-token')),
    );
    for (const request of w.h.api.requests)
      assert.ok(!JSON.stringify(request).includes(TOKEN), 'never in a model request');
    const leaks = [
      w.h.shop.dir,
      join(w.h.shop.dir, '..', 'worktrees'),
      w.bare,
      process.env.ORCHESTRATOR_DATA_DIR!,
    ].flatMap((dir) => {
      try {
        return [...filesUnder(dir)].filter(
          (file) =>
            file.bytes.includes(TOKEN) ||
            file.bytes.includes(Buffer.from(`x-access-token:${TOKEN}`).toString('base64')),
        );
      } catch {
        return [];
      }
    });
    assert.deepEqual(
      leaks.map((f) => f.path),
      [],
      'the token in no file',
    );
    assert.ok(!w.lines.join('\n').includes(TOKEN), 'nor in what serve said');
  } finally {
    await w.close();
  }
});
