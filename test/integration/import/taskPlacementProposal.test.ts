// Issue 37 point 1: tasks naming no file that neither their words nor the repository place are
// assigned by the model's one proposal, shown at the gate (docs/import.md); the rules that place
// the others: tasksWithoutFiles.test.ts. Fixtures are written from docs/import.md, never copied from a project.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engine } from '../../../src/core/engine';
import { wordsOf } from '../../../src/core/catalogue';
import { loadSpec } from '../../../src/core/project/specs/specs';
import { type AgentCall, say, writesThenDone } from '../../support/engine/agentScript';
import { journalOf } from '../../support/engine/harness';
import { harness } from '../../support/engine/harness';
import { addTrips, TRIP_PLACEMENT, tripAgents, TRIPS } from '../../support/engine/tripInvitations';
import { systemText, taskLines } from './folderRuns';

/** The model's one answer: T020 to the backend (a reason with parentheses the gate's words drop), T021 not implementable. */
const PLACEMENT = [
  { ...TRIP_PLACEMENT[0]!, reason: 'the invitation queries live in the (server) entity module' },
  TRIP_PLACEMENT[1]!,
];

test("Spec Kit: the tasks left are assigned by the model's one proposal, shown at the gate; declined, nothing runs; --yes accepts it, journals it (tasks.assigned, a source per task) and runs to COMPLETE", async () => {
  const h = await harness(tripAgents(PLACEMENT));
  try {
    addTrips(h.shop.dir, h.shop.git);
    // At the gate the person says no: the proposal is shown, nothing runs.
    h.host.confirmAnswer = false;
    const refused = await engine.approveSpec(TRIPS, h.options({ autoApprove: true, assumeYes: false })).then(
      () => undefined,
      (error: unknown) => error as Error & { code?: string },
    );
    assert.equal(refused?.code, 'E_DECLINED');
    assert.deepEqual(
      h.calls.map((c) => c.agent),
      ['layers'],
      'one model call, and only that',
    );
    const asked: AgentCall = h.callsOf('layers')[0]!;
    assert.match(
      asked.task,
      /^## TASKS TO PLACE\nT020, T021\n\n## LAYERS\n- database owns db\/\*\*\n- backend owns server\/\*\*\n- frontend owns web\/\*\*/,
    );
    assert.match(asked.task, /T012 Show pending invitations in the trip list component \(US-1\) — layer: frontend/);
    const gate = h.host.confirmations.at(-1)!;
    assert.equal(gate.kind, 'layer-proposal');
    assert.match(
      gate.question,
      /^The model proposed the layer of 2 tasks of spec \S+ that name no file\. Accept them and approve\?/,
    );
    assert.deepEqual(
      gate.paths.map((p) => p.replace(/^- line \d+: task /, '')),
      [
        '"T020 Performance pass over the invitation queries — layer: backend (proposed by the model: the invitation queries live in the server entity module)"',
        '"T021 Tell the travel agents about invitations in the partner newsletter — not implementable: a newsletter to people, not code (proposed by the model)"',
      ],
    );
    assert.match(
      refused!.message,
      /the model proposed the layer of tasks T020, T021, which name no file:[\s\S]*Accept them: orchestrator approve \S+ --yes\n {2}or change any: orchestrator approve \S+ --assign "T020=<layer>" --assign "T021=<layer>"/,
    );
    assert.ok(!h.host.ofType('spec.approved').length);
    // The sidebar's picker and the portal show each proposal, ready to change.
    const specId = /^Spec (\S+) was not approved/.exec(refused!.message)![1]!;
    const layers = ['database', 'backend', 'frontend'];
    assert.deepEqual(
      (await engine.listSpecs(h.shop.dir)).find((s) => s.id === specId)!.unowned!.map((u) => u.pick),
      [
        { task: 'T020', layers, proposed: 'backend' },
        { task: 'T021', layers, proposed: 'not-implementable' },
      ],
    );
    assert.deepEqual(
      (await engine.specsAtGate(h.shop.dir)).find((s) => s.id === specId)!.unowned!.map((u) => u.pick?.proposed),
      ['backend', 'not-implementable'],
    );

    // --yes accepts it: no second model call, the run goes on.
    const summary = await engine.approveSpec(specId, h.options({ autoApprove: true, assumeYes: true }));
    assert.equal(summary.status, 'completed', summary.error);
    assert.equal(h.callsOf('layers').length, 1, 'the model is asked once');
    // The proposal's call, made before the run, is charged to it: every call the server answered is one llm.usage, and the run's cost is their sum.
    const usage = journalOf(h.shop, summary.runId).filter((e) => e.type === 'llm.usage');
    assert.equal(
      usage.length,
      h.calls.length,
      JSON.stringify([h.calls.map((c) => c.agent), usage.map((e) => e.agent)]),
    );
    const first = usage[0]!;
    assert.deepEqual([first.agent, (first.costUsd as number) > 0], ['spec', true]);
    assert.equal(
      (await loadSpec(h.shop.dir, specId).catch(() => undefined))?.frontMatter.layerProposalCost,
      undefined,
      'charged once: taken off the spec',
    );
    assert.ok(
      Math.abs(summary.costUsd - usage.reduce((sum, e) => sum + (e.costUsd as number), 0)) < 1e-9,
      `${summary.costUsd}`,
    );
    const backend = systemText(h.callsOf('backend')[0]!);
    assert.ok(
      backend
        .slice(backend.indexOf('## YOUR TASKS (backend)'))
        .includes('T020 Performance pass over the invitation queries'),
    );
    const lines = taskLines(h.shop.read(`spec/completed/${specId}/spec.md`));
    assert.ok(
      lines.includes(
        '5. [x] T020 Performance pass over the invitation queries — layer: backend (proposed by the model, accepted when approving: the invitation queries live in the server entity module)',
      ),
      lines.join('\n'),
    );
    const assigned = journalOf(h.shop, summary.runId).find((e) => e.type === 'tasks.assigned')!;
    assert.deepEqual(assigned.tasks, [
      { task: 'T011', layer: 'backend', source: 'design', reason: "plan.md's project structure: server/services" },
      { task: 'T012', layer: 'frontend', source: 'design', reason: "plan.md's project structure: web/src/components" },
      {
        task: 'T020',
        layer: 'backend',
        source: 'model',
        reason: 'the invitation queries live in the server entity module',
      },
    ]);
    assert.deepEqual(
      (assigned.notImplementable as { task: string; source: string }[]).map((t) => [t.task, t.source]),
      [
        ['T021', 'model'],
        ['T022', 'import'],
        ['T023', 'import'],
      ],
    );
  } finally {
    await h.close();
  }
});

test("the proposal's cost counts toward maxBudgetUsd: a budget it already spends stops the run before any agent works", async () => {
  const h = await harness(
    { layers: tripAgents(PLACEMENT).layers, review: () => say.approve() },
    { config: (yaml) => yaml.replace(/maxBudgetUsd: [\d.]+/, 'maxBudgetUsd: 0.000001') },
  );
  try {
    addTrips(h.shop.dir, h.shop.git);
    const summary = await engine.approveSpec(TRIPS, h.options({ autoApprove: true, assumeYes: true }));
    assert.equal(summary.status, 'stopped', summary.error);
    assert.match(summary.error ?? '', /budget/i);
    assert.deepEqual(
      h.calls.map((c) => c.agent),
      ['layers'],
      'no agent after the proposal',
    );
    assert.ok(summary.costUsd > 0.000001);
  } finally {
    await h.close();
  }
});

const LOYALTY = '.kiro/specs/loyalty';
const LOYALTY_FILES = {
  [`${LOYALTY}/requirements.md`]:
    '# Requirements Document\n\n### Requirement 1: Loyalty points\n\n#### Acceptance Criteria\n\n1. WHEN an order is paid THE system SHALL award one point per euro\n2. WHEN a member opens the account page THE system SHALL show the points balance\n',
  [`${LOYALTY}/tasks.md`]: [
    '- [ ] 1. Award points in `server/lib/points.js` _Requirements: 1.1_',
    '- [ ] 2. Make the balance readable at a glance _Requirements: 1.2_',
    '- [ ] 3. Announce the programme to members _Requirements: 1.1_',
    '',
  ].join('\n'),
};
const POINTS = "'use strict';\nmodule.exports = { award: (euros) => Math.floor(euros) };\n";
const BALANCE = 'export function balance(points) {\n  return `${points} points`;\n}\n';
const loyaltyProposal = () =>
  say.layers([
    { task: '2', layer: 'frontend', reason: 'the balance is shown on the account page' },
    { task: '3', layer: 'not-implementable', reason: 'an announcement to people, not code' },
  ]);

/** The loyalty folder's run: the model places tasks 2 and 3, the backend and the frontend write their file, the review approves. */
const loyaltyRun = () =>
  harness(
    {
      layers: loyaltyProposal,
      backend: writesThenDone({ 'server/lib/points.js': POINTS }),
      frontend: writesThenDone({ 'web/src/balance.js': BALANCE }),
      review: () => say.approve(),
    },
    { files: LOYALTY_FILES },
  );

test("a feature request naming a Kiro folder runs that folder: the gate shows the model's placement of its tasks naming no file, approving there accepts it (nothing else asked) and the run completes, no spec agent", async () => {
  const h = await loyaltyRun();
  try {
    h.host.decisions = [{ action: 'approve' }];
    const summary = await engine.runFeature(
      `Implement the loyalty programme from ${LOYALTY}`,
      h.options({ autoApprove: false, assumeYes: false }),
    );
    assert.equal(summary.status, 'completed', summary.error);
    assert.equal(h.callsOf('spec').length, 0, 'the folder is the spec');
    assert.deepEqual(h.host.specRequests[0]!.placement, {
      proposed: [
        { task: '2', layer: 'frontend', reason: 'the balance is shown on the account page' },
        { task: '3', layer: 'not-implementable', reason: 'an announcement to people, not code' },
      ],
    });
    assert.deepEqual(
      h.host.confirmations.map((c) => c.kind),
      [],
      "approving at the gate is the placement's acceptance",
    );
    const frontend = systemText(h.callsOf('frontend')[0]!);
    assert.ok(
      frontend.slice(frontend.indexOf('## YOUR TASKS (frontend)')).includes('2 Make the balance readable at a glance'),
    );
    const assigned = journalOf(h.shop, summary.runId).find((e) => e.type === 'tasks.assigned')!;
    assert.deepEqual(assigned.tasks, [
      { task: '2', layer: 'frontend', source: 'model', reason: 'the balance is shown on the account page' },
    ]);
    assert.deepEqual(
      (assigned.notImplementable as { task: string; source: string }[]).map((t) => [t.task, t.source]),
      [['3', 'model']],
    );
  } finally {
    await h.close();
  }
});

test('approve <Kiro folder> --yes: tasks naming no file are placed by the model, the placement shown (the confirmation and tasks.assigned lines) and accepted, and the run completes', async () => {
  const h = await loyaltyRun();
  try {
    const summary = await engine.approveSpec(LOYALTY, h.options({ autoApprove: true, assumeYes: true }));
    assert.equal(summary.status, 'completed', summary.error);
    const shown = h.host.events
      .map((e) => wordsOf(e))
      .filter((w) => w.progress !== false)
      .map((w) => w.text);
    assert.ok(
      shown.some((line) =>
        /^confirm: The model proposed the layer of 2 tasks of spec \S+ that name no file\. Accept them and approve\?.* → yes$/.test(
          line,
        ),
      ),
      shown.join('\n'),
    );
    assert.ok(shown.includes('tasks naming no file: 2 → frontend (model), 3 not implementable'), shown.join('\n'));
  } finally {
    await h.close();
  }
});
