import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { engine } from '../../../src/core/engine';
import { EngineUsageError } from '../../../src/core/errors';
import { ProjectFileError } from '../../../src/core/project/sources/errors';
import { productAgents } from '../../support/engine/agentScript';
import { harness, journalOf } from '../../support/engine/harness';

const SHIPPED_FEATURE = readFileSync(resolve(__dirname, '../../../.claude/workflows/feature.yaml'), 'utf8');
/** The shipped feature without its REVIEW phase: the data, not the code, decides what runs. */
const QUICK = SHIPPED_FEATURE.replace(/\n {2}- name: REVIEW\n(?: {4}.*\n)+/, '\n');

const agents = productAgents;

test("workflows: --workflow runs the named file's phases (no REVIEW in it: no review agent), journals its name, and approve of its saved spec keeps it", async () => {
  assert.doesNotMatch(QUICK, /REVIEW/);
  const h = await harness(agents(), { files: { '.claude/workflows/quick.yaml': QUICK } });
  try {
    const saved = await engine.runFeature(
      'Add a Product entity with name and price',
      h.options({ autoApprove: false, workflow: 'quick' }),
    );
    assert.equal(saved.status, 'spec-saved', saved.error);
    const started = journalOf(h.shop, saved.runId)[0];
    assert.deepEqual([started?.type, started?.workflow], ['run.started', 'quick']);

    const specId = saved.specPath!.split('/')[2]!;
    const done = await engine.approveSpec(specId, h.options());
    assert.equal(done.status, 'completed', done.error);
    assert.deepEqual(
      done.phases.map((p) => p.name),
      ['SYNC', 'UNDERSTAND', 'SPEC', 'CHECKPOINT', 'IMPLEMENT', 'COMPLETE'],
    );
    assert.equal(h.callsOf('review').length, 0);
    assert.equal(journalOf(h.shop, done.runId)[0]?.workflow, 'quick');
    assert.match(done.specPath!, /^spec\/completed\//);

    // The matrix was brought up to date at each phase close and kept beside the spec (it moved with it),
    // with the columns of the phases this workflow has: no REVIEW, no Review column.
    const folder = join(h.shop.dir, dirname(done.specPath!));
    assert.match(
      readFileSync(join(folder, 'trace.md'), 'utf8'),
      /\n\| Requirement \| Criterion \| Tasks \| Files \| Validation \| Tests \| Proof \| Red on base \| Green after \| Strength \| Gaps \|\n/,
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(join(folder, 'trace.xlsx'));
    const sheet = book.getWorksheet('Traceability')!;
    assert.equal(String(sheet.getRow(2).getCell(2).value).slice(0, 8), 'REQ-1.1:');
    const closes = journalOf(h.shop, done.runId).filter((e) => e.type === 'phase.closed').length;
    assert.ok(h.host.ofType('trace.updated').length >= closes, 'one matrix update per phase close at least');
  } finally {
    await h.close();
  }
});

test('workflows: the default feature run journals no workflow name (its journal is as before the workflows)', async () => {
  const h = await harness(agents());
  try {
    const summary = await engine.runFeature('Add a Product entity with name and price', h.options());
    assert.equal(summary.status, 'completed', summary.error);
    assert.deepEqual(
      summary.phases.map((p) => p.name),
      ['SYNC', 'UNDERSTAND', 'SPEC', 'CHECKPOINT', 'IMPLEMENT', 'REVIEW', 'COMPLETE'],
    );
    assert.equal('workflow' in (journalOf(h.shop, summary.runId)[0] ?? {}), false);
  } finally {
    await h.close();
  }
});

test('workflows: an unknown or broken workflow stops the run before its journal or any model call', async () => {
  const h = await harness(agents(), {
    files: { '.claude/workflows/broken.yaml': 'phases:\n  - name: SPEC\n    uses: spec\n    gate: nope\n' },
  });
  try {
    await assert.rejects(
      engine.runFeature('x', h.options({ workflow: 'nope' })),
      (error: unknown) => error instanceof EngineUsageError && /No workflow "nope"/.test(error.message),
    );
    await assert.rejects(
      engine.runFeature('x', h.options({ workflow: 'broken' })),
      (error: unknown) =>
        error instanceof ProjectFileError &&
        error.message ===
          '.claude/workflows/broken.yaml:4:5 phases[0].gate: expected "none", "human" or a mapping, got "nope"',
    );
    assert.equal(existsSync(join(h.shop.dir, '.claude/runs')), false);
    assert.equal(h.api.requests.length, 0);
  } finally {
    await h.close();
  }
});

test("workflows: a phase's document lacking a required section stops the run at its gate; completed by hand, resume passes the gate and goes on", async () => {
  const strict = SHIPPED_FEATURE.replace(
    '        path: "{spec}/spec.md"\n',
    '        path: "{spec}/spec.md"\n        sections: [Requirements, API Contracts, Rollback plan]\n',
  );
  assert.notEqual(strict, SHIPPED_FEATURE);
  const h = await harness(agents(), { files: { '.claude/workflows/strict.yaml': strict } });
  try {
    const stopped = await engine.runFeature(
      'Add a Product entity with name and price',
      h.options({ workflow: 'strict' }),
    );
    assert.equal(stopped.status, 'stopped');
    const specPath = `spec/active/${journalOf(h.shop, stopped.runId).find((e) => e.type === 'spec.saved')?.specId as string}/spec.md`;
    assert.equal(
      stopped.report,
      [
        '## Pipeline stopped: the gate of phase SPEC did not pass',
        `- ${specPath}:1: missing section "Rollback plan"`,
        '### Action needed',
        "Complete the document, then run `orchestrator resume` (the phase's work is kept; its gate is checked again).",
      ].join('\n'),
    );
    assert.equal(h.callsOf('database').length, 0, 'no layer started past the gate');

    h.shop.write(specPath, `${h.shop.read(specPath)}\n### Rollback plan\nDrop the products table.\n`);
    const resumed = await engine.resumeRun(stopped.runId, h.options());
    assert.equal(resumed.status, 'completed', resumed.error);
    assert.equal(h.callsOf('spec').length, 1, 'the spec was not written again');
    assert.deepEqual(
      journalOf(h.shop, resumed.runId)
        .filter((e) => e.type === 'phase.closed')
        .map((e) => e.phase),
      ['SYNC', 'UNDERSTAND', 'SPEC', 'IMPLEMENT', 'REVIEW', 'COMPLETE'],
    );
  } finally {
    await h.close();
  }
});

test('workflows: a gate with the dictionary check fails while a column is missing from docs/data/dictionary.md, and passes once it is documented', async () => {
  const documented = SHIPPED_FEATURE.replace(
    '    gate: { check: [review] }\n',
    '    gate: { check: [review, dictionary] }\n',
  );
  assert.notEqual(documented, SHIPPED_FEATURE);
  const dictionary =
    '# Data dictionary\n\n### customers\n- id\n- name\n- email\n- created_at\n\n### orders\n- id\n- customer_id\n- status\n- created_at\n\n### order_lines\n- id\n- order_id\n- product\n- quantity\n- unit_price\n\n### products\n- id\n- name\n';
  const h = await harness(agents(), {
    files: { '.claude/workflows/documented.yaml': documented, 'docs/data/dictionary.md': dictionary },
  });
  try {
    const stopped = await engine.runFeature(
      'Add a Product entity with name and price',
      h.options({ workflow: 'documented' }),
    );
    assert.equal(stopped.status, 'stopped');
    assert.match(
      stopped.report!,
      /^## Pipeline stopped: the gate of phase REVIEW did not pass\n- docs\/data\/dictionary\.md:22: products\.price is in the schema \(db\/migrations\/003_create_product\.sql\) but not in docs\/data\/dictionary\.md \(line 22\)\n/,
    );

    h.shop.write('docs/data/dictionary.md', `${dictionary}- price\n`);
    const resumed = await engine.resumeRun(stopped.runId, h.options());
    assert.equal(resumed.status, 'completed', resumed.error);
    assert.equal(h.callsOf('review').length, 1, 'the review was not run again');
  } finally {
    await h.close();
  }
});
