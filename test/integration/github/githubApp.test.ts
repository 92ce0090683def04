import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { issueCommented, issueLabeled } from '../../support/githubWebhooks';
import { filesUnder, githubWorld, invoiceAgents, ISSUE, REPO } from '../../support/github/githubKit';

test("GitHub App: installation tokens made for the App's JWT, used until they fail; after a 401 one new token and the request retried; the push carries the installation token; the key and tokens in no file", async () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const app = {
    appId: '424242',
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    installationId: 31337,
    slug: 'orchestrator-test',
  };
  // As an operator pastes it into an environment variable: one line, `\n` for the breaks.
  const w = await githubWorld(
    invoiceAgents(),
    { alice: 'admin', rita: 'read' },
    { app, env: { GITHUB_APP_ID: app.appId, GITHUB_APP_PRIVATE_KEY: privatePem.replace(/\n/g, '\\n') } },
  );
  try {
    await w.deliver('issues', issueLabeled(REPO, ISSUE, 'orchestrator', 'alice', app.installationId));
    const spec = await w.until('the spec comment', () =>
      w.api.commentsOn(7).find((c) => c.body.includes('<!-- orchestrator:spec ')),
    );
    assert.equal(spec.login, 'orchestrator-test[bot]');
    assert.equal(w.api.issuedTokens.length, 1, 'one installation token, reused for every call so far');
    const first = w.api.issuedTokens[0]!;
    const calls = w.api.requests.filter((r) => r.path.startsWith('/repos/'));
    assert.ok(calls.length >= 2 && calls.every((r) => r.headers.authorization === `token ${first}`));

    // The token stops working (revoked, or expired early): the next call is refused once, a new token is made, the call retried.
    w.api.revokeTokens();
    const revokedAt = w.api.requests.length;
    await w.deliver('issue_comment', issueCommented(REPO, ISSUE, '/approve', 'alice', app.installationId));
    const pull = await w.until('the pull request', () => w.api.pulls[0]);
    assert.equal(w.api.issuedTokens.length, 2, 'replaced once');
    const refusedOnce = w.api.requests
      .slice(revokedAt)
      .filter((r) => r.headers.authorization === `token ${first}` && r.path.includes('/permission'));
    assert.equal(refusedOnce.length, 1, 'the refused call was not repeated with the old token');
    assert.match(pull.body, /^Closes #7$/m);
    assert.ok(w.remoteHead('orchestrator/invoice-api'), 'pushed with the new installation token');

    const secrets = [...w.api.issuedTokens, privatePem.split('\n')[1]!];
    for (const request of w.h.api.requests)
      assert.ok(
        secrets.every((s) => !JSON.stringify(request).includes(s)),
        'never in a model request',
      );
    const leaks = [w.h.shop.dir, w.bare, process.env.ORCHESTRATOR_DATA_DIR!].flatMap((dir) =>
      [...filesUnder(dir)].filter((file) => secrets.some((s) => file.bytes.includes(s))),
    );
    assert.deepEqual(
      leaks.map((f) => f.path),
      [],
    );
  } finally {
    await w.close();
  }
});
