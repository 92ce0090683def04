// Issue 71: ticks as work is done. A layer's task and file lines in the run's spec are ticked once
// its work is accepted (validated after its last change, checked by something), taken back when it
// is sent back, never for work nothing checked until the run accepts it; an imported Kiro or Spec
// Kit folder gets the same tasks ticked in its own tasks.md, in its own notation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engine } from '../../../src/core/engine';
import { reply } from '../../support/messagesApiServer';
import { productAgents, productLayers, say, specAnswer, writesThenDone } from '../../support/engine/agentScript';
import { CUSTOMER_SPEC, PRODUCT_SCREEN } from '../../support/engine/fixtures';
import { type Harness, harness, journalOf } from '../../support/engine/harness';
import { withLimit } from '../../support/engine/shopWorkspace';
import { copySpecFolder } from '../../support/specFixtures';

/** The checkbox of each task and file line of the spec, as `path or task → x/ ` in file order. */
function ticks(spec: string): string[] {
  return spec
    .split('\n')
    .filter((line) => /^(?:-|\d+\.) \[[ x]\] /.test(line))
    .map((line) => `${/\[([ x])\]/.exec(line)![1]} ${line.replace(/^(?:-|\d+\.) \[[ x]\] /, '').slice(0, 30)}`);
}

/** The fixture folder committed at `at`, imported, its task naming no file given a layer, approved and run to completion. */
async function approveFolder(h: Harness, fixture: string, at: string, assign: { task: string; layer: string }) {
  copySpecFolder(h.shop.dir, fixture, at);
  h.shop.git('add', '-A');
  h.shop.git('commit', '-q', '-m', 'a spec folder');
  const imported = await engine.importSpec(h.shop.dir, at);
  await engine.assignLayers(h.shop.dir, imported.specId, [assign]);
  const summary = await engine.approveSpec(imported.specId, h.options());
  assert.equal(summary.status, 'completed', summary.error);
  return summary;
}

const OPEN_FRONTEND = [
  'x db/migrations/003_create_produ',
  'x server/entities/product.js: th',
  '  web/src/products.js: list prod',
  'x Database: migration 003 creati',
  'x Backend: server/entities/produ',
  '  Frontend: web/src/products.js ',
];

test('a run stopped halfway shows exactly what was done: the layers validated ticked, the failing one open; a rollback takes the ticks back', async () => {
  const h = await harness(
    {
      ...productAgents(),
      // The frontend's screen never passes its check: the run stops after its retries.
      frontend: writesThenDone({ 'web/src/products.js': `${PRODUCT_SCREEN}\nexport function (\n` }),
    },
    { config: withLimit('maxRetries', 1) },
  );
  try {
    const summary = await engine.runFeature('Add a Product entity with name and price', h.options());
    assert.equal(summary.status, 'stopped', summary.error);
    assert.match(summary.specPath!, /^spec\/active\//);
    assert.deepEqual(ticks(h.shop.read(summary.specPath!)), OPEN_FRONTEND);
    const ticked = journalOf(h.shop, summary.runId).filter((e) => e.type === 'spec.ticked');
    assert.deepEqual(ticked.map((e) => `${e.layer as string} ${String(e.done)}`).sort(), [
      'backend true',
      'database true',
    ]);

    // Rolled back, its work is gone and so are its ticks: approving the spec again does it all again.
    await engine.rollback(h.shop.dir, summary.runId);
    assert.ok(ticks(h.shop.read(summary.specPath!)).every((line) => line.startsWith(' ')));
  } finally {
    await h.close();
  }
});

test('a layer sent back by the review has its ticks taken back until it is accepted again; still rejected, the stopped spec shows it open', async () => {
  const issue = {
    file: 'server/entities/product.js',
    line: 20,
    severity: 'major' as const,
    problem: 'price accepts NaN',
    fix: 'reject NaN with Number.isFinite',
  };
  const h = await harness(
    { ...productAgents(), review: () => say.reject([issue]) },
    { config: withLimit('maxReviewRetries', 1) },
  );
  try {
    const summary = await engine.runFeature('Add a Product entity with name and price', h.options());
    assert.equal(summary.status, 'stopped', summary.error);
    assert.match(summary.report!, /review rejected/);
    const events = journalOf(h.shop, summary.runId);
    const backend = events.filter((e) => e.type === 'spec.ticked' && e.layer === 'backend');
    // Ticked once validated, taken back at the rejection, ticked again once its fix validated, taken back at the next.
    assert.deepEqual(
      backend.map((e) => e.done),
      [true, false, true, false],
    );
    const verdicts = events.filter((e) => e.type === 'review.verdict');
    const fix = events.find((e) => e.type === 'agent.started' && e.agent === 'backend' && e.mode === 'review-fix')!;
    const at = (e: unknown) => events.indexOf(e as (typeof events)[number]);
    assert.ok(at(verdicts[0]) < at(backend[1]) && at(backend[1]) < at(fix) && at(fix) < at(backend[2]));
    assert.ok(at(verdicts[1]) < at(backend[3]));
    // No fix round left: the run stopped with the backend's work rejected, its lines open, the others' ticked.
    assert.deepEqual(
      ticks(h.shop.read(summary.specPath!)).map((line) => line[0]),
      ['x', ' ', 'x', 'x', ' ', 'x'],
    );
  } finally {
    await h.close();
  }
});

test('work nothing checked is not ticked when the run ends unchecked; accepted with --allow-unchecked it is', async () => {
  const file = 'server/entities/customer.js';
  const h = await harness(
    {
      spec: specAnswer('Trim customer names', 'trim-customer-names', CUSTOMER_SPEC),
      backend: ({ turn }) =>
        turn === 0
          ? reply.toolUse('edit_file', {
              path: file,
              old_text: "errors.push('name is required')",
              new_text: "errors.push('name is required (not blank)')",
            })
          : say.done(),
      review: () => say.approve(),
    },
    { config: (yaml) => yaml.replace(/\n(\s+)validate: \["node scripts\/check-server\.js server"\][^\n]*/, '') },
  );
  try {
    const stopped = await engine.runFeature('Clearer validation message for Customer names', h.options());
    assert.equal(stopped.status, 'unchecked', stopped.error);
    assert.deepEqual(ticks(h.shop.read(stopped.specPath!)), [
      '  server/entities/customer.js: c',
      '  Backend: change the "name is r',
    ]);
    const accepted = await engine.resumeRun(stopped.runId, h.options({ allowUnchecked: true }));
    assert.equal(accepted.status, 'completed', accepted.error);
    assert.deepEqual(ticks(h.shop.read(accepted.specPath!)), [
      'x server/entities/customer.js: c',
      'x Backend: change the "name is r',
    ]);
  } finally {
    await h.close();
  }
});

test('an imported Kiro folder: its tasks.md is ticked in Kiro’s notation as the layers are accepted, a group once its sub-tasks are', async () => {
  const KIRO = '.kiro/specs/product-catalog';
  const h = await harness(productLayers());
  try {
    const summary = await approveFolder(h, 'kiro/product-catalog', KIRO, { task: '4', layer: 'frontend' });
    const tasks = h.shop.read(`${KIRO}/tasks.md`);
    assert.deepEqual(
      tasks.split('\n').filter((line) => /^\s*- \[/.test(line)),
      [
        '- [x] 1. Crear la migración `db/migrations/003_create_product.sql`',
        '- [x] 2. Backend del producto',
        '  - [x] 2.1 Módulo `server/entities/product.js` con el patrón simple',
        '- [x] 3. Pantalla web/src/products.js que lista los productos',
        '- [x] 4. Anunciar el catálogo en el blog de la tienda',
        '- [x] 5. Revisar el registro de entidades',
      ],
    );
    // The rest of the file is as Kiro wrote it.
    assert.match(tasks, /^---\nspec: product-catalog\ngenerated-by: kiro\n---\n# Plan de implementación\n/);
    assert.match(tasks, /\n {4}- Validar nombre y precio\n {4}- _Requirements: 1\.1, 1\.2_\n/);
    assert.ok(ticks(h.shop.read(summary.specPath!)).every((line) => line.startsWith('x')));
    const backend = h.host.ofType('spec.ticked').find((e) => e.layer === 'backend')!;
    assert.deepEqual(backend.source, { path: `${KIRO}/tasks.md`, refs: ['2.1', '2'] });
  } finally {
    await h.close();
  }
});

test('an imported Spec Kit folder: its tasks.md is ticked as /speckit.implement ticks it, `[X]`', async () => {
  const SPEC_KIT = 'specs/001-product-list';
  const h = await harness(productLayers());
  try {
    await approveFolder(h, 'speckit/001-product-list', SPEC_KIT, { task: 'T020', layer: 'backend' });
    assert.deepEqual(
      h.shop
        .read(`${SPEC_KIT}/tasks.md`)
        .split('\n')
        .filter((line) => line.startsWith('- [')),
      [
        '- [X] T001 Confirm the migration numbering in db/migrations/ (next is 003)',
        '- [X] T010 [P] [US1] Product module in server/entities/product.js (FR-001)',
        '- [X] T011 [P] [US1] Migration db/migrations/003_create_product.sql',
        '- [X] T012 [US1] Screen web/src/products.js listing the products',
        '- [X] T020 [P] Update the registry entry for Product (FR-002)',
      ],
    );
  } finally {
    await h.close();
  }
});
