import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engine } from '../../../src/core/engine';
import { reply } from '../../support/messagesApiServer';
import { say, specAnswer, writesThenDone, type AgentScript } from '../../support/engine/agentScript';
import {
  CUSTOMER_SPEC,
  PRODUCT_MIGRATION,
  PRODUCT_MODULE,
  PRODUCT_SCREEN,
  PRODUCT_SPEC,
} from '../../support/engine/fixtures';
import { harness } from '../../support/engine/harness';
import { withLimit } from '../../support/engine/shopWorkspace';

const ISSUE = {
  file: 'server/entities/product.js',
  line: 20,
  severity: 'major' as const,
  problem: 'price accepts NaN',
  fix: 'reject NaN with Number.isFinite',
};
const FIXED_MODULE = PRODUCT_MODULE.replace(
  "typeof input.price !== 'number' || input.price < 0",
  '!Number.isFinite(input.price) || input.price < 0',
);

const PHONE_SPEC = `## Spec: Customer phone

### Summary
Store a phone number per customer.

### Requirements

#### REQ-1: Customer phone column
**Acceptance criteria**
- REQ-1.1: WHEN migration 003 runs THE database SHALL have a phone column on customers.

### Files to Create/Modify

#### Database
- [ ] db/migrations/003_add_customer_phone.sql: add the phone column

### Tasks
1. [ ] Database: migration 003 adding customers.phone (REQ-1)

### Dependencies
- None
`;

const productAgents = (review: AgentScript, backend?: AgentScript): Record<string, AgentScript> => ({
  spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC),
  database: writesThenDone({ 'db/migrations/003_create_product.sql': PRODUCT_MIGRATION }),
  backend: backend ?? writesThenDone({ 'server/entities/product.js': PRODUCT_MODULE }),
  frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }),
  review,
});

test('review & fix: a rejection goes to the layer owning the file, is validated, and the next review approves', async () => {
  const h = await harness(
    productAgents(
      ({ attempt }) => (attempt === 1 ? say.reject([ISSUE]) : say.approve()),
      ({ turn, task }) => {
        if (turn > 0) return say.done();
        return say.write({
          'server/entities/product.js': task.includes('REVIEW FIX MODE') ? FIXED_MODULE : PRODUCT_MODULE,
        });
      },
    ),
  );
  try {
    const summary = await engine.runFeature('Add a Product entity with name and price', h.options());
    assert.equal(summary.status, 'completed', summary.error);
    assert.equal(summary.reviewRounds, 2);

    const fix = h.callsOf('backend').find((c) => c.attempt === 2)!;
    assert.match(fix.task, /## REVIEW FIX MODE/);
    assert.match(
      fix.task,
      /\[major\] server\/entities\/product\.js:20: price accepts NaN — fix: reject NaN with Number\.isFinite/,
    );
    assert.equal(h.callsOf('database').filter((c) => c.turn === 0).length, 1, 'database was not asked to fix anything');
    assert.equal(h.callsOf('frontend').filter((c) => c.turn === 0).length, 1, 'frontend was not asked to fix anything');
    assert.equal(h.shop.read('server/entities/product.js'), FIXED_MODULE);

    const events = h.host.events;
    const verdicts = events.flatMap((e, i) => (e.type === 'review.verdict' ? [i] : []));
    const between = events.slice(verdicts[0]! + 1, verdicts[1]!);
    assert.deepEqual(
      between.filter((e) => e.type === 'validation.passed').map((e) => (e as { layer: string }).layer),
      ['backend'],
    );
    assert.ok(between.some((e) => e.type === 'agent.started' && e.agent === 'backend' && e.mode === 'review-fix'));

    // The second review sees the fixed code in the diff.
    assert.match(h.callsOf('review').find((c) => c.attempt === 2)!.task, /Number\.isFinite/);
  } finally {
    await h.close();
  }
});

test('review & fix: still rejected after maxReviewRetries fix rounds → stopped with the review report', async () => {
  const h = await harness(
    productAgents(() => say.reject([ISSUE])),
    { config: withLimit('maxReviewRetries', 1) },
  );
  try {
    const summary = await engine.runFeature('Add a Product entity with name and price', h.options());
    assert.equal(summary.status, 'stopped');
    assert.equal(summary.reviewRounds, 2);
    assert.match(summary.report!, /^## Pipeline stopped: review rejected/);
    assert.match(summary.report!, /Fix rounds exhausted: 1\/1/);
    assert.match(summary.report!, /price accepts NaN/);
  } finally {
    await h.close();
  }
});

test('review skip rule: a small change to a known entity without schema change skips the review', async () => {
  const h = await harness({
    spec: specAnswer('Trim customer names', 'trim-customer-names', CUSTOMER_SPEC),
    backend: ({ turn }) =>
      turn === 0
        ? reply.toolUse('edit_file', {
            path: 'server/entities/customer.js',
            old_text: "errors.push('name is required')",
            new_text: "errors.push('name is required (not blank)')",
          })
        : say.done(),
    review: () => {
      throw new Error('the review must be skipped');
    },
  });
  try {
    const summary = await engine.runFeature('Clearer validation message for Customer names', h.options());
    assert.equal(summary.status, 'completed', summary.error);
    assert.equal(summary.reviewRounds, 0);
    assert.deepEqual(summary.filesChanged, ['server/entities/customer.js']);
    const skipped = h.host.ofType('review.skipped');
    assert.equal(skipped.length, 1);
    assert.match(skipped[0]!.reason, /1 file\(s\) changed \(at most 3\), no new entity, no schema change/);
    assert.equal(h.callsOf('review').length, 0);
    const { entity, known, layers, pattern } = h.host.ofType('understood')[0]!;
    assert.deepEqual(
      { entity, known, layers, pattern },
      { entity: 'Customer', known: true, layers: ['database', 'backend', 'frontend'], pattern: 'simple' },
    );
  } finally {
    await h.close();
  }
});

test('review skip rule: one file, known entity, but a schema change → the review runs', async () => {
  const h = await harness({
    spec: specAnswer('Customer phone', 'customer-phone', PHONE_SPEC),
    database: writesThenDone({
      'db/migrations/003_add_customer_phone.sql': 'ALTER TABLE customers ADD COLUMN phone VARCHAR(30);\n',
    }),
    review: () => say.approve(),
  });
  try {
    const summary = await engine.runFeature('Store a phone number for each Customer', h.options());
    assert.equal(summary.status, 'completed', summary.error);
    assert.deepEqual(summary.filesChanged, ['db/migrations/003_add_customer_phone.sql']);
    assert.equal(summary.reviewRounds, 1);
    assert.equal(h.host.ofType('review.skipped').length, 0);
  } finally {
    await h.close();
  }
});
