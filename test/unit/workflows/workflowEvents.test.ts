import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { engine } from '../../../src/core/engine';
import { reply } from '../../support/messagesApiServer';
import { say, specAnswer, type AgentScript } from '../../support/engine/agentScript';
import { PRODUCT_MODULE, PRODUCT_SCREEN, SCREEN_SPEC } from '../../support/engine/fixtures';
import { harness, journalOf } from '../../support/engine/harness';
import { receiver, withWebhook } from '../../support/webhookReceiver';

// Only the frontend has work (SCREEN_SPEC); the endpoint it calls is the backend's (another squad's) to add.
const NEED = 'GET /api/products returning [{id, name, price}]';

/** The shipped feature with squads, the dev phase fanned out per squad, and a Monitor that alerts at once on each of its three risks. */
const SQUADFLOW = readFileSync(resolve(__dirname, '../../../.claude/workflows/feature.yaml'), 'utf8')
  .replace(
    'phases:\n',
    'squads: { api: [database, backend], web: [frontend] }\nmonitor: { budgetBurn: 0.000001, validationFailures: 1, blockOpenSec: 0.001 }\nphases:\n',
  )
  .replace('    fanOut: layers\n', '    fanOut: squads\n');

// Once unblocked, its first screen does not parse: validation fails once (the Monitor's threshold), the retry fixes it.
const frontend: AgentScript = ({ turn, task }) => {
  if (task.includes('RETRY MODE'))
    return turn === 0 ? say.write({ 'web/src/products.js': PRODUCT_SCREEN }) : say.done();
  if (!task.includes('BLOCK RESOLVED'))
    return reply.toolUse('submit_result', {
      status: 'blocked',
      summary: 'The backend serves no /api/products.',
      needs: { layer: 'backend', request: NEED },
    });
  return turn === 0 ? say.write({ 'web/src/products.js': `${PRODUCT_SCREEN}\nexport const broken = ;\n` }) : say.done();
};
const backend: AgentScript = ({ turn }) =>
  turn === 0 ? say.write({ 'server/entities/product.js': PRODUCT_MODULE }) : say.done('Added GET /api/products.');

test('workflow events: phases close with their documents, a cross-squad block goes through the CTO, the Monitor alerts on each risk; all in the CloudEvents stream and at the webhook', async () => {
  assert.match(SQUADFLOW, /fanOut: squads/);
  const hook = await receiver();
  const h = await harness(
    {
      spec: specAnswer('Product list screen', 'product-list-screen', SCREEN_SPEC),
      frontend,
      backend,
      review: () => say.approve(),
    },
    { files: { '.claude/workflows/squadflow.yaml': SQUADFLOW }, config: withWebhook(hook.url) },
  );
  try {
    const summary = await engine.runFeature('A screen listing products', h.options({ workflow: 'squadflow' }));
    assert.equal(summary.status, 'completed', summary.error);
    const events = journalOf(h.shop, summary.runId);
    const specId = summary.specPath!.split('/')[2]!;

    const closed = events.filter((e) => e.type === 'phase.closed').map((e) => [e.phase, e.documents]);
    assert.deepEqual(closed, [
      ['SYNC', []],
      ['UNDERSTAND', []],
      ['SPEC', [`spec/active/${specId}/spec.md`]],
      ['IMPLEMENT', []],
      ['REVIEW', []],
      ['COMPLETE', []],
    ]);
    // Each phase closes after its own phase.completed, before the next phase starts.
    const at = (type: string, phase: string) => events.findIndex((e) => e.type === type && e.phase === phase);
    assert.ok(
      at('phase.completed', 'SPEC') < at('phase.closed', 'SPEC') &&
        at('phase.closed', 'SPEC') < at('phase.started', 'CHECKPOINT'),
    );

    const reported = events.findIndex((e) => e.type === 'block.reported');
    const request = events.findIndex((e) => e.type === 'pm.cto.dependency_request');
    const resolved = events.findIndex((e) => e.type === 'block.resolved');
    assert.ok(
      reported >= 0 && reported < request && request < resolved,
      JSON.stringify({ reported, request, resolved }),
    );
    // The CTO takes the block at once: nothing but the Monitor (whose block.open threshold is 1 ms here) comes between.
    assert.deepEqual(
      events.slice(reported + 1, request).filter((e) => e.type !== 'monitor.alert'),
      [],
    );
    assert.deepEqual(
      { ...events[request], seq: 0, ts: '' },
      { seq: 0, ts: '', type: 'pm.cto.dependency_request', block: 1, from: 'web', to: 'api', request: NEED },
    );

    const alerts = events.filter((e) => e.type === 'monitor.alert');
    assert.deepEqual(
      alerts.map((e) => [e.alert, e.subject]).sort(),
      [
        ['block.open', 'block-1'],
        ['budget.burn', undefined],
        ['validation.failures', 'frontend'],
      ],
      'one alert per risk',
    );
    const alertOf = (kind: string) => String(alerts.find((e) => e.alert === kind)?.message);
    assert.match(alertOf('budget.burn'), /% of the budget spent \(\$0\.\d+ of \$5\), past monitor\.budgetBurn/);
    assert.match(
      alertOf('validation.failures'),
      /^frontend failed validation 1 times \(monitor\.validationFailures: 1\); last: node /,
    );
    assert.match(
      alertOf('block.open'),
      /^block 1 \(frontend needs backend\) open for \d+ s, past monitor\.blockOpenSec \(0\.001 s\)$/,
    );

    const cloud = (await engine.runEvents(h.shop.dir, summary.runId, 'cloudevents')).map(
      (line) =>
        JSON.parse(line) as {
          id: string;
          type: string;
          subject?: string;
          data: Record<string, unknown> & { links: { documents?: string[] } };
        },
    );
    const types = cloud.map((e) => e.type);
    for (const type of ['phase.started', 'phase.closed', 'pm.cto.dependency_request', 'monitor.alert'])
      assert.ok(types.includes(type), `${type} in ${types.join(', ')}`);
    const specClosed = cloud.find((e) => e.type === 'phase.closed' && e.subject === 'SPEC');
    assert.deepEqual(specClosed?.data.documents, [`spec/active/${specId}/spec.md`]);
    // COMPLETE moved the spec: its link is where the document is now.
    assert.deepEqual(specClosed?.data.links.documents, [`spec/completed/${specId}/spec.md`]);
    assert.ok(h.shop.read(specClosed!.data.links.documents![0]!).includes('## Spec: Product list screen'));
    assert.deepEqual(cloud.find((e) => e.type === 'pm.cto.dependency_request')?.subject, 'web');
    const cloudAlerts = cloud
      .filter((e) => e.type === 'monitor.alert' && e.data.journal_type === 'monitor.alert')
      .map((e) => [e.data.alert, e.subject]);
    assert.deepEqual(
      cloudAlerts,
      alerts.map((e) => [e.alert, e.subject]),
    );
    assert.ok(cloud.some((e) => e.type === 'qa.failed' && e.subject === 'frontend'));

    // The webhook got the same stream, in order (links of moved documents aside: it sent them live).
    assert.deepEqual(
      hook.received.map((r) => [r.event.id, r.event.type]),
      cloud.map((e) => [e.id, e.type]),
    );
    assert.deepEqual(
      hook.received.find((r) => r.event.type === 'phase.closed' && r.event.subject === 'SPEC')?.event.data.links
        .documents,
      [`spec/active/${specId}/spec.md`],
    );
  } finally {
    await h.close();
    await hook.close();
  }
});
