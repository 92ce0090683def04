import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engine } from '../../../src/core/engine';
import { say, specAnswer, writesThenDone } from '../../support/engine/agentScript';
import { PRODUCT_API_SPEC, PRODUCT_MODULE } from '../../support/engine/fixtures';
import { harness } from '../../support/engine/harness';

test('spec gate: save for later stops after SPEC; approving the saved spec by id days later implements it', async () => {
  const h = await harness({
    spec: specAnswer('Product API', 'product-api', PRODUCT_API_SPEC),
    backend: writesThenDone({ 'server/entities/product.js': PRODUCT_MODULE }),
    review: () => say.approve(),
  });
  try {
    const saved = await engine.runFeature('Add a Product entity to the API', h.options({ autoApprove: false }));
    assert.equal(saved.status, 'spec-saved');
    assert.deepEqual(
      saved.phases.map((p) => p.name),
      ['SYNC', 'UNDERSTAND', 'SPEC'],
    );
    assert.equal(h.host.specRequests.length, 1);
    assert.match(h.host.specRequests[0]!.markdown, /## Spec: Product API/);
    assert.equal(h.calls.filter((c) => c.agent !== 'spec').length, 0, 'no layer agent before approval');
    const [info] = await engine.listSpecs(h.shop.dir);
    assert.equal(info!.status, 'saved');
    assert.equal(info!.kind, 'feature');
    assert.equal(saved.specPath, info!.path);

    const done = await engine.approveSpec(info!.id, h.options({ autoApprove: false }));
    assert.equal(done.status, 'completed', done.error);
    assert.notEqual(done.runId, saved.runId);
    assert.deepEqual(
      done.phases.map((p) => p.name),
      ['SYNC', 'UNDERSTAND', 'SPEC', 'CHECKPOINT', 'IMPLEMENT', 'REVIEW', 'COMPLETE'],
    );
    assert.equal(h.callsOf('spec').length, 1, 'the saved spec is reused, not rewritten');
    assert.equal(h.host.specRequests.length, 1, 'approve <id> does not ask again');
    assert.equal(h.shop.read('server/entities/product.js'), PRODUCT_MODULE);
    const completed = h.shop.read(`spec/completed/${info!.id}/spec.md`);
    assert.match(completed, /status: completed/);
    assert.match(completed, /approved: "?\d{4}-\d{2}-\d{2}T[\d:.]+Z/);

    await assert.rejects(
      engine.approveSpec(info!.id, h.options()),
      (error: Error & { code?: string }) => error.code === 'E_USAGE' && /already completed/.test(error.message),
    );
  } finally {
    await h.close();
  }
});

test('spec gate: request changes sends the feedback and the previous spec back to the spec agent', async () => {
  const h = await harness({
    spec: ({ attempt }) =>
      attempt === 1
        ? say.spec('Product API', 'product-api', PRODUCT_API_SPEC)
        : say.spec(
            'Product API with SKU',
            'product-api',
            PRODUCT_API_SPEC.replace('(name, price)', '(name, price, sku)'),
          ),
  });
  try {
    h.host.decisions = [{ action: 'changes', feedback: 'Products also need a unique SKU.' }, { action: 'save' }];
    const summary = await engine.runFeature('Add a Product entity to the API', h.options({ autoApprove: false }));
    assert.equal(summary.status, 'spec-saved');
    const [first, second] = h.callsOf('spec');
    assert.ok(first && second);
    assert.doesNotMatch(first.task, /CHANGES REQUESTED/);
    assert.match(
      second.task,
      /## CHANGES REQUESTED[\s\S]*Products also need a unique SKU\.[\s\S]*### Previous spec\n## Spec: Product API/,
    );
    assert.equal(h.host.specRequests.length, 2);
    assert.equal(h.host.specRequests[0]!.specId, h.host.specRequests[1]!.specId, 'the same spec, revised');
    assert.match(h.host.specRequests[1]!.markdown, /\(name, price, sku\)/);
    const text = h.shop.read(summary.specPath!);
    assert.match(text, /title: Product API with SKU/);
    assert.match(text, /\(name, price, sku\)/);
    assert.equal(h.host.ofType('spec.changes-requested').length, 1);
  } finally {
    await h.close();
  }
});
