import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rebuildState, type StateEvent } from '../../../src/core/journal/state';
import { ProjectFileError } from '../../../src/core/project/sources/errors';
import { parseWorkflow } from '../../../src/core/project/workflows/workflowFile';

const started: StateEvent = { type: 'run.started', runId: 'r', kind: 'feature', request: 'x', workflow: 'slice' };
const savedAt = (phase: string): StateEvent => ({
  type: 'phase.saved',
  phase,
  documents: [`spec/active/s/${phase}.md`],
});

test('human gate contract: a run saved at a phase gate says which gate it waits at until it is decided', () => {
  const saved = rebuildState([
    started,
    savedAt('E'),
    { type: 'run.completed', runId: 'r', summary: { status: 'spec-saved' } },
  ]);
  assert.deepEqual([saved.status, saved.waitingGate], ['spec-saved', 'E']);
  assert.equal(rebuildState([started, savedAt('E'), { type: 'phase.approved', phase: 'E' }]).waitingGate, undefined);
  assert.equal(
    rebuildState([started, savedAt('E'), { type: 'phase.changes-requested', phase: 'E', feedback: 'more stress' }])
      .waitingGate,
    undefined,
  );
  // A resume asks the gate again: it no longer waits until it saves again.
  assert.equal(rebuildState([started, savedAt('E'), started]).waitingGate, undefined);
});

const workflow = (phases: string) => `version: 1\nphases:\n${phases}`;
const SPEC =
  '  - { name: SYNC, uses: sync, gate: none }\n  - { name: UNDERSTAND, uses: understand, gate: none }\n  - { name: SPEC, uses: spec, gate: human }\n';
const QA =
  '  - name: QA\n    role: qa\n    outputs: [{ document: qa, path: "{spec}/qa.md" }]\n    gate: { human: [pm] }\n';

function problemOf(text: string): string {
  try {
    parseWorkflow(text, '.claude/workflows/w.yaml');
  } catch (error) {
    assert.ok(error instanceof ProjectFileError, String(error));
    return error.message;
  }
  assert.fail('the workflow parsed');
}

test("human gate contract: a phase's human gate comes after the spec, on a document phase", () => {
  assert.equal(parseWorkflow(workflow(SPEC + QA), 'w.yaml').phases.at(-1)?.name, 'QA');
  assert.match(problemOf(workflow(QA)), /w\.yaml:\d+:\d+ phases\[0\]\.gate: a human gate needs the spec/);
  assert.match(
    problemOf(workflow(`${SPEC}  - { name: DEPLOY, uses: deploy, gate: human }\n`)),
    /phases\[3\]\.gate: a human gate asks about a phase's documents: deploy has none/,
  );
});
