// Proof per criterion in the matrix (docs/proof.md, item 6): each criterion's `proof` folded from
// the journals of the spec's runs in order, in `trace --json` with the contract's fields, and the
// columns Proof, Red on base, Green after and Strength in the Markdown and in the workbook read back by
// ExcelJS. The proof agent's test names are shown as text wherever Markdown renders them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { marked } from 'marked';
import { engine } from '../../../src/core/engine';
import type { EngineEvent } from '../../../src/core/events';
import { firstRun, HOSTILE_NAME, PROOF_FILE, proofProject, secondRun } from '../../support/proofProject';

const html = (md: string) => marked.parse(md, { async: false, gfm: true });

/** The Markdown table's headers and a row by its criterion, split on the pipes that are not escaped. */
function matrixTable(markdown: string) {
  const rows = markdown
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| ---'))
    .map((line) => line.slice(2, -2).split(/ (?<!\\)\| /));
  return {
    headers: rows[0]!,
    row: (criterion: string) => rows.find((cells) => cells[1]!.startsWith(`${criterion}:`))!,
  };
}

test("trace: each criterion's proof folded from the spec's runs in order — proven, failing, vacuous, unproven — in --json, the Markdown and the .xlsx", async () => {
  // The second run fixes REQ-1.2 (failed, then passed) and breaks REQ-1.3 (passed, then failed).
  // After GREEN, STRENGTH: one of REQ-1.1's three mutants survived (a change with Markdown in it).
  const strength: EngineEvent = {
    type: 'proof.strength',
    criterion: 'REQ-1.1',
    round: 0,
    tried: 3,
    killed: 2,
    survived: 1,
    survivors: [{ id: 'm1', file: 'lib/price.js', line: 5, change: 'ArithmeticOperator: cents / 100 → cents * 100' }],
  };
  const project = await proofProject((specId, specPath) => {
    const second = secondRun('20261121-110000-bbbb', specId, specPath, { 'REQ-1.3': 'failed' });
    return [firstRun('20261121-100000-aaaa', specId), [...second.slice(0, -1), strength, second.at(-1)!]];
  });
  const { matrix, markdown } = await engine.traceSpec(project.dir, project.specId, {
    xlsx: 'out/trace.xlsx',
    md: 'out/trace.md',
  });
  assert.deepEqual(matrix.runIds, ['20261121-100000-aaaa', '20261121-110000-bbbb']);

  // As `trace --json` prints it: the contract's fields, nothing for a criterion without a test but its status.
  const json = JSON.parse(JSON.stringify(matrix)) as typeof matrix;
  assert.deepEqual(Object.fromEntries(json.rows.map((row) => [row.criterion, row.proof])), {
    'REQ-1.1': {
      file: PROOF_FILE,
      test: 'REQ-1.1 formats cents as euros',
      red: 'failed',
      green: 'passed',
      status: 'proven',
      strength: {
        tried: 3,
        killed: 2,
        survived: 1,
        survivors: [{ file: 'lib/price.js', line: 5, change: 'ArithmeticOperator: cents / 100 → cents * 100' }],
      },
    },
    'REQ-1.2': {
      file: PROOF_FILE,
      test: 'REQ-1.2 refuses a negative price',
      red: 'failed',
      green: 'passed',
      status: 'proven',
    },
    'REQ-1.3': {
      file: PROOF_FILE,
      test: 'REQ-1.3 refuses a fraction of a cent',
      red: 'failed',
      green: 'failed',
      status: 'failing',
    },
    'REQ-1.4': { file: PROOF_FILE, test: HOSTILE_NAME, red: 'passed', green: 'not-run', status: 'vacuous' },
    'REQ-2.1': { green: 'not-run', status: 'unproven', untestable: 'a look, judged by the review' },
    'REQ-2.2': { green: 'not-run', status: 'unproven' },
  });
  // What was there before stays as it was.
  assert.deepEqual(
    json.rows.map((row) => row.files),
    Array(6).fill(['lib/price.js']),
  );
  assert.deepEqual(
    json.rows.map((row) => row.tests),
    Array(6).fill([PROOF_FILE]),
  );

  // Markdown: the three columns before Gaps, a criterion without proof `unproven`, `—`, `—`, and the count line.
  assert.equal(readFileSync(join(project.dir, 'out/trace.md'), 'utf8'), markdown);
  const table = matrixTable(markdown);
  assert.deepEqual(table.headers, [
    'Requirement',
    'Criterion',
    'Tasks',
    'Files',
    'Validation',
    'Review',
    'Tests',
    'Proof',
    'Red on base',
    'Green after',
    'Strength',
    'Gaps',
  ]);
  const cells = (criterion: string) => table.row(criterion).slice(7, 11);
  assert.deepEqual(cells('REQ-1.1'), [
    `proven<br>${PROOF_FILE} › REQ-1.1 formats cents as euros`,
    'failed',
    'passed',
    '66% (2/3 mutants killed)<br>survived: lib/price.js:5 ArithmeticOperator: cents / 100 → cents \\* 100',
  ]);
  assert.deepEqual(cells('REQ-1.3'), [
    `failing<br>${PROOF_FILE} › REQ-1.3 refuses a fraction of a cent`,
    'failed',
    'failed',
    '—',
  ]);
  assert.deepEqual(cells('REQ-2.1'), ['unproven (untestable: a look, judged by the review)', '—', '—', '—']);
  assert.deepEqual(cells('REQ-2.2'), ['unproven', '—', '—', '—']);
  assert.match(markdown, /\n\*\*Proof:\*\* 2 proven, 1 failing, 1 vacuous, 2 unproven\n/);
  // The proof agent's hostile name: no link, image or HTML, and the table keeps its columns.
  const rendered = html(markdown);
  assert.doesNotMatch(rendered, /<a\b|<img\b/i, rendered);
  assert.equal(table.row('REQ-1.4').length, 12);
  assert.ok(
    rendered.includes(
      `<td>vacuous<br>${PROOF_FILE} › REQ-1.4 [click](https://evil.example/x) &lt;img src=x onerror=alert(1)&gt; | \`tick\`</td>`,
    ),
    rendered,
  );

  // The workbook, read back by another parser: the headers, the cells, the Proof cell coloured by its status.
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(join(project.dir, 'out/trace.xlsx'));
  const sheet = book.getWorksheet('Traceability')!;
  const text = (r: number, c: number) => String(sheet.getRow(r).getCell(c).value ?? '');
  assert.deepEqual(
    [7, 8, 9, 10, 11, 12].map((c) => text(1, c)),
    ['Tests', 'Proof', 'Red on base', 'Green after', 'Strength', 'Gaps'],
  );
  const rowOf = (criterion: string) => [2, 3, 4, 5, 6, 7].find((r) => text(r, 2).startsWith(`${criterion}:`))!;
  assert.equal(
    text(rowOf('REQ-1.1'), 11),
    '66% (2/3 mutants killed)\nsurvived: lib/price.js:5 ArithmeticOperator: cents / 100 → cents * 100',
  );
  assert.deepEqual(
    [8, 9, 10].map((c) => text(rowOf('REQ-1.2'), c)),
    [`proven\n${PROOF_FILE} › REQ-1.2 refuses a negative price`, 'failed', 'passed'],
  );
  assert.deepEqual(
    [8, 9, 10].map((c) => text(rowOf('REQ-1.4'), c)),
    [`vacuous\n${PROOF_FILE} › ${HOSTILE_NAME}`, 'passed', 'not-run'],
  );
  assert.deepEqual(
    [8, 9, 10].map((c) => text(rowOf('REQ-2.2'), c)),
    ['unproven', '—', '—'],
  );
  const fill = (r: number) =>
    (sheet.getRow(r).getCell(8).fill as { fgColor?: { argb?: string } } | undefined)?.fgColor?.argb;
  assert.match(fill(rowOf('REQ-1.1')) ?? '', /DFF0D8$/i, 'proven: green');
  assert.match(fill(rowOf('REQ-1.3')) ?? '', /FFE0E0$/i, 'failing: red');
  assert.match(fill(rowOf('REQ-1.4')) ?? '', /FFE0E0$/i, 'vacuous: red');
  assert.equal(fill(rowOf('REQ-2.2')), undefined, 'unproven: plain');
});

test('trace: a run that runs PROVE again for a criterion replaces its tests; a spec no run proved reads unproven everywhere', async () => {
  const project = await proofProject((specId, specPath) => [
    firstRun('20261121-100000-aaaa', specId),
    [
      ...secondRun('20261121-110000-bbbb', specId, specPath).slice(0, 1),
      // A change request re-ran PROVE for REQ-1.2: its new test, red on the base, not green yet.
      { type: 'proof.started', round: 1, criteria: ['REQ-1.2'] },
      {
        type: 'proof.test',
        criterion: 'REQ-1.2',
        file: 'test/acceptance/negative.test.js',
        name: 'REQ-1.2 refuses -1 cent',
        red: 'failed',
      },
    ],
  ]);
  const { matrix } = await engine.traceSpec(project.dir, project.specId);
  const proof = matrix.rows.find((row) => row.criterion === 'REQ-1.2')!.proof;
  assert.deepEqual(proof, {
    file: 'test/acceptance/negative.test.js',
    test: 'REQ-1.2 refuses -1 cent',
    red: 'failed',
    green: 'not-run',
    status: 'unproven',
  });
  assert.equal(
    matrix.rows.find((row) => row.criterion === 'REQ-1.1')!.proof?.status,
    'proven',
    "the other criteria keep the first run's proof",
  );

  const none = await proofProject(() => []);
  const unproven = await engine.traceSpec(none.dir, none.specId);
  assert.deepEqual(
    unproven.matrix.rows.map((row) => row.proof),
    Array(6).fill({ green: 'not-run', status: 'unproven' }),
  );
  assert.match(unproven.markdown, /\*\*Proof:\*\* 6 unproven\n/);
});
