import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { CloudEvent } from 'cloudevents';
import { engine } from '../../../src/core/engine';
import { WEBHOOK_SECRET_ENV } from '../../../src/core/sinks/runSink';
import { specAnswer, writesThenDone, say } from '../../support/engine/agentScript';
import { PRODUCT_API_SPEC, PRODUCT_MODULE } from '../../support/engine/fixtures';
import { harness } from '../../support/engine/harness';
import { untrustedRun } from '../../support/engine/untrustedRun';
import { receiver, withWebhook, type Received } from '../../support/webhookReceiver';

const SECRET = 'whsec-test-6f1d2c9a8b7e4f30';

const agents = {
  spec: specAnswer('Product API', 'product-api', PRODUCT_API_SPEC),
  backend: writesThenDone({ 'server/entities/product.js': PRODUCT_MODULE }),
  review: () => say.approve(),
};

function verified(r: Received): boolean {
  return r.signature === `sha256=${createHmac('sha256', SECRET).update(r.body).digest('hex')}`;
}

test('webhook: every vocabulary event is POSTed signed, in order, through an endpoint that fails intermittently; the secret never reaches the journal', async () => {
  // Every third request is refused with 503, every seventh connection is dropped.
  const hook = await receiver((n) => (n % 7 === 0 ? 'drop' : n % 3 === 0 ? '503' : 'ok'));
  process.env[WEBHOOK_SECRET_ENV] = SECRET;
  const h = await harness(agents, { config: withWebhook(hook.url) });
  try {
    const summary = await engine.runFeature('Add a Product module to the backend', h.options());
    assert.equal(summary.status, 'completed', summary.error);
    const lines = (await engine.runEvents(h.shop.dir, summary.runId, 'cloudevents')).map(
      (line) => JSON.parse(line) as Received['event'],
    );
    assert.deepEqual(
      hook.received.map((r) => r.event.id),
      lines.map((e) => e.id),
      'each event delivered once, in journal order',
    );
    assert.ok(hook.requests() > hook.received.length, 'some deliveries were retried');
    assert.ok(hook.received.every(verified), 'every body carries a valid HMAC-SHA256 signature');
    const types = hook.received.map((r) => r.event.type);
    assert.deepEqual([types[0], types.at(-1)], ['project.created', 'project.completed']);
    for (const type of ['task.assigned', 'task.completed', 'qa.passed'])
      assert.ok(types.includes(type), `${type} in ${types.join(', ')}`);
    assert.ok(
      hook.received.every((r) => r.event.requestid === summary.runId && r.event.data.request_id === summary.runId),
    );
    const completed = hook.received.find((r) => r.event.type === 'task.completed')!.event;
    assert.match(
      completed.data.links.diff!,
      new RegExp(`^\\.claude/runs/${summary.runId}/artifacts/\\d+-backend\\.diff$`),
    );
    assert.match(h.shop.read(completed.data.links.diff!), /\+\+\+ b\/server\/entities\/product\.js/);
    const qa = hook.received.find((r) => r.event.type === 'qa.passed')!.event;
    assert.match(
      h.shop.read(qa.data.links.validation!),
      /\$ node scripts\/check-server\.js server\n\(exit 0\)\npassed/,
    );
    assert.ok(
      h.shop.read(hook.received.at(-1)!.event.data.links.spec!).length > 0,
      'the spec link resolves (spec/completed/…)',
    );
    // project.completed's diff is the run's whole change (taken against the tree COMPLETE snapshotted).
    assert.match(h.shop.read(hook.received.at(-1)!.event.data.links.diff!), /\+\+\+ b\/server\/entities\/product\.js/);
    // The secret is nowhere in the run's files, and the outbox is empty.
    const journal = h.shop.read(`.claude/runs/${summary.runId}/events.jsonl`);
    assert.ok(!journal.includes(SECRET));
    assert.ok(!h.shop.git('status', '--porcelain', '--ignored').includes('outbox.jsonl'));
  } finally {
    delete process.env[WEBHOOK_SECRET_ENV];
    await h.close();
    await hook.close();
  }
});

test('webhook: with the endpoint down, events wait in the outbox and the next run replays them first, then its own', async () => {
  // Reserve a port, then close it: connections are refused until the receiver comes back on it.
  const probe = await receiver(() => 'ok');
  const port = Number(new URL(probe.url).port);
  await probe.close();
  process.env[WEBHOOK_SECRET_ENV] = SECRET;
  const h = await harness(agents, { config: withWebhook(`http://127.0.0.1:${port}/hooks/orchestrator`) });
  let hook: Awaited<ReturnType<typeof receiver>> | undefined;
  try {
    const first = await engine.runFeature('Add a Product module to the backend', h.options());
    assert.equal(first.status, 'completed', first.error);
    const warnings = h.host
      .ofType('log')
      .filter((l) => l.level === 'warn')
      .map((l) => l.message);
    assert.ok(
      warnings.some((w) =>
        /Webhook delivery failed \(ECONNREFUSED after 4 attempt\(s\)\): \d+ event\(s\) wait in the outbox/.test(w),
      ),
      warnings.join('\n'),
    );
    const queued = h.shop
      .read('.claude/runs/outbox.jsonl')
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { id: string }).id);
    const firstIds = (await engine.runEvents(h.shop.dir, first.runId, 'cloudevents')).map(
      (line) => (JSON.parse(line) as { id: string }).id,
    );
    assert.deepEqual(queued, firstIds, 'every event of the run is in the outbox, in order');
    assert.ok(!h.shop.read('.claude/runs/outbox.jsonl').includes(SECRET));

    hook = await receiver(() => 'ok', port);
    const second = await engine.runFeature('Add a Product module to the backend again', h.options());
    assert.equal(second.status, 'completed', second.error);
    const ids = hook.received.map((r) => r.event.id);
    const secondIds = (await engine.runEvents(h.shop.dir, second.runId, 'cloudevents')).map(
      (line) => (JSON.parse(line) as { id: string }).id,
    );
    assert.deepEqual(ids, [...firstIds, ...secondIds], "the replayed events first, then the new run's; nothing lost");
    assert.ok(hook.received.every(verified));
    assert.ok(
      h.host
        .ofType('log')
        .some((l) => /Webhook: \d+ event\(s\) from the outbox of an earlier run delivered/.test(l.message)),
    );
  } finally {
    delete process.env[WEBHOOK_SECRET_ENV];
    await h.close();
    await hook?.close();
  }
});

test('webhook: an untrusted workspace sends nothing to the URL its config names', async () => {
  const hook = await receiver(() => 'ok');
  const h = await harness(agents, { config: withWebhook(hook.url) });
  try {
    h.host.trusted = false;
    const summary = await untrustedRun(
      () => engine.runFeature('Add a Product module to the backend', h.options({ autoApprove: false })),
      () => h.calls.length,
    );
    if (summary) {
      assert.equal(summary.status, 'spec-saved');
      assert.ok(
        h.host.ofType('log').some((l) => /events\.webhook is ignored: the workspace is not trusted/.test(l.message)),
      );
    }
    assert.equal(hook.requests(), 0);
    assert.ok(!h.shop.git('status', '--porcelain', '--ignored').includes('outbox'));
  } finally {
    await h.close();
    await hook.close();
  }
});

test("orchestrator events --format cloudevents: valid CloudEvents 1.0 in seed 003's vocabulary, with the request id and links", async () => {
  const h = await harness(agents);
  try {
    const summary = await engine.runFeature('Add a Product module to the backend', h.options());
    assert.equal(summary.status, 'completed', summary.error);
    const lines = await engine.runEvents(h.shop.dir, summary.runId, 'cloudevents');
    const events = lines.map(
      (line) => new CloudEvent<Record<string, unknown>>(JSON.parse(line) as Record<string, unknown>),
    );
    for (const event of events) assert.equal(event.validate(), true);
    assert.deepEqual([...new Set(events.map((e) => e.type))].sort(), [
      'project.completed',
      'project.created',
      'qa.passed',
      'task.assigned',
      'task.completed',
    ]);
    assert.ok(
      events.every(
        (e) => e.requestid === summary.runId && (e.data as { request_id: string }).request_id === summary.runId,
      ),
    );
    const links = (events.find((e) => e.type === 'project.completed')!.data as { links: Record<string, string> }).links;
    assert.match(links.spec!, /^spec\/completed\/.+\/spec\.md$/);
    assert.match(links.journal!, new RegExp(`^\\.claude/runs/${summary.runId}/events\\.jsonl#seq=\\d+$`));
    const journal = await engine.runEvents(h.shop.dir, summary.runId, 'journal');
    assert.equal(journal.length, h.shop.read(`.claude/runs/${summary.runId}/events.jsonl`).trim().split('\n').length);
    await assert.rejects(engine.runEvents(h.shop.dir, 'no-such-run', 'cloudevents'), /No run no-such-run/);
  } finally {
    await h.close();
  }
});
