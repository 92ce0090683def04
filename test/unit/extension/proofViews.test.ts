// Proof per criterion in VS Code (docs/proof.md, item 6): the sidebar's matrix carries each
// criterion's proof and strength (bounded, in a view state the webview accepts; a matrix journaled
// before proof still folds), the chat's run report and /status mark each criterion, count them and
// give the strength score, and the proof agent's words and the mutants' changes stay text where
// the chat renders Markdown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { marked } from 'marked';
import type { TraceMatrix, TraceRow } from '../../../src/core/traceMatrix';
import { proofMarkdown, criteriaProof, traceMarkdown } from '../../../src/extension/chat/runReport';
import { runStatusData, type StatusServices } from '../../../src/extension/chat/runStatusData';
import { realEngine } from '../../../src/extension/engine';
import type { ViewAction } from '../../../src/extension/view/actions';
import { reduce } from '../../../src/extension/view/reducer';
import { traceViewOf } from '../../../src/extension/view/traceView';
import { emptyViewState, viewStateSchema, type RunView, type ViewState } from '../../../src/shared/viewState';

const html = (md: string) => marked.parse(md, { async: false, gfm: true });
const LONG = `REQ-1.2 ${'refuses a negative price '.repeat(20)}`;

const row = (criterion: string, proof?: TraceRow['proof']): TraceRow => ({
  requirement: criterion.replace(/\.\d+$/, ''),
  requirementTitle: 'Prices',
  criterion,
  criterionText: 'WHEN … THE module SHALL …',
  tasks: ['1. Backend: lib/price.js (REQ-1)'],
  layers: ['backend'],
  files: ['lib/price.js'],
  validation: ['backend: passed'],
  review: 'met',
  tests: ['test/acceptance/price.test.js'],
  gaps: [],
  changes: [],
  ...(proof ? { proof } : {}),
});

const matrix = (rows: TraceRow[]): TraceMatrix => ({
  specId: '2026-11-21-prices',
  title: 'Prices',
  runIds: ['r1'],
  rows,
  requirementsWithoutFile: [],
  notLinked: [],
  doneBeforeImport: [],
  unlinkedTasks: [],
  criteriaWithoutTest: [],
  byHand: {},
});

// STRENGTH after GREEN: REQ-1.1's tests let 12 of 16 mutants through (the changes are the code's words, hostile here).
const SURVIVORS = Array.from({ length: 12 }, (_, i) => ({
  file: 'lib/price.js',
  line: i + 1,
  change: `${i === 0 ? '[x](command:orchestrator.rollbackRun) <img src=x> ' : ''}cents / 100 → cents * 100 ${'and '.repeat(60)}`,
}));

const PROVEN = matrix([
  row('REQ-1.1', {
    file: 'test/acceptance/price.test.js',
    test: 'REQ-1.1 formats cents',
    red: 'failed',
    green: 'passed',
    status: 'proven',
    strength: { tried: 16, killed: 4, survived: 12, survivors: SURVIVORS },
  }),
  row('REQ-1.2', {
    file: 'test/acceptance/price.test.js',
    test: LONG,
    red: 'failed',
    green: 'failed',
    status: 'failing',
    tests: [
      { file: 'test/acceptance/price.test.js', test: LONG, red: 'failed', green: 'failed' },
      { file: 'test/acceptance/negative.test.js', red: 'failed', green: 'passed' },
    ],
  }),
  row('REQ-1.3', {
    file: 'test/acceptance/price.test.js',
    test: 'REQ-1.3 [x](command:orchestrator.rollbackRun)',
    red: 'passed',
    green: 'not-run',
    status: 'vacuous',
  }),
  row('REQ-2.1', { green: 'not-run', status: 'unproven', untestable: 'a look' }),
  // Journaled before proof per criterion: no proof at all.
  row('REQ-2.2'),
]);

test("sidebar: the matrix carries each criterion's proof — status, first test (names bounded), its runs, how many tests — and a matrix journaled before proof folds as before", () => {
  const view = traceViewOf(PROVEN);
  assert.deepEqual(
    view.rows.map((r) => r.proof && [r.proof.status, r.proof.red ?? null, r.proof.green, r.proof.tests]),
    [
      ['proven', 'failed', 'passed', 1],
      ['failing', 'failed', 'failed', 2],
      ['vacuous', 'passed', 'not-run', 1],
      ['unproven', null, 'not-run', 0],
      undefined,
    ],
  );
  assert.equal(view.rows[1]!.proof!.test!.length, 200);
  assert.ok(view.rows[1]!.proof!.test!.endsWith('…'));
  assert.equal(view.rows[3]!.proof!.untestable, 'a look');
  // Its strength, the survivors bounded: ten listed, each change cut like a name; the count says 12.
  const strength = view.rows[0]!.proof!.strength!;
  assert.deepEqual([strength.tried, strength.killed, strength.survived, strength.survivors.length], [16, 4, 12, 10]);
  assert.ok(
    strength.survivors.every((s) => s.change.length <= 200),
    'each change bounded',
  );
  assert.equal(view.rows[1]!.proof!.strength, undefined, 'not measured');

  const actions: ViewAction[] = [
    { type: 'run.begin', kind: 'feature', request: 'Prices' },
    { type: 'engine', event: { type: 'run.started', runId: 'r1', kind: 'feature', request: 'Prices' } },
    { type: 'engine', event: { type: 'trace.updated', specId: PROVEN.specId, matrix: PROVEN } },
  ];
  const state = actions.reduce(reduce, emptyViewState());
  assert.deepEqual(
    state.run!.trace!.rows.map((r) => r.proof?.status ?? 'none'),
    ['proven', 'failing', 'vacuous', 'unproven', 'none'],
  );
  const parsed = viewStateSchema.safeParse(state);
  assert.ok(parsed.success, 'the state the webview is sent parses');
  // The webview reads what the schema keeps: the strength with it.
  assert.deepEqual(parsed.data.run!.trace!.rows[0]!.proof!.strength, traceViewOf(PROVEN).rows[0]!.proof!.strength);
});

test('chat: the run report counts the proof and marks each criterion, with the strength score and the survivors; a hostile criterion id or change stays text', () => {
  const report = traceMarkdown(PROVEN);
  // A paragraph of its own, as the chat renders it.
  assert.ok(
    html(report).includes(
      '<p>Proof: 1 proven, 1 failing, 1 vacuous, 2 unproven: ✓ REQ-1.1 proven · ✗ REQ-1.2 failing · ∅ REQ-1.3 vacuous · ○ REQ-2.1 unproven · ○ REQ-2.2 unproven. Strength: 25% (4/16 mutants killed).</p>',
    ),
    html(report),
  );
  // The strength score per criterion, then each surviving mutant: where as code, what changed as text.
  const shown = html(report);
  assert.ok(
    shown.includes(
      '<p>Strength per criterion: REQ-1.1 25%.</p>\n<ul>\n<li>survived (REQ-1.1): <code>lib/price.js:1</code> [x](command:orchestrator.rollbackRun) &lt;img src=x&gt; cents / 100 → cents * 100 and',
    ),
    shown,
  );
  assert.ok(shown.includes('<li>… and 2 more survived</li>\n</ul>'), shown);
  assert.doesNotMatch(shown, /<a\b|<img\b/i);
  assert.equal([...shown.matchAll(/<li>survived /g)].length, 10);
  const hostile = proofMarkdown([{ criterion: '[x](command:orchestrator.discardRun) <img src=x>', status: 'failing' }]);
  assert.doesNotMatch(html(hostile), /<a\b|<img\b/i);
  const many = proofMarkdown(
    Array.from({ length: 25 }, (_, i) => ({ criterion: `REQ-${i + 1}.1`, status: 'proven' as const })),
  );
  assert.match(
    html(many),
    /^<p>Proof: 25 proven: ✓ REQ-1\.1 proven · [^\n]* · ✓ REQ-20\.1 proven · … and 5 more\.<\/p>\n$/,
  );
  assert.deepEqual(
    criteriaProof(PROVEN.rows).map((c) => c.status),
    ['proven', 'failing', 'vacuous', 'unproven', 'unproven'],
  );
});

test("chat /status: a run of this window reports its criteria's proof from the sidebar's matrix", async () => {
  const run: RunView = {
    runId: 'r1',
    kind: 'feature',
    request: 'Prices',
    status: 'running',
    live: true,
    phase: 'IMPLEMENT',
    phases: [],
    waves: [],
    agents: [],
    usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
    costUsd: 0.1,
    filesChanged: [],
    activity: [],
    trace: traceViewOf(PROVEN),
  };
  const services = {
    store: { state: { run } as ViewState },
    decisions: { pending: undefined },
    engine: realEngine,
  } as unknown as StatusServices;
  const answer = await runStatusData(services, '/nonexistent-workspace', undefined, false);
  assert.deepEqual(answer.runs[0]!.proof, [
    {
      criterion: 'REQ-1.1',
      status: 'proven',
      strength: { tried: 16, killed: 4, survived: 12, survivors: answer.runs[0]!.proof![0]!.strength!.survivors },
    },
    { criterion: 'REQ-1.2', status: 'failing' },
    { criterion: 'REQ-1.3', status: 'vacuous' },
    { criterion: 'REQ-2.1', status: 'unproven' },
    { criterion: 'REQ-2.2', status: 'unproven' },
  ]);
  const { trace: _trace, ...withoutMatrix } = run;
  const none = await runStatusData(
    { ...services, store: { state: { run: withoutMatrix } as ViewState } } as unknown as StatusServices,
    '/nonexistent-workspace',
    undefined,
    false,
  );
  assert.equal(none.runs[0]!.proof, undefined, 'no matrix yet: nothing said of proof');
});
