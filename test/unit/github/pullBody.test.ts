// The pull request's body shows the proof (docs/proof.md item 6, docs/github.md): a count line over
// the criteria and the strength score, and per criterion the columns Proof (its mark, status and
// tests), Red on base, Green after and Strength (the score, each surviving mutant), from the matrix
// the run journaled. Rendered as GitHub renders it (GFM, here by
// marked): the proof agent's test names are code, never a link, an image or HTML, and never split
// the table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { marked } from 'marked';
import { engine } from '../../../src/core/engine';
import type { EngineEvent } from '../../../src/core/events';
import type { TraceMatrix, TraceRow } from '../../../src/core/traceMatrix';
import { pullBody, runMarker } from '../../../src/github/comments';
import { whatTheRunDid } from '../../../src/github/runFacts';
import { firstRun, HOSTILE_NAME, PROOF_FILE, proofProject, secondRun } from '../../support/proofProject';

const SURVIVOR = 'ConditionalExpression: cents < 0 → false <img src=x onerror=alert(1)> | `tick`';

test("pull request body: the proof count line and each criterion's Proof, Red on base and Green after; the proof agent's names inert", async () => {
  // After GREEN, STRENGTH: REQ-1.1's tests killed 3 of 4 mutants; the survivor's change is the code's words (hostile here).
  const strength: EngineEvent = {
    type: 'proof.strength',
    criterion: 'REQ-1.1',
    round: 0,
    tried: 4,
    killed: 3,
    survived: 1,
    survivors: [{ id: 'm1', file: 'lib/price.js', line: 5, change: SURVIVOR }],
  };
  const none: EngineEvent = {
    type: 'proof.strength',
    criterion: 'REQ-1.2',
    round: 0,
    tried: 1,
    killed: 1,
    survived: 0,
    survivors: [],
  };
  const project = await proofProject((specId, specPath) => {
    const second = secondRun('20261121-110000-bbbb', specId, specPath, { 'REQ-1.3': 'failed' });
    return [firstRun('20261121-100000-aaaa', specId), [...second.slice(0, -1), strength, none, second.at(-1)!]];
  });
  const { matrix } = await engine.traceSpec(project.dir, project.specId);
  // What a pull request says of its run comes from the matrix its journal holds last.
  const { matrix: journaled } = whatTheRunDid([
    { type: 'trace.updated', specId: matrix.specId, matrix: { ...matrix, rows: [] } },
    { type: 'trace.updated', specId: matrix.specId, matrix },
  ]);
  assert.deepEqual(journaled, matrix);
  const body = pullBody({
    issue: 7,
    runId: '20261121-110000-bbbb',
    matrix: journaled as TraceMatrix,
    summary: 'Prices are formatted in euros.',
    costUsd: 0.5,
    runners: ['agent'],
  });

  assert.match(body, /^Closes #7\n/);
  // The count line, then the run's strength score over the criteria measured (4 of 5 mutants killed).
  assert.match(
    body,
    /\n### Requirements \(2\)\n\nProof: 2 proven, 1 failing, 1 vacuous, 2 unproven\.\nStrength: 80% \(4\/5 mutants killed\)\.\n\n\| Requirement \| Criterion \| Files \| Checks \| Tests \| Review \| Proof \| Red on base \| Green after \| Strength \|\n/,
  );
  assert.ok(body.endsWith(runMarker('20261121-110000-bbbb')));

  const rendered = marked.parse(body, { async: false, gfm: true });
  assert.doesNotMatch(rendered, /<a\b|<img\b/i, rendered);
  const rows = [...rendered.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) =>
    [...m[1]!.matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map((c) => c[1]!),
  );
  assert.equal(rows.length, 7, 'the header and a row per criterion');
  assert.ok(
    rows.every((cells) => cells.length === 10),
    JSON.stringify(rows.map((cells) => cells.length)),
  );
  const byCriterion = (id: string) => rows.find((cells) => cells[1]!.startsWith(`${id} `))!.slice(6);
  const inert = (text: string) => text.replace(/`/g, ' ').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  // The score per criterion; the survivor as code: its image as text, its pipe kept in the cell.
  assert.deepEqual(byCriterion('REQ-1.1'), [
    `✓ proven <code>${PROOF_FILE} › REQ-1.1 formats cents as euros</code>`,
    'failed',
    'passed',
    `75% (3/4 mutants killed) survived <code>lib/price.js:5 ${inert(SURVIVOR)}</code>`,
  ]);
  assert.deepEqual(byCriterion('REQ-1.2').slice(3), ['100% (1/1 mutants killed)']);
  assert.deepEqual(byCriterion('REQ-1.3'), [
    `✗ failing <code>${PROOF_FILE} › REQ-1.3 refuses a fraction of a cent</code>`,
    'failed',
    'failed',
    '—',
  ]);
  assert.deepEqual(byCriterion('REQ-2.2'), ['○ unproven', '—', '—', '—']);
  // The hostile name is shown as code: its link and image as text, its pipe kept in the cell, its backticks no way out.
  const [vacuous, red, green] = byCriterion('REQ-1.4');
  assert.equal(vacuous, `∅ vacuous <code>${PROOF_FILE} › ${inert(HOSTILE_NAME)}</code>`);
  assert.deepEqual([red, green], ['passed', 'not-run']);
});

test('pull request body: a cell lists the code spans that fit whole, then how many more (a span cut short would let the rest be markup)', () => {
  const long = (i: number) => ({
    id: `m${i}`,
    file: 'lib/price.js',
    line: i,
    change: `${'x'.repeat(40)} <img src=x onerror=alert(${i})>`,
  });
  const survivors = [1, 2, 3, 4].map(long);
  const row: TraceRow = {
    requirement: 'REQ-1',
    requirementTitle: 'Prices',
    criterion: 'REQ-1.1',
    criterionText: 'WHEN … SHALL …',
    tasks: [],
    layers: [],
    files: [],
    validation: [],
    review: 'met',
    tests: [],
    gaps: [],
    changes: [],
    proof: {
      file: PROOF_FILE,
      red: 'failed',
      green: 'passed',
      status: 'proven',
      strength: {
        tried: 4,
        killed: 0,
        survived: 4,
        survivors: survivors.map(({ file, line, change }) => ({ file, line, change })),
      },
    },
  };
  const matrix = {
    specId: 's',
    title: 'Prices',
    runIds: [],
    rows: [row],
    requirementsWithoutFile: [],
    notLinked: [],
    doneBeforeImport: [],
    unlinkedTasks: [],
    criteriaWithoutTest: [],
    byHand: {},
  } as TraceMatrix;
  const body = pullBody({ issue: 7, runId: 'r1', matrix, summary: '', costUsd: 0, runners: [] });
  const rendered = marked.parse(body, { async: false, gfm: true });
  assert.doesNotMatch(rendered, /<img\b/i, rendered);
  const cell = [...rendered.matchAll(/<td>([\s\S]*?)<\/td>/g)].at(-1)![1]!;
  assert.match(
    cell,
    /^0% \(0\/4 mutants killed\) survived <code>lib\/price\.js:1 x+ &lt;img src=x onerror=alert\(1\)&gt;<\/code> survived <code>lib\/price\.js:2 [^<]*<\/code> and 2 more survived$/,
  );
});
