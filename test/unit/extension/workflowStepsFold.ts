/** The workflow steps' tests' fixtures (issue 29): the view folded from actions, its steps, a run started with a workflow. */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineEvent } from '../../../src/core/events';
import { engine } from '../../../src/core/engine';
import { emptyViewState, type ViewState, type WorkflowStepView } from '../../../src/shared/viewState';
import type { ViewAction } from '../../../src/extension/view/actions';
import { reduce } from '../../../src/extension/view/reducer';
import { definitionOf } from '../../../src/extension/run/workflowSteps';

export const fold = (actions: ViewAction[], from: ViewState = emptyViewState()): ViewState =>
  actions.reduce(reduce, from);
export const events = (...list: EngineEvent[]): ViewAction[] => list.map((event) => ({ type: 'engine', event }));
export const step = (s: ViewState, phase: string): WorkflowStepView => {
  const found = s.run?.workflow?.steps.find((x) => x.phase === phase);
  assert.ok(found, `step ${phase} is shown`);
  return found;
};
export const states = (s: ViewState) =>
  s.run?.workflow?.steps.map((x) => `${x.phase}=${x.state}/${x.gate.kind}:${x.gate.state}`);

/** The shipped workflows as the engine lists them for a workspace of none of its own (what `orchestrator workflows --json` prints). */
export const shipped = engine.listWorkflows(mkdtempSync(join(tmpdir(), 'orch-wfsteps-')));
export const slice = async () => definitionOf('slice', await shipped);

export const started = (workflow?: string): ViewAction[] => [
  { type: 'run.begin', kind: 'feature', request: 'Orders API' },
  ...events({
    type: 'run.started',
    runId: 'r1',
    kind: 'feature',
    request: 'Orders API',
    ...(workflow ? { workflow } : {}),
  }),
];

export const specPending: ViewAction = {
  type: 'decision.pending',
  spec: { id: 'orders-api', path: 'spec/active/orders-api/spec.md', markdown: '# Spec: Orders API' },
};
