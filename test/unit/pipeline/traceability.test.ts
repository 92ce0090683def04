import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { engine } from '../../../src/core/engine';
import { createSpec } from '../../../src/core/project/specs/specs';
import type { TraceMatrix } from '../../../src/core/trace/matrix';
import { say, specAnswer, writesThenDone } from '../../support/engine/agentScript';
import { PRODUCT_MIGRATION, PRODUCT_MODULE, PRODUCT_SCREEN, PRODUCT_SPEC } from '../../support/engine/fixtures';
import { harness } from '../../support/engine/harness';
import { reply } from '../../support/messagesApiServer';

const FIXED_MODULE = PRODUCT_MODULE.replace(
  "typeof input.price !== 'number' || input.price < 0",
  '!Number.isFinite(input.price) || input.price < 0',
);
// A test the backend adds, citing the criteria it covers (REQ-2.1 has none: a gap).
const CATALOG_TEST = `'use strict';
// REQ-1.1: a valid product is stored. REQ-1.2: a blank name or a bad price is refused.
const test = require('node:test');
test('product', () => {});
`;

const reviewCriteria = (unmet: boolean) => [
  { id: 'REQ-1.1', verdict: 'met' },
  unmet
    ? {
        id: 'REQ-1.2',
        verdict: 'unmet',
        file: 'server/entities/product.js',
        line: 20,
        problem: 'a NaN price is accepted',
        fix: 'check the price with Number.isFinite',
      }
    : { id: 'REQ-1.2', verdict: 'met' },
  { id: 'REQ-2.1', verdict: 'met' },
];

test('traceability: two requirements, the review rejects one criterion, the fix is approved; the matrix exported as .xlsx reads back with another parser', async () => {
  const h = await harness({
    spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC),
    database: writesThenDone({ 'db/migrations/003_create_product.sql': PRODUCT_MIGRATION }),
    backend: ({ turn, task }) => {
      if (turn > 0) return say.done();
      return task.includes('REVIEW FIX MODE')
        ? say.write({ 'server/entities/product.js': FIXED_MODULE })
        : say.write({ 'server/entities/product.js': PRODUCT_MODULE, 'server/test/catalog.test.js': CATALOG_TEST });
    },
    frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }),
    // The first review approves overall but judges REQ-1.2 unmet: that is a rejection all the same.
    review: ({ attempt }) =>
      reply.toolUse('submit_review', { verdict: 'approved', issues: [], criteria: reviewCriteria(attempt === 1) }),
  });
  try {
    const summary = await engine.runFeature('Add a Product entity with name and price', h.options());
    assert.equal(summary.status, 'completed', summary.error);
    assert.equal(summary.reviewRounds, 2);

    // The review was asked to judge each criterion; the unmet one went to the backend as a fix.
    assert.match(h.callsOf('review')[0]!.task, /## ACCEPTANCE CRITERIA[\s\S]*- REQ-1\.2: IF the name is blank/);
    const [first, second] = h.host.ofType('review.verdict');
    assert.equal(first!.verdict, 'rejected');
    assert.deepEqual(
      first!.issues.map((i) => [i.criterion, i.file]),
      [['REQ-1.2', 'server/entities/product.js']],
    );
    assert.equal(second!.verdict, 'approved');
    const fix = h.callsOf('backend').find((c) => c.task.includes('REVIEW FIX MODE'))!;
    assert.match(fix.task, /REQ-1\.2 not met: a NaN price is accepted — fix: check the price with Number\.isFinite/);
    assert.equal(h.callsOf('frontend').filter((c) => c.turn === 0).length, 1, 'the frontend had nothing to fix');

    // The matrix was brought up to date after the phases, and the last one is complete.
    const updates = h.host.ofType('trace.updated');
    assert.ok(updates.length >= 4, `trace.updated ${updates.length} times`);
    const afterImplement = updates.find((u) => u.matrix.rows.some((r) => r.files.length > 0))!.matrix;
    assert.equal(row(afterImplement, 'REQ-1.2').review, 'not reviewed');
    const final = updates.at(-1)!.matrix;
    assert.deepEqual(
      final.rows.map((r) => r.criterion),
      ['REQ-1.1', 'REQ-1.2', 'REQ-2.1'],
    );
    assert.deepEqual(row(final, 'REQ-1.1').files, [
      'db/migrations/003_create_product.sql',
      'server/entities/product.js',
    ]);
    assert.deepEqual(row(final, 'REQ-2.1').files, ['server/entities/product.js', 'web/src/products.js']);
    assert.deepEqual(row(final, 'REQ-1.2').validation, ['database: passed', 'backend: passed']);
    assert.deepEqual(
      final.rows.map((r) => r.review),
      ['met', 'met', 'met'],
    );
    assert.deepEqual(row(final, 'REQ-1.2').tests, ['server/test/catalog.test.js']);
    assert.deepEqual(final.criteriaWithoutTest, ['REQ-2.1']);
    assert.deepEqual(final.requirementsWithoutFile, []);
    const traceFile = JSON.parse(h.shop.read(`.claude/runs/${summary.runId}/trace.json`)) as TraceMatrix;
    assert.deepEqual(
      traceFile.rows.map((r) => r.review),
      ['met', 'met', 'met'],
    );

    // Exported: a real workbook, read by ExcelJS (the writer is write-excel-file).
    const specId = h.host.ofType('spec.approved')[0]!.specId;
    const { matrix } = await engine.traceSpec(h.shop.dir, specId, { xlsx: 'out/trace.xlsx', md: 'out/trace.md' });
    assert.deepEqual(
      matrix.rows.map((r) => r.criterion),
      ['REQ-1.1', 'REQ-1.2', 'REQ-2.1'],
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(join(h.shop.dir, 'out/trace.xlsx'));
    const sheet = book.getWorksheet('Traceability');
    assert.ok(sheet, `sheets: ${book.worksheets.map((w) => w.name).join(', ')}`);
    const text = (r: number, c: number) => String(sheet.getRow(r).getCell(c).value ?? '');
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 7].map((c) => text(1, c)),
      ['Requirement', 'Criterion', 'Tasks', 'Files', 'Validation', 'Review', 'Tests'],
    );
    assert.equal(sheet.actualRowCount, 4, 'a header and one row per criterion');
    assert.equal(text(2, 1), 'REQ-1: Create a product');
    assert.match(
      text(3, 2),
      /^REQ-1\.2: IF the name is blank or the price is not a number >= 0 THEN THE API SHALL answer 400/,
    );
    assert.match(
      text(3, 3),
      /^1\. Database: migration 003 creating products.*\(REQ-1\)\n2\. Backend: server\/entities\/product\.js/,
    );
    assert.equal(text(3, 4), 'db/migrations/003_create_product.sql\nserver/entities/product.js');
    assert.equal(text(3, 5), 'database: passed\nbackend: passed');
    assert.equal(text(3, 6), 'met');
    assert.equal(text(3, 7), 'server/test/catalog.test.js');
    assert.equal(text(4, 7), '(none)');
    // The gap (REQ-2.1 has no test) is highlighted; a cell without a gap is not.
    const fill = (r: number, c: number) =>
      (sheet.getRow(r).getCell(c).fill as { fgColor?: { argb?: string } } | undefined)?.fgColor?.argb;
    assert.match(fill(4, 7) ?? '', /FFE0E0$/i);
    assert.equal(fill(3, 7), undefined);
    assert.match(
      h.shop.read('out/trace.md'),
      /\| REQ-2: List products \| REQ-2\.1: WHEN the products screen loads[^\n]*\| no test \|/,
    );
  } finally {
    await h.close();
  }
});

/** REQ-2 is served only by the frontend task here, and the frontend changes nothing. */
const SPLIT_SPEC = PRODUCT_SPEC.replace(
  'following the simple pattern (REQ-1, REQ-2)',
  'following the simple pattern (REQ-1)',
);

test('COMPLETE refuses to archive a spec with a requirement no file implements; resuming after a fix by hand completes it', async () => {
  const h = await harness({
    spec: specAnswer('Product entity', 'product-entity', SPLIT_SPEC),
    database: writesThenDone({ 'db/migrations/003_create_product.sql': PRODUCT_MIGRATION }),
    backend: writesThenDone({ 'server/entities/product.js': PRODUCT_MODULE }),
    frontend: () => say.done('Nothing to change.'),
    review: () => say.approve(),
  });
  try {
    const stopped = await engine.runFeature('Add a Product entity with name and price', h.options());
    assert.equal(stopped.status, 'stopped');
    assert.match(stopped.report!, /^## Pipeline stopped: requirements with no implementing file/);
    assert.match(
      stopped.report!,
      /- REQ-2: List products — tasks: 3\. Frontend: web\/src\/products\.js listing products \(REQ-2\); layers: frontend/,
    );
    assert.ok(h.shop.read(stopped.specPath!).length > 0, 'the spec was not archived');
    assert.equal(h.host.ofType('spec.completed').length, 0);

    h.shop.write('web/src/products.js', PRODUCT_SCREEN);
    const done = await engine.resumeRun(undefined, h.options());
    assert.equal(done.status, 'completed', done.error);
    assert.equal(h.callsOf('frontend').filter((c) => c.turn === 0).length, 1, 'no agent ran again');
    const final = h.host.ofType('trace.updated').at(-1)!.matrix;
    assert.deepEqual(row(final, 'REQ-2.1').files, ['web/src/products.js (by hand)']);
  } finally {
    await h.close();
  }
});

test('a spec written before traceability (no requirements) still loads and runs: no matrix, no criteria to judge, COMPLETE archives it', async () => {
  const h = await harness({
    backend: writesThenDone({ 'server/entities/product.js': PRODUCT_MODULE }),
    review: () => say.approve(),
  });
  try {
    const old = PRODUCT_SPEC.replace(
      /### Requirements[\s\S]*?### Files to Create\/Modify/,
      '### Files to Create/Modify',
    )
      .replace(/#### Database[\s\S]*?#### Backend/, '#### Backend')
      .replace(/#### Frontend[\s\S]*?### Tasks/, '### Tasks')
      .replace(/ \(REQ-[\d, REQ-]+\)/g, '')
      .replace(/\n1\. .*\n2\. (.*)\n3\. .*/, '\n1. $1');
    assert.doesNotMatch(old, /REQ-/);
    const spec = await createSpec(h.shop.dir, {
      title: 'Product module',
      kind: 'feature',
      layers: ['backend'],
      markdown: old,
      status: 'saved',
    });
    h.shop.git('add', '-A');
    h.shop.git('commit', '-q', '-m', 'an old spec');
    const summary = await engine.approveSpec(spec.id, h.options());
    assert.equal(summary.status, 'completed', summary.error);
    assert.equal(h.host.ofType('trace.updated').length, 0);
    assert.doesNotMatch(h.callsOf('review')[0]?.task ?? '', /ACCEPTANCE CRITERIA/);
    const { matrix, markdown } = await engine.traceSpec(h.shop.dir, spec.id);
    assert.deepEqual(matrix.rows, []);
    assert.match(markdown, /has no requirements \(it was written before traceability\)/);
  } finally {
    await h.close();
  }
});

function row(matrix: TraceMatrix, criterion: string) {
  const found = matrix.rows.find((r) => r.criterion === criterion);
  assert.ok(found, `no row ${criterion}`);
  return found;
}
