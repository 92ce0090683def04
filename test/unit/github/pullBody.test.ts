// The pull request's body shows the proof (docs/proof.md item 6, docs/github.md): a count line over
// the criteria and, per criterion, the columns Proof (its mark, status and tests), Red on base and
// Green after, from the matrix the run journaled. Rendered as GitHub renders it (GFM, here by
// marked): the proof agent's test names are code, never a link, an image or HTML, and never split
// the table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { marked } from 'marked';
import { traceSpec } from '../../../src/core/engine';
import type { TraceMatrix } from '../../../src/core/traceMatrix';
import { pullBody, runMarker } from '../../../src/github/comments';
import { whatTheRunDid } from '../../../src/github/runFacts';
import { firstRun, HOSTILE_NAME, PROOF_FILE, proofProject, secondRun } from '../../support/proofProject';

test('pull request body: the proof count line and each criterion\'s Proof, Red on base and Green after; the proof agent\'s names inert', async () => {
  const project = await proofProject((specId, specPath) => [firstRun('20261121-100000-aaaa', specId), secondRun('20261121-110000-bbbb', specId, specPath, { 'REQ-1.3': 'failed' })]);
  const { matrix } = await traceSpec(project.dir, project.specId);
  // What a pull request says of its run comes from the matrix its journal holds last.
  const { matrix: journaled } = whatTheRunDid([{ type: 'trace.updated', specId: matrix.specId, matrix: { ...matrix, rows: [] } }, { type: 'trace.updated', specId: matrix.specId, matrix }]);
  assert.deepEqual(journaled, matrix);
  const body = pullBody({ issue: 7, runId: '20261121-110000-bbbb', matrix: journaled as TraceMatrix, summary: 'Prices are formatted in euros.', costUsd: 0.5, runners: ['agent'] });

  assert.match(body, /^Closes #7\n/);
  assert.match(body, /\n### Requirements \(2\)\n\nProof: 2 proven, 1 failing, 1 vacuous, 2 unproven\.\n\n\| Requirement \| Criterion \| Files \| Checks \| Tests \| Review \| Proof \| Red on base \| Green after \|\n/);
  assert.ok(body.endsWith(runMarker('20261121-110000-bbbb')));

  const rendered = marked.parse(body, { async: false, gfm: true });
  assert.doesNotMatch(rendered, /<a\b|<img\b/i, rendered);
  const rows = [...rendered.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => [...m[1]!.matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map((c) => c[1]!));
  assert.equal(rows.length, 7, 'the header and a row per criterion');
  assert.ok(rows.every((cells) => cells.length === 9), JSON.stringify(rows.map((cells) => cells.length)));
  const byCriterion = (id: string) => rows.find((cells) => cells[1]!.startsWith(`${id} `))!.slice(6);
  assert.deepEqual(byCriterion('REQ-1.1'), [`✓ proven <code>${PROOF_FILE} › REQ-1.1 formats cents as euros</code>`, 'failed', 'passed']);
  assert.deepEqual(byCriterion('REQ-1.3'), [`✗ failing <code>${PROOF_FILE} › REQ-1.3 refuses a fraction of a cent</code>`, 'failed', 'failed']);
  assert.deepEqual(byCriterion('REQ-2.2'), ['○ unproven', '—', '—']);
  // The hostile name is shown as code: its link and image as text, its pipe kept in the cell, its backticks no way out.
  const [vacuous, red, green] = byCriterion('REQ-1.4');
  assert.equal(vacuous, `∅ vacuous <code>${PROOF_FILE} › ${HOSTILE_NAME.replace(/`/g, ' ').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</code>`);
  assert.deepEqual([red, green], ['passed', 'not-run']);
});
