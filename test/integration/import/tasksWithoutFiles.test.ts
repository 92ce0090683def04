// Issue 37 point 1: a spec folder whose tasks name no file still runs. Fixtures are written from
// docs/import.md ("Round three" of the shapes users bring: Kiro test sub-tasks and checkpoints without files, Spec Kit polish
// phases and plan.md's project structure), never copied from a project. Here the tasks placed by
// their own words and the repository's; by the model's one proposal: taskPlacementProposal.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engine } from '../../../src/core/engine';
import { loadSpec } from '../../../src/core/project/specs/specs';
import { say, writesThenDone } from '../../support/engine/agentScript';
import { harness } from '../../support/engine/harness';
import { makeShop } from '../../support/engine/shopWorkspace';
import { TRIPS } from '../../support/engine/tripInvitations';
import { copySpecFolder, withImportedFolder } from '../../support/specFixtures';
import { systemText, taskLines } from './folderRuns';

const ORDER_STATUS = '.kiro/specs/order-status';

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
