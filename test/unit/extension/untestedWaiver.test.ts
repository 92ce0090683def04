/**
 * The waiver of untested requirements in the sidebar (issue 29): a `trace` gate that failed only
 * for requirements with no test names them on its step (from `run.stopped`'s `untested`, live or
 * replayed from the journal); the message that asks for the waiver is zod-checked; the host's
 * check of the journal and the confirmation's wording.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineEvent } from '../../../src/core/events';
import { contract } from '../../../src/core/engine';
import { emptyViewState, viewStateSchema, type ViewState, type WorkflowStepView } from '../../../src/shared/viewState';
import { parseWebviewMessage } from '../../../src/shared/protocol';
import type { ViewAction } from '../../../src/extension/view/actions';
import { reduce } from '../../../src/extension/view/reducer';
import { definitionOf } from '../../../src/extension/run/workflowSteps';
import { waivableStop, waiverQuestion } from '../../../src/extension/run/untestedWaiver';
import { untestedGates } from '../../../src/extension/run/workflowItems';

const fold = (actions: ViewAction[], from: ViewState = emptyViewState()): ViewState => actions.reduce(reduce, from);
const engine = (...list: EngineEvent[]): ViewAction[] => list.map((event) => ({ type: 'engine', event }));
const step = (s: ViewState, phase: string): WorkflowStepView => s.run!.workflow!.steps.find((x) => x.phase === phase)!;
const slice = async () =>
  definitionOf('slice', await contract.listWorkflows.call(mkdtempSync(join(tmpdir(), 'orch-waiver-'))));

const REPORT = [
  '## Pipeline stopped: the gate of phase F did not pass',
  '- REQ-2: List products — no test (no test file cites REQ-2, REQ-2.1, nor tests a file it changed)',
  '### Action needed',
  'Add a test …',
].join('\n');
const stoppedAtF = (untested?: Extract<EngineEvent, { type: 'run.stopped' }>['untested']): EngineEvent[] => [
  { type: 'run.started', runId: 'r1', kind: 'feature', request: 'Products', workflow: 'slice' },
  { type: 'phase.started', phase: 'F' },
  { type: 'phase.completed', phase: 'F', ms: 5 },
  { type: 'run.stopped', runId: 'r1', reason: 'gate', report: REPORT, ...(untested ? { untested } : {}) },
];

test("F's gate failed only for untested requirements: its step names them, before or after the workflow's definition; a resume clears them", async () => {
  const definition = await slice();
  const live = fold([
    { type: 'run.begin', kind: 'feature', request: 'Products' },
    ...engine(...stoppedAtF({ phase: 'F', requirements: ['REQ-2'] })),
    { type: 'workflow.defined', runId: 'r1', definition },
  ]);
  assert.deepEqual(
    [step(live, 'F').state, step(live, 'F').gate.state, step(live, 'F').gate.untested],
    ['failed', 'failed', ['REQ-2']],
  );
  assert.ok(viewStateSchema.safeParse(live).success);
  const defined = fold([
    { type: 'run.begin', kind: 'feature', request: 'Products' },
    ...engine(stoppedAtF()[0]!),
    { type: 'workflow.defined', runId: 'r1', definition },
    ...engine(...stoppedAtF({ phase: 'F', requirements: ['REQ-2'] }).slice(1)),
  ]);
  assert.deepEqual(step(defined, 'F').gate.untested, ['REQ-2']);
  // A gate that also had document problems (no `untested` on the stop) offers no waiver.
  const documents = fold([
    { type: 'run.begin', kind: 'feature', request: 'Products' },
    ...engine(...stoppedAtF()),
    { type: 'workflow.defined', runId: 'r1', definition },
  ]);
  assert.deepEqual([step(documents, 'F').gate.state, step(documents, 'F').gate.untested], ['failed', undefined]);
  // Resumed (with the waiver or a test written): F starts again and its gate is checked afresh.
  const resumed = fold(
    engine(
      {
        type: 'run.started',
        runId: 'r1',
        kind: 'feature',
        request: 'Products',
        workflow: 'slice',
        allowUntested: true,
      },
      { type: 'phase.started', phase: 'F' },
    ),
    live,
  );
  assert.deepEqual(
    [step(resumed, 'F').state, step(resumed, 'F').gate.state, step(resumed, 'F').gate.untested],
    ['running', 'pending', undefined],
  );
});

test('the journal says whether the run is stopped at a waivable gate now; the confirmation names the requirements and where the waiver is recorded', () => {
  const history = stoppedAtF({ phase: 'F', requirements: ['REQ-1', 'REQ-2'] });
  assert.deepEqual(waivableStop(history), { phase: 'F', requirements: ['REQ-1', 'REQ-2'] });
  assert.equal(waivableStop(stoppedAtF()), undefined, 'a stop with document problems too');
  assert.equal(
    waivableStop([
      ...history,
      { type: 'run.started', runId: 'r1', kind: 'feature', request: 'Products', workflow: 'slice' },
    ]),
    undefined,
    'resumed since',
  );
  assert.equal(
    waivableStop([...history, { type: 'run.rolled-back', restored: [], removed: [] }]),
    undefined,
    'rolled back since',
  );
  assert.equal(waivableStop([]), undefined);
  const question = waiverQuestion('r1', { phase: 'F', requirements: ['REQ-1', 'REQ-2'] });
  assert.equal(question.title, 'Allow 2 untested requirements at phase F: REQ-1, REQ-2?');
  assert.match(
    question.detail,
    /^REQ-1, REQ-2 have no test\. The waiver is recorded in run r1's journal \(trace\.waived\) and in the traceability matrix \(trace\.md, trace\.xlsx: "waived at phase F \(--allow-untested\)"\)/,
  );
  assert.equal(
    waiverQuestion('r1', { phase: 'F', requirements: ['REQ-3'] }).title,
    'Allow 1 untested requirement at phase F: REQ-3?',
  );
});

test('the waiver message names the run and the phase; anything else is dropped', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'allowUntested', runId: 'r1', phase: 'F' }), {
    ok: true,
    message: { type: 'allowUntested', runId: 'r1', phase: 'F' },
  });
  assert.equal(parseWebviewMessage({ type: 'allowUntested', runId: 'r1' }).ok, false);
  assert.equal(parseWebviewMessage({ type: 'allowUntested', runId: '', phase: 'F' }).ok, false);
  assert.equal(parseWebviewMessage({ type: 'allowUntested', runId: 'r1', phase: 'F; rm -rf /' }).ok, false);
});

test("New Feature offers the waiver only for a workflow with a trace gate (slice's F), as `feature --allow-untested`; COMPLETE's own trace check is not one", async () => {
  const listings = await contract.listWorkflows.call(mkdtempSync(join(tmpdir(), 'orch-waiver-')));
  const of = (name: string) => untestedGates(listings.find((listing) => listing.name === name));
  assert.deepEqual(of('slice'), ['F']);
  assert.deepEqual(of('feature'), [], "feature's trace is COMPLETE's own check");
  assert.deepEqual(untestedGates(undefined), []);
  assert.deepEqual(
    untestedGates({
      phases: [
        { name: 'QA', gate: 'check (sections, trace)', documents: [] },
        { name: 'X', gate: 'check (tracer)', documents: [] },
      ] as never,
    }),
    ['QA'],
  );
});
