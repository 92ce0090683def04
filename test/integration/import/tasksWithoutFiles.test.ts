// Issue 37 point 1: a spec folder whose tasks name no file still runs. Fixtures are written from
// docs/import.md ("Round three" of the shapes users bring: Kiro test sub-tasks and checkpoints without files, Spec Kit polish
// phases and plan.md's project structure), never copied from a project.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engine } from '../../../src/core/engine';
import { wordsOf } from '../../../src/core/catalogue';
import { loadSpec } from '../../../src/core/project/specs/specs';
import { type AgentCall, say, writesThenDone } from '../../support/engine/agentScript';
import { journalOf } from '../../support/engine/harness';
import { harness } from '../../support/engine/harness';
import { makeShop } from '../../support/engine/shopWorkspace';
import { addTrips, TRIP_PLACEMENT, tripAgents, TRIPS } from '../../support/engine/tripInvitations';
import { copySpecFolder, withImportedFolder } from '../../support/specFixtures';

const ORDER_STATUS = '.kiro/specs/order-status';

const taskLines = (body: string): string[] =>
  body
    .slice(body.indexOf('### Tasks'))
    .split('\n')
    .filter((l) => /^\d+\. \[/.test(l));
const systemText = (call: { req: { body: { system?: unknown } } }): string => {
  const system = call.req.body.system;
  return typeof system === 'string' ? system : (system as { text: string }[]).map((b) => b.text).join('\n');
};

const ORDER_STATE =
  "'use strict';\nconst ALLOWED = { placed: ['paid', 'cancelled'], paid: ['shipped', 'cancelled'], shipped: [], cancelled: [] };\nclass OrderStateMachine {\n  static next(state, to) {\n    if (!(ALLOWED[state] || []).includes(to)) throw new Error(`order cannot go from ${state} to ${to}`);\n    return to;\n  }\n}\nmodule.exports = { OrderStateMachine, ALLOWED };\n";
const STATUS_BADGE =
  'export function statusBadge(state) {\n  return `<span class="badge badge-${state}">${state}</span>`;\n}\n';

test("Kiro: test sub-tasks naming no file take their siblings' layer; checkpoints are recorded as not implementable, with the reason", async () => {
  await withImportedFolder('kiro/order-status', ORDER_STATUS, async (shop, imported) => {
    const spec = await loadSpec(shop.dir, imported.specId);
    assert.deepEqual(taskLines(spec.body), [
      '1. [ ] 1.1 Implement `server/orderState.js` with the allowed transitions; `OrderStateMachine.next(state, event)` throws naming both states when refused (REQ-1.1, REQ-1.2)',
      '2. [ ] 1.2 Write unit tests for the state machine; Cover every allowed and every refused transition (REQ-1.2) — optional in the source — layer: backend (from its sibling tasks: 1.1)',
      '3. [ ] 1.3 Write property test for transitions; **Property 3: next returns an allowed state or throws** (REQ-1.2) — optional in the source — layer: backend (from its sibling tasks: 1.1)',
      "4. [x] 2 Checkpoint - Ensure all tests pass, ask the user if questions arise. — not implementable: a checkpoint, not code: every layer's checks and the review run in the run itself",
      '5. [ ] 3.1 Add `statusBadge(state)` in `web/src/orderStatus.js` (REQ-2.1)',
      '6. [ ] 3.2 Write unit tests for the badge of each state (REQ-2.1) — layer: frontend (from its sibling tasks: 3.1)',
      "7. [x] 4 Final checkpoint - Ensure all tests pass — not implementable: a checkpoint, not code: every layer's checks and the review run in the run itself",
    ]);
    assert.deepEqual(imported.unowned, [], 'nothing waits for a pick');
  });
});

test("approve <Kiro folder> --yes: a folder whose test sub-tasks name no file runs to COMPLETE, each task on its sibling's layer; the checkpoints are in the matrix, owing no file", async () => {
  const h = await harness({
    backend: writesThenDone({ 'server/orderState.js': ORDER_STATE }),
    frontend: writesThenDone({ 'web/src/orderStatus.js': STATUS_BADGE }),
    review: () => say.approve(),
  });
  try {
    copySpecFolder(h.shop.dir, 'kiro/order-status', ORDER_STATUS);
    h.shop.git('add', '-A');
    h.shop.git('commit', '-q', '-m', 'kiro spec');
    const summary = await engine.approveSpec(ORDER_STATUS, h.options({ autoApprove: true, assumeYes: true }));
    assert.equal(summary.status, 'completed', summary.error);
    assert.deepEqual(
      [...new Set(h.calls.map((c) => c.agent))].sort(),
      ['backend', 'frontend'],
      'no database agent, no spec agent (two files: no review, as configured)',
    );
    const backend = systemText(h.callsOf('backend')[0]!);
    const backendTasks = backend.slice(backend.indexOf('## YOUR TASKS (backend)'));
    for (const ref of [
      '1.1 Implement',
      '1.2 Write unit tests for the state machine',
      '1.3 Write property test for transitions',
    ])
      assert.ok(backendTasks.includes(ref), `backend has ${ref}`);
    assert.ok(!backendTasks.includes('3.2 Write unit tests'), "the frontend's test task is not the backend's");
    const frontend = systemText(h.callsOf('frontend')[0]!);
    assert.ok(
      frontend
        .slice(frontend.indexOf('## YOUR TASKS (frontend)'))
        .includes('3.2 Write unit tests for the badge of each state'),
    );
    const specId = h.host.ofType('spec.approved')[0]!.specId;
    const { matrix } = await engine.traceSpec(h.shop.dir, specId);
    assert.deepEqual(matrix.requirementsWithoutFile, []);
    assert.ok(
      matrix.unlinkedTasks.some((t) =>
        /2 Checkpoint - Ensure all tests pass.* — not implementable: a checkpoint, not code/.test(t),
      ),
      matrix.unlinkedTasks.join('\n'),
    );
  } finally {
    await h.close();
  }
});

test('process tasks: documentation goes to the layer owning the README when one does, else is not implementable; --assign reopens a task recorded as not implementable', async () => {
  const tasks = [
    '- [ ] 1. Add the export in `server/export.js`',
    '  - _Requirements: 1.1_',
    '- [ ] 2. Update the README with the export command',
    '- [ ] 3. Run quickstart.md validation',
    '',
  ].join('\n');
  const files = {
    '.kiro/specs/export/requirements.md':
      '# Requirements Document\n\n### Requirement 1: Export\n\n1. THE system SHALL export orders\n',
    '.kiro/specs/export/tasks.md': tasks,
  };
  const plain = makeShop({ git: false, files });
  const owned = makeShop({
    git: false,
    files,
    config: (yaml) => yaml.replace('owns: ["server/**"]', 'owns: ["server/**", "README.md"]'),
  });
  try {
    const lines = taskLines(
      (await loadSpec(plain.dir, (await engine.importSpec(plain.dir, '.kiro/specs/export')).specId)).body,
    );
    assert.equal(
      lines[1],
      '2. [x] 2 Update the README with the export command — not implementable: documentation no layer owns (README.md, docs/README.md): no agent may write it; update it by hand',
    );
    assert.equal(
      lines[2],
      "3. [x] 3 Run quickstart.md validation — not implementable: a manual validation, not code: the run's checks and review stand for it; do it by hand after the run",
    );
    const ownedLines = taskLines(
      (await loadSpec(owned.dir, (await engine.importSpec(owned.dir, '.kiro/specs/export')).specId)).body,
    );
    assert.equal(
      ownedLines[1],
      "2. [ ] 2 Update the README with the export command — layer: backend (from the task's wording: documentation, which backend owns)",
    );

    const imported = await engine.importSpec(plain.dir, '.kiro/specs/export');
    await engine.assignLayers(plain.dir, imported.specId, [{ task: '2', layer: 'backend' }]);
    assert.equal(
      taskLines((await loadSpec(plain.dir, imported.specId)).body)[1],
      '2. [ ] 2 Update the README with the export command — layer: backend (chosen when approving)',
    );
  } finally {
    plain.cleanup();
    owned.cleanup();
  }
});

test('Spec Kit: plan.md\'s "Project Structure" block places tasks by the folder their words name; polish tasks that are process are recorded as not implementable', async () => {
  await withImportedFolder('speckit/004-trip-invitations', TRIPS, async (shop, imported) => {
    const lines = taskLines((await loadSpec(shop.dir, imported.specId)).body);
    assert.equal(
      lines[2],
      "3. [ ] T011 Implement the invitation service expiry rules (FR-002) (US-1, FR-002) — layer: backend (from plan.md's project structure: server/services)",
    );
    assert.equal(
      lines[3],
      "4. [ ] T012 Show pending invitations in the trip list component (US-1) — layer: frontend (from plan.md's project structure: web/src/components)",
    );
    assert.match(lines[6]!, /^7\. \[x\] T022 Update documentation — not implementable: documentation no layer owns/);
    assert.match(
      lines[7]!,
      /^8\. \[x\] T023 Run quickstart\.md validation — not implementable: a manual validation, not code/,
    );
    // What nothing places is left for the model's proposal at approval.
    assert.deepEqual(
      imported.unowned.map((u) => u.text.split(' ')[0]),
      ['T020', 'T021'],
    );
  });
});

test('names the repository defines (a class, an endpoint, a component, a table) place a task on the layer owning the file defining them', async () => {
  const shop = makeShop({
    git: false,
    files: {
      'server/lib/invitations.js':
        "'use strict';\nclass InvitationService {\n  send() {}\n}\nmodule.exports = { InvitationService };\n",
      'server/routes/trips.js':
        "'use strict';\nmodule.exports = (router) => {\n  router.get('/api/trips/:id', () => {});\n};\n",
      // The screen calls the endpoint too: a call is not a definition.
      'web/src/tripList.js':
        "export function TripList(trips) {\n  return fetch('/api/trips/1').then(() => trips.length);\n}\n",
      'db/migrations/003_create_trip.sql': 'CREATE TABLE trip_stops (id INTEGER PRIMARY KEY);\n',
      '.kiro/specs/trips/requirements.md':
        '# Requirements Document\n\n### Requirement 1: Trips\n\n1. THE system SHALL keep trips\n',
      '.kiro/specs/trips/tasks.md': [
        '- [ ] 1. Wire InvitationService into the order confirmation',
        '- [ ] 2. Paginate /api/trips/:id for long trips',
        '- [ ] 3. Show the invitation count in TripList',
        '- [ ] 4. Add an ordering number to `trip_stops`',
        '',
      ].join('\n'),
    },
  });
  try {
    const imported = await engine.importSpec(shop.dir, '.kiro/specs/trips');
    assert.deepEqual(
      taskLines((await loadSpec(shop.dir, imported.specId)).body).map((l) => l.slice(l.indexOf(' — '))),
      [
        ' — layer: backend (from `InvitationService`, defined in server/lib/invitations.js)',
        ' — layer: backend (from `/api/trips/:id`, defined in server/routes/trips.js)',
        ' — layer: frontend (from `TripList`, defined in web/src/tripList.js)',
        ' — layer: database (from `trip_stops`, defined in db/migrations/003_create_trip.sql)',
      ],
    );
  } finally {
    shop.cleanup();
  }
});

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
        '5. [ ] T020 Performance pass over the invitation queries — layer: backend (proposed by the model, accepted when approving: the invitation queries live in the server entity module)',
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

test('a sub-task whose words point to another layer goes there, its test too; wiring tasks at the top level go by their words (routes, seed data)', async () => {
  const shop = makeShop({
    git: false,
    files: {
      '.kiro/specs/orders/requirements.md':
        '# Requirements Document\n\n### Requirement 1: Orders\n\n1. THE system SHALL list orders\n',
      '.kiro/specs/orders/tasks.md': [
        '- [ ] 1. Orders',
        '  - [ ] 1.1 Add the listing to `server/entities/order.js`',
        '  - [ ] 1.2 Add the orders page with a status filter',
        '  - [ ] 1.3 Write unit tests for the orders page',
        '  - [ ] 1.4 Write unit tests for the listing',
        '- [ ] 2. Register the routes',
        '- [ ] 3. Seed data for the demo',
        '',
      ].join('\n'),
    },
  });
  try {
    const imported = await engine.importSpec(shop.dir, '.kiro/specs/orders');
    assert.deepEqual(
      taskLines((await loadSpec(shop.dir, imported.specId)).body)
        .slice(1)
        .map((l) => l.slice(l.indexOf(' — '))),
      [
        " — layer: frontend (from the task's wording)",
        " — layer: frontend (from the task's wording)",
        ' — layer: backend (from its sibling tasks: 1.1)',
        " — layer: backend (from the task's wording)",
        " — layer: database (from the task's wording)",
      ],
    );
  } finally {
    shop.cleanup();
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
