import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { engine } from '../../../src/core/engine';
import { productAgents } from '../../support/engine/agentScript';
import { harness, journalOf } from '../../support/engine/harness';

const SHIPPED_FEATURE = readFileSync(resolve(__dirname, '../../../.claude/workflows/feature.yaml'), 'utf8');
/** The review phase named F and gated, like seed 000's F, by the matrix being complete. */
const TESTED = SHIPPED_FEATURE.replace('  - name: REVIEW\n', '  - name: F\n').replace(
  '    gate: { check: [review] }\n',
  '    gate: { check: [review, trace] }\n',
);

const agents = productAgents;

/** A test of REQ-1 only (the shop has no test of its own). */
const CREATE_TEST =
  "// REQ-1: products are created with a name and a price\nconst assert = require('node:assert');\nassert.ok(true);\n";

test("F's gate: a requirement with no test fails it, naming the requirements; a test fixes one; --allow-untested waives the other, in the journal and the matrix", async () => {
  assert.match(TESTED, /name: F\n[\s\S]*check: \[review, trace\]/);
  const h = await harness(agents(), { files: { '.claude/workflows/tested.yaml': TESTED } });
  try {
    const stopped = await engine.runFeature(
      'Add a Product entity with name and price',
      h.options({ workflow: 'tested' }),
    );
    assert.equal(stopped.status, 'stopped');
    assert.equal(stopped.error, 'phase F: 2 requirement(s) with no test');
    const lines = stopped.report!.split('\n');
    assert.deepEqual(lines.slice(0, 4), [
      '## Pipeline stopped: the gate of phase F did not pass',
      '- REQ-1: Create a product — no test (no test file cites REQ-1, REQ-1.1, REQ-1.2, nor tests a file it changed)',
      '- REQ-2: List products — no test (no test file cites REQ-2, REQ-2.1, nor tests a file it changed)',
      '### Action needed',
    ]);
    assert.match(lines[4]!, /or accept the gap with `orchestrator resume --allow-untested`/);
    // The stop names them for the hosts (the sidebar's "Allow untested…"): the gate failed for them alone.
    assert.deepEqual(
      journalOf(h.shop, stopped.runId)
        .filter((e) => e.type === 'run.stopped')
        .map((e) => e.untested),
      [{ phase: 'F', requirements: ['REQ-1', 'REQ-2'] }],
    );

    h.shop.write('test/create-product.test.js', CREATE_TEST);
    const again = await engine.resumeRun(stopped.runId, h.options());
    assert.equal(again.status, 'stopped');
    assert.equal(again.error, 'phase F: 1 requirement(s) with no test');
    assert.equal(
      again.report!.split('\n')[1],
      '- REQ-2: List products — no test (no test file cites REQ-2, REQ-2.1, nor tests a file it changed)',
    );

    const waived = await engine.resumeRun(stopped.runId, h.options({ allowUntested: true }));
    assert.equal(waived.status, 'completed', waived.error);
    assert.equal(h.callsOf('review').length, 1, 'the review ran once; the gate was checked again');
    const events = journalOf(h.shop, waived.runId);
    assert.deepEqual(
      events.filter((e) => e.type === 'run.started').map((e) => e.allowUntested),
      [undefined, undefined, true],
    );
    assert.deepEqual(
      events.filter((e) => e.type === 'trace.waived').map((e) => [e.phase, e.requirements]),
      [['F', ['REQ-2']]],
    );
    assert.ok(
      events.some(
        (e) =>
          e.type === 'log' &&
          e.level === 'warn' &&
          e.message ===
            'Phase F: no test for REQ-2; waived by --allow-untested (recorded in the matrix and the journal).',
      ),
    );

    // The matrix beside the spec says so, in REQ-2's Tests cell; REQ-1's is the test written for it.
    const folder = join(h.shop.dir, dirname(waived.specPath!));
    const markdown = readFileSync(join(folder, 'trace.md'), 'utf8');
    assert.match(
      markdown,
      /\| REQ-2\.1: WHEN the products screen loads [^|]*\|(?:[^|\n]*\|)*? \(none: waived at phase F \(--allow-untested\)\) \|/,
    );
    assert.match(markdown, /\n\*\*Untested, waived:\*\* REQ-2 \(waived at phase F \(--allow-untested\)\)\n/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(join(folder, 'trace.xlsx'));
    const sheet = book.getWorksheet('Traceability')!;
    const headers = (sheet.getRow(1).values as unknown[]).map(String);
    const tests = headers.indexOf('Tests');
    assert.ok(tests > 0, headers.join(', '));
    const cellOf = (criterion: string) => {
      for (let r = 2; r <= sheet.rowCount; r++)
        if (String(sheet.getRow(r).getCell(2).value).startsWith(criterion))
          return String(sheet.getRow(r).getCell(tests).value);
      return undefined;
    };
    assert.equal(cellOf('REQ-1.1:'), 'test/create-product.test.js');
    assert.equal(cellOf('REQ-2.1:'), '(none: waived at phase F (--allow-untested))');
  } finally {
    await h.close();
  }
});
