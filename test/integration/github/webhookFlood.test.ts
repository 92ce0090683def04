// serve's GitHub webhook under a flood (issue 39, the guide: every listener counts attempts before
// it checks them): forged deliveries are counted per sending address and overall before the body is
// read or the signature checked; past the bound they get 429 with Retry-After, unread and unverified,
// and even a rightly signed label is refused then (no run, no call to GitHub). Signed deliveries take
// their attempt back. Once the window passes, a good delivery starts its run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { join } from 'node:path';
import { signatureChecks } from '../../../src/github/deliveries';
import { GITHUB_FAILURES_OVERALL, GITHUB_FAILURES_PER_ADDRESS } from '../../../src/portal/githubWebhook';
import { startPortal } from '../../../src/portal/server';
import { issueLabeled, signDelivery, type Delivery } from '../../support/githubWebhooks';
import { githubWorld, invoiceAgents, ISSUE, REPO, SECRET } from '../../support/github/githubKit';

/** Posts `delivery` from `localAddress` (any 127.x address is this machine's loopback). */
function postFrom(
  url: string,
  delivery: Delivery,
  localAddress: string,
): Promise<{ status: number; retryAfter?: string }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        localAddress,
        headers: { host: target.host, ...delivery.headers },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            ...(res.headers['retry-after'] ? { retryAfter: String(res.headers['retry-after']) } : {}),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(delivery.body);
  });
}

test('GitHub webhook: forged deliveries beyond the bound, per address and overall, get 429 unverified; a signed label then starts nothing; after the window a good one starts its run', async () => {
  const w = await githubWorld(invoiceAgents(), { alice: 'write' });
  let now = Date.parse('2026-11-24T10:00:00Z');
  // A portal on the same queue and GitHub room, on a clock the test moves.
  const portal = await startPortal(w.queue, {
    port: 0,
    host: '127.0.0.1',
    assetsDir: join(__dirname, '../../../dist/portal'),
    version: 'test',
    github: w.github,
    now: () => now,
  });
  const url = new URL('webhooks/github', portal.url).href;
  const forged = (n: number) =>
    signDelivery(
      'not-the-secret',
      'issues',
      issueLabeled(REPO, { ...ISSUE, number: 100 + n }, 'orchestrator', 'alice'),
    );
  try {
    // Signed deliveries are given their attempt back: many from one address are never refused.
    const ping = () => signDelivery(SECRET, 'ping', { zen: 'Keep it logically awesome.', hook_id: 292430182 });
    for (let i = 0; i < GITHUB_FAILURES_PER_ADDRESS + 5; i++)
      assert.equal((await postFrom(url, ping(), '127.0.0.1')).status, 202);

    // From one address, all at once: at most the bound are verified, the rest refused unread.
    const checked = signatureChecks.count;
    const flood = await Promise.all(
      Array.from({ length: GITHUB_FAILURES_PER_ADDRESS + 10 }, (_, i) => postFrom(url, forged(i), '127.0.0.2')),
    );
    const verified = signatureChecks.count - checked;
    assert.ok(verified <= GITHUB_FAILURES_PER_ADDRESS, `${verified} signatures were checked`);
    assert.equal(flood.filter((r) => r.status === 403).length, verified, 'every checked forgery was refused as forged');
    const limited = flood.filter((r) => r.status === 429);
    assert.equal(limited.length, flood.length - verified);
    assert.ok(
      limited.every((r) => Number(r.retryAfter) > 14 * 60 && Number(r.retryAfter) <= 15 * 60),
      'Retry-After: the rest of the 15-minute window',
    );

    // That address is refused even a rightly signed label, unverified; another address is not limited by it.
    const before = signatureChecks.count;
    const good = signDelivery(SECRET, 'issues', issueLabeled(REPO, ISSUE, 'orchestrator', 'alice'));
    assert.equal((await postFrom(url, good, '127.0.0.2')).status, 429);
    assert.equal(signatureChecks.count, before, 'not verified');
    assert.equal((await postFrom(url, forged(99), '127.0.0.3')).status, 403, 'another address is still checked');

    // Many addresses together reach the overall bound; then a fresh address is refused too.
    const senders = Array.from(
      { length: Math.ceil(GITHUB_FAILURES_OVERALL / (GITHUB_FAILURES_PER_ADDRESS - 1)) + 1 },
      (_, i) => `127.0.1.${i + 1}`,
    );
    const spread = await Promise.all(
      senders.flatMap((from, s) =>
        Array.from({ length: GITHUB_FAILURES_PER_ADDRESS - 1 }, (_, i) =>
          postFrom(url, forged(1000 + s * 100 + i), from),
        ),
      ),
    );
    assert.ok(
      spread.some((r) => r.status === 429),
      'the overall bound was reached',
    );
    const overallChecked = signatureChecks.count;
    const fresh = await postFrom(url, good, '127.0.2.1');
    assert.equal(fresh.status, 429, 'a fresh address is refused once the overall bound is reached');
    assert.ok(Number(fresh.retryAfter) > 0);
    assert.equal(signatureChecks.count, overallChecked, 'not verified');

    // Nothing was acted on: no run, not one call to GitHub for the refused label.
    assert.equal(w.github.channel.store.links().length, 0, 'no run started');
    assert.equal(w.api.comments.length, 0, 'nothing said on GitHub');

    // The window passes: the same good delivery from the flooded address starts its run.
    now += 15 * 60 * 1000;
    assert.equal((await postFrom(url, good, '127.0.0.2')).status, 202);
    const spec = await w.until('the spec comment', () =>
      w.api.commentsOn(7).find((c) => c.body.includes('<!-- orchestrator:spec ')),
    );
    assert.match(spec.body, /REQ-1: Invoice module/);
    assert.equal(w.github.channel.store.links().length, 1);
  } finally {
    await portal.close();
    await w.close();
  }
});
