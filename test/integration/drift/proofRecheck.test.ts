// verify runs a completed spec's proof tests again (docs/proof.md item 6, docs/drift.md): a real node
// project in a git repository, its proof tests run by `node --test {files}` through the sandboxed
// check runner. Green today: each criterion proven now. The code made to break REQ-1.2: its proof
// test fails, the requirement is broken (exit 1), with the test's output; from the completion
// record and, once it is gone, from the journals alike. A file that no longer loads fails every
// proof test in it; Restricted Mode and a config without proof.command run nothing and say why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { engine } from '../../../src/core/engine';
import type { RequirementDrift, SpecDrift } from '../../../src/core/drift/types';
import { recordCompletion } from '../../../src/core/pipeline/phases/completionRecord';
import { driftViewOf } from '../../../src/extension/view/driftView';
import { viewStateSchema, emptyViewState } from '../../../src/shared/viewState';
import { NEGATIVE_ACCEPTED, PROOF_CONFIG, PROOF_FILE, proofProject } from '../../support/proofProject';

test('verify: the proof tests red on the base run again — proven now; REQ-1.2 made to fail is drift (broken, exit 1) from the record and from the journals; the Drift sheet and the sidebar say it', async () => {
  const project = await proofProject();
  const { matrix } = await engine.traceSpec(project.dir, project.specId);
  const record = await recordCompletion({
    workspace: project.dir,
    specId: project.specId,
    specPath: project.specPath,
    runIds: matrix.runIds,
    matrix,
    deny: [],
    trusted: true,
  });
  // The record keeps each criterion's proof, and of its tests only those red on the base (REQ-1.4's was vacuous).
  const recorded = Object.fromEntries(record.requirements.flatMap((r) => r.criteria).map((c) => [c.id, c.proof]));
  assert.deepEqual(recorded['REQ-1.2'], {
    status: 'proven',
    tests: [{ file: PROOF_FILE, test: 'REQ-1.2 refuses a negative price' }],
  });
  assert.deepEqual(recorded['REQ-1.4'], { status: 'vacuous', tests: [] });
  assert.deepEqual(recorded['REQ-2.1'], { status: 'unproven', tests: [] });
  assert.ok(PROOF_FILE in record.files, "the proof test's blob id is recorded");

  const green = await engine.verifySpecs(project.dir, [project.specId], { trusted: true, strength: true });
  assert.equal(green.exitCode, 0);
  const holds = only(green.specs);
  // --strength: these journals record no checkpoint, and a completed spec keeps no base of its own.
  assert.match(
    holds.strength?.error ?? '',
    /^no base to mutate against: .* no journal of its runs records a checkpoint commit/,
  );
  assert.deepEqual(holds.strength?.criteria, []);
  assert.equal(holds.basis.source, 'record');
  assert.deepEqual(
    holds.requirements.map((r) => [r.requirement, r.status]),
    [
      ['REQ-1', 'holds'],
      ['REQ-2', 'holds'],
    ],
  );
  assert.deepEqual(nowOf(req(holds, 'REQ-1')), [
    ['REQ-1.1', 'proven', 'proven'],
    ['REQ-1.2', 'proven', 'proven'],
    ['REQ-1.3', 'proven', 'proven'],
  ]);
  assert.deepEqual(req(holds, 'REQ-2').proof, [], 'nothing of REQ-2 was red on the base: nothing to run again');
  const ran = req(holds, 'REQ-1').proof![0]!.tests[0]!;
  assert.deepEqual([ran.command, ran.exitCode, ran.outcome], [`node --test ${PROOF_FILE}`, 0, 'passed']);
  assert.ok(
    req(holds, 'REQ-1').evidence.includes(
      `proof REQ-1.2 proven now (was proven): ${PROOF_FILE} › REQ-1.2 refuses a negative price`,
    ),
    req(holds, 'REQ-1').evidence.join('\n'),
  );

  // A negative price gets through: REQ-1.2's proof test fails today, and only it.
  project.write('lib/price.js', NEGATIVE_ACCEPTED);
  const broken = await engine.verifySpecs(project.dir, [project.specId], { trusted: true, xlsx: 'out/drift.xlsx' });
  assert.equal(broken.exitCode, 1);
  const drift = only(broken.specs);
  assert.equal(drift.status, 'broken');
  assert.deepEqual(
    drift.requirements.map((r) => [r.requirement, r.status]),
    [
      ['REQ-1', 'broken'],
      ['REQ-2', 'changed'],
    ],
  );
  assert.deepEqual(nowOf(req(drift, 'REQ-1')), [
    ['REQ-1.1', 'proven', 'proven'],
    ['REQ-1.2', 'failing', 'proven'],
    ['REQ-1.3', 'proven', 'proven'],
  ]);
  assert.ok(
    req(drift, 'REQ-1').checks.every((c) => c.outcome !== 'failed'),
    'no other check failed: the proof is what broke it',
  );
  const failed = req(drift, 'REQ-1').proof![1]!.tests[0]!;
  assert.deepEqual([failed.outcome, failed.exitCode], ['failed', 1]);
  // The runner's own words for it (node --test's spec reporter).
  assert.match(failed.detail!, /✖ REQ-1\.2 refuses a negative price[\s\S]*Missing expected exception/);
  assert.ok(
    req(drift, 'REQ-1').evidence.includes(
      `proof REQ-1.2 failing now (was proven): ${PROOF_FILE} › REQ-1.2 refuses a negative price (exit 1)`,
    ),
    req(drift, 'REQ-1').evidence.join('\n'),
  );

  // The Drift sheet beside the matrix (with its proof columns), read back by ExcelJS.
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(join(project.dir, 'out/drift.xlsx'));
  assert.deepEqual(
    book.worksheets.map((w) => w.name),
    ['Traceability', 'Drift'],
  );
  const sheet = book.getWorksheet('Drift')!;
  const text = (r: number, c: number) => String(sheet.getRow(r).getCell(c).value ?? '');
  assert.deepEqual(
    [1, 2, 3, 4, 5, 6, 7].map((c) => text(1, c)),
    ['Requirement', 'Status', 'Criteria', 'Files changed', 'Checks', 'Proof now', 'Evidence'],
  );
  assert.deepEqual(text(2, 6).split('\n'), [
    `REQ-1.1: proven now (was proven) — ${PROOF_FILE} › REQ-1.1 formats cents as euros`,
    `REQ-1.2: failing now (was proven) — ${PROOF_FILE} › REQ-1.2 refuses a negative price`,
    `REQ-1.3: proven now (was proven) — ${PROOF_FILE} › REQ-1.3 refuses a fraction of a cent`,
  ]);
  assert.equal(text(3, 6), '(none)');
  assert.equal(String(book.getWorksheet('Traceability')!.getRow(1).getCell(8).value), 'Proof');

  // The sidebar's drift view: each criterion's proof now, in a view state the webview accepts.
  const view = driftViewOf(drift);
  assert.deepEqual(view.requirements[0]!.proof, [
    { criterion: 'REQ-1.1', now: 'proven', then: 'proven' },
    { criterion: 'REQ-1.2', now: 'failing', then: 'proven' },
    { criterion: 'REQ-1.3', now: 'proven', then: 'proven' },
  ]);
  assert.ok(
    view.requirements[0]!.evidence.some((line) => /✖ REQ-1\.2 refuses a negative price/.test(line)),
    view.requirements[0]!.evidence.join('\n'),
  );
  assert.equal(view.requirements[1]!.proof, undefined);
  assert.ok(viewStateSchema.safeParse({ ...emptyViewState(), selectedDrift: view }).success);

  // Without the record (a spec completed before it, or a clone without it): the journals say the same.
  rmSync(join(project.dir, project.specPath.replace('spec.md', 'completion.json')));
  const fromJournal = only((await engine.verifySpecs(project.dir, [project.specId], { trusted: true })).specs);
  assert.equal(fromJournal.basis.source, 'journal');
  assert.deepEqual(nowOf(req(fromJournal, 'REQ-1')), [
    ['REQ-1.1', 'proven', 'proven'],
    ['REQ-1.2', 'failing', 'proven'],
    ['REQ-1.3', 'proven', 'proven'],
  ]);
  assert.equal(req(fromJournal, 'REQ-1').status, 'broken');
});

test('verify: a proof test file that no longer loads fails each of its criteria (its runner names the file); Restricted Mode and a config without proof.command run nothing and say why', async () => {
  const project = await proofProject();
  project.write('lib/price.js', "'use strict';\nmodule.exports = { format(cents) { return cents\n");
  const unloaded = only((await engine.verifySpecs(project.dir, [project.specId], { trusted: true })).specs);
  assert.deepEqual(
    nowOf(req(unloaded, 'REQ-1')).map(([id, now]) => [id, now]),
    [
      ['REQ-1.1', 'failing'],
      ['REQ-1.2', 'failing'],
      ['REQ-1.3', 'failing'],
    ],
  );
  assert.equal(req(unloaded, 'REQ-1').status, 'broken');

  const restricted = only((await engine.verifySpecs(project.dir, [project.specId], { trusted: false })).specs);
  assert.deepEqual(
    nowOf(req(restricted, 'REQ-1')).map(([id, now]) => [id, now]),
    [
      ['REQ-1.1', 'not-run'],
      ['REQ-1.2', 'not-run'],
      ['REQ-1.3', 'not-run'],
    ],
  );
  assert.match(req(restricted, 'REQ-1').proof![0]!.tests[0]!.detail!, /not trusted \(Restricted Mode\)/);
  assert.notEqual(req(restricted, 'REQ-1').status, 'broken', 'what did not run breaks nothing');

  writeFileSync(join(project.dir, '.claude/orchestrator.yaml'), PROOF_CONFIG.replace(/proof:[\s\S]*$/, ''));
  const unconfigured = only((await engine.verifySpecs(project.dir, [project.specId], { trusted: true })).specs);
  assert.deepEqual(
    nowOf(req(unconfigured, 'REQ-1')).map(([id, now]) => [id, now]),
    [
      ['REQ-1.1', 'not-run'],
      ['REQ-1.2', 'not-run'],
      ['REQ-1.3', 'not-run'],
    ],
  );
  assert.ok(
    req(unconfigured, 'REQ-1').evidence.includes(
      `proof REQ-1.1 not run (was proven): ${PROOF_FILE} › REQ-1.1 formats cents as euros — no proof.command in .claude/orchestrator.yaml: the proof tests cannot be run`,
    ),
    req(unconfigured, 'REQ-1').evidence.join('\n'),
  );
});

function only(specs: SpecDrift[]): SpecDrift {
  assert.equal(specs.length, 1);
  return specs[0]!;
}

function req(spec: SpecDrift, id: string): RequirementDrift {
  const found = spec.requirements.find((r) => r.requirement === id);
  assert.ok(found, `no ${id}`);
  return found;
}

/** Each criterion's proof: [id, now, then]. */
function nowOf(requirement: RequirementDrift): [string, string, string][] {
  return (requirement.proof ?? []).map((p) => [p.criterion, p.now, p.then]);
}
