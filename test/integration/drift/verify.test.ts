import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { engine } from '../../../src/core/engine';
import type { RequirementDrift, SpecDrift } from '../../../src/core/drift/types';
import { say } from '../../support/engine/agentScript';
import { harness } from '../../support/engine/harness';
import { reply } from '../../support/messagesApiServer';
import { BREAKING_EDIT, GREEN_EDIT, productAgents, withTests } from '../../support/drift';

const MODULE = 'server/entities/product.js';

test('verify: an untouched completed spec holds; an edit keeping the tests green is changed (--explain: the review judges it); an edit breaking REQ-1.2 is broken (exit 1); --xlsx adds a Drift sheet', async () => {
  const driftReview = [
    { id: 'REQ-1.1', verdict: 'met' },
    { id: 'REQ-1.2', verdict: 'met' },
    {
      id: 'REQ-2.1',
      verdict: 'unmet',
      file: 'server/entities/product.js',
      problem: 'count() is not what the screen lists',
      fix: 'list the products',
    },
  ];
  const h = await harness(
    {
      ...productAgents(),
      review: ({ task }) =>
        task.includes('DIFF SINCE THE SPEC COMPLETED')
          ? reply.toolUse('submit_review', { verdict: 'approved', issues: [], criteria: driftReview })
          : say.approve(),
    },
    { config: withTests },
  );
  try {
    const summary = await engine.runFeature('Add a Product entity with name and price', h.options());
    assert.equal(summary.status, 'completed', summary.error);
    const specId = summary.specPath!.split('/')[2]!;
    const head = h.shop.git('rev-parse', 'HEAD').trim();

    // COMPLETE recorded the commit it completed at: front matter, completion.json, a private ref; HEAD untouched.
    const spec = h.shop.read(summary.specPath!);
    const commit = /^completedAt: ([0-9a-f]{40})$/m.exec(spec)?.[1];
    assert.ok(commit, spec.slice(0, 400));
    assert.equal(h.shop.git('rev-parse', `refs/orchestrator-completed/${specId}`).trim(), commit);
    assert.equal(h.shop.git('rev-parse', 'HEAD').trim(), head);
    assert.equal(h.shop.git('show', `${commit}:${MODULE}`), h.shop.read(MODULE));
    const record = JSON.parse(h.shop.read(summary.specPath!.replace('spec.md', 'completion.json'))) as {
      requirements: { id: string; files: string[]; tests: string[] }[];
    };
    assert.deepEqual(
      record.requirements.map((r) => [r.id, r.tests]),
      [
        ['REQ-1', ['server/test/catalog.test.js']],
        ['REQ-2', []],
      ],
    );
    const calls = h.api.requests.length;

    const untouched = await engine.verifySpecs(h.shop.dir, [specId], { trusted: true });
    assert.equal(untouched.exitCode, 0);
    const holds = only(untouched.specs);
    assert.equal(holds.basis.source, 'record');
    assert.equal(holds.basis.commit, commit);
    assert.deepEqual(statuses(holds), [
      ['REQ-1', 'holds'],
      ['REQ-2', 'holds'],
    ]);
    assert.deepEqual(
      req(holds, 'REQ-1').checks.map((c) => [c.kind, c.layer ?? '', c.outcome]),
      [
        ['validate', 'database', 'passed'],
        ['validate', 'backend', 'passed'],
        ['test', '', 'passed'],
      ],
    );
    assert.ok(req(holds, 'REQ-2').evidence.includes('no test on record'));

    // Tests still green, the module changed: both requirements it serves are `changed`, with the lines from git diff.
    h.shop.write(MODULE, GREEN_EDIT(h.shop.read(MODULE)));
    const green = await engine.verifySpecs(h.shop.dir, [specId], { trusted: true });
    assert.equal(green.exitCode, 0);
    assert.deepEqual(statuses(only(green.specs)), [
      ['REQ-1', 'changed'],
      ['REQ-2', 'changed'],
    ]);
    assert.deepEqual(req(only(green.specs), 'REQ-1').changedFiles, [{ path: MODULE, status: 'modified' }]);
    assert.ok(
      req(only(green.specs), 'REQ-1').evidence.includes(`${MODULE} modified since ${commit.slice(0, 12)} (+5 −1)`),
      req(only(green.specs), 'REQ-1').evidence.join('\n'),
    );
    assert.equal(
      (await engine.verifySpecs(h.shop.dir, [specId], { trusted: true, strict: true })).exitCode,
      1,
      '--strict fails on changed',
    );
    assert.equal(h.api.requests.length, calls, 'verify made no model call');

    // --explain: one review of the changed requirements, with the diff since the completion commit.
    const explained = only(
      (await engine.verifySpecs(h.shop.dir, [specId], { trusted: true, explain: h.options() })).specs,
    );
    assert.equal(h.api.requests.length, calls + 1);
    const review = h.callsOf('review').at(-1)!;
    assert.match(review.task, /## DIFF SINCE THE SPEC COMPLETED\n```diff\n[\s\S]*\+function count\(\) \{/);
    assert.match(review.task, /- REQ-1\.2: IF the name is blank/);
    assert.equal(req(explained, 'REQ-1').explanation, 'REQ-1.1 met; REQ-1.2 met');
    assert.equal(req(explained, 'REQ-2').explanation, 'REQ-2.1 unmet: count() is not what the screen lists');
    assert.equal(req(explained, 'REQ-2').status, 'changed', "the review explains; the verdict stays the checks' own");
    const reviewed = h.api.requests.length;

    // A negative price gets through: the test citing REQ-1.2 fails, REQ-1 is broken; REQ-2 (no test of its own) only changed.
    h.shop.write(MODULE, BREAKING_EDIT(h.shop.read(MODULE)));
    const broken = await engine.verifySpecs(h.shop.dir, [specId], { trusted: true, xlsx: 'out/drift.xlsx' });
    assert.equal(broken.exitCode, 1);
    const drift = only(broken.specs);
    assert.equal(drift.status, 'broken');
    assert.deepEqual(statuses(drift), [
      ['REQ-1', 'broken'],
      ['REQ-2', 'changed'],
    ]);
    const failed = req(drift, 'REQ-1').checks.find((c) => c.outcome === 'failed')!;
    assert.equal(failed.kind, 'test');
    assert.match(failed.detail!, /failing: server\/test\/catalog\.test\.js, REQ-1\.2/);
    assert.match(failed.detail!, /a negative price is refused/);
    assert.equal(h.api.requests.length, reviewed, 'verify made no model call');
    assert.equal(h.shop.git('rev-parse', 'HEAD').trim(), head);
    assert.equal(h.shop.git('status', '--porcelain', '--', 'server/entities').trim(), `?? server/entities/product.js`);

    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(join(h.shop.dir, 'out/drift.xlsx'));
    assert.deepEqual(
      book.worksheets.map((w) => w.name),
      ['Traceability', 'Drift'],
    );
    const sheet = book.getWorksheet('Drift')!;
    const text = (r: number, c: number) => String(sheet.getRow(r).getCell(c).value ?? '');
    assert.deepEqual(
      [1, 2, 3, 4].map((c) => text(1, c)),
      ['Requirement', 'Status', 'Criteria', 'Files changed'],
    );
    assert.deepEqual([text(2, 1), text(2, 2), text(3, 2)], ['REQ-1: Create a product', 'broken', 'changed']);
    assert.equal(text(2, 4), `${MODULE} (modified)`);

    // Restricted Mode: nothing of the workspace runs; the file drift is still reported.
    const restricted = only((await engine.verifySpecs(h.shop.dir, [specId], { trusted: false })).specs);
    assert.deepEqual(statuses(restricted), [
      ['REQ-1', 'changed'],
      ['REQ-2', 'changed'],
    ]);
    assert.ok(req(restricted, 'REQ-1').checks.every((c) => c.outcome === 'not-run'));
    // No git either (it would run the repository's hooks and filters): blob ids alone, no line counts.
    assert.ok(
      req(restricted, 'REQ-1').evidence.includes(`${MODULE} modified since ${commit.slice(0, 12)}`),
      req(restricted, 'REQ-1').evidence.join('\n'),
    );
    // A spec completed before records existed: the journal is the basis, and the report says so.
    rmSync(join(h.shop.dir, summary.specPath!.replace('spec.md', 'completion.json')));
    const old = only((await engine.verifySpecs(h.shop.dir, [], { trusted: true })).specs);
    assert.equal(old.basis.source, 'journal');
    assert.match(old.warnings.join('\n'), /completed before drift records \(no completion\.json\)/);
    assert.deepEqual(statuses(old), [
      ['REQ-1', 'broken'],
      ['REQ-2', 'changed'],
    ]);
    assert.match(req(old, 'REQ-2').evidence.join('\n'), /backend: its files changed since its last passed validation/);
  } finally {
    await h.close();
  }
});

function only(specs: SpecDrift[]): SpecDrift {
  assert.equal(specs.length, 1);
  return specs[0]!;
}

function statuses(spec: SpecDrift): [string, string][] {
  return spec.requirements.map((r) => [r.requirement, r.status]);
}

function req(spec: SpecDrift, id: string): RequirementDrift {
  const found = spec.requirements.find((r) => r.requirement === id);
  assert.ok(found, `no ${id}`);
  return found;
}
