// No spec work dropped (issue 7): submit_spec is refused while a task or file has no owning
// layer, and a spec a human edited asks before it is approved with such work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engine } from '../../../src/core/engine';
import type { Parked, SpecDecision, SpecDecisionRequest } from '../../../src/core/host';
import { say, writesThenDone, type AgentCall } from '../../support/engine/agentScript';
import { PRODUCT_MIGRATION, PRODUCT_MODULE, PRODUCT_SCREEN } from '../../support/engine/fixtures';
import { harness } from '../../support/engine/harness';
import { TestHost } from '../../support/engine/testHost';

const supplier = (text: string) =>
  text
    .replace(/products/g, 'suppliers')
    .replace(/Products/g, 'Suppliers')
    .replace(/product/g, 'supplier')
    .replace(/Product/g, 'Supplier');
const FILES = {
  'db/migrations/003_create_supplier.sql': supplier(PRODUCT_MIGRATION),
  'server/entities/supplier.js': supplier(PRODUCT_MODULE),
  'web/src/suppliers.js': supplier(PRODUCT_SCREEN),
};

// What the spec agent wrote in the report ("Create the customer table", here for a
// new entity of the shop): the table task has no layer heading, names no file and no layer.
const UNOWNED_SPEC = `## Spec: Supplier entity

### Summary
Add a Supplier entity (name, price) with its table, its API module and a list screen.

### Entity Info
- Pattern: simple
- References: none
- Type: New entity

### Requirements

#### REQ-1: Suppliers
**Acceptance criteria**
- REQ-1.1: WHEN a supplier is created with a name and a price THE shop SHALL store it and list it on the suppliers screen.

### Tasks
1. [ ] Create the supplier table (REQ-1)
2. [ ] Add the Supplier module in \`server/entities/supplier.js\` following the simple pattern (REQ-1)
3. [ ] List suppliers in \`web/src/suppliers.js\` (REQ-1)
`;
const TABLE_LINE = UNOWNED_SPEC.split('\n').indexOf('1. [ ] Create the supplier table (REQ-1)') + 1;
const FIXED_SPEC = UNOWNED_SPEC.replace(
  '1. [ ] Create the supplier table',
  '1. [ ] Create the supplier table in `db/migrations/003_create_supplier.sql`',
);

function lastToolResult(call: AgentCall): { content: string; isError: boolean } | undefined {
  const last = call.req.body.messages.at(-1);
  if (!last || typeof last.content === 'string') return undefined;
  const block = last.content.find((b) => b.type === 'tool_result');
  if (!block || block.type !== 'tool_result') return undefined;
  const content =
    typeof block.content === 'string'
      ? block.content
      : (block.content ?? []).map((b) => (b.type === 'text' ? b.text : '')).join('');
  return { content, isError: block.is_error === true };
}

test('a new-entity spec with "Create the supplier table" and no layer heading is refused until the table has an owner; then the database layer does it', async () => {
  const h = await harness({
    spec: ({ turn }) => say.spec('Supplier entity', 'supplier-entity', turn === 0 ? UNOWNED_SPEC : FIXED_SPEC),
    database: writesThenDone({
      'db/migrations/003_create_supplier.sql': FILES['db/migrations/003_create_supplier.sql'],
    }),
    backend: writesThenDone({ 'server/entities/supplier.js': FILES['server/entities/supplier.js'] }),
    frontend: writesThenDone({ 'web/src/suppliers.js': FILES['web/src/suppliers.js'] }),
    review: () => say.approve(),
  });
  try {
    const summary = await engine.runFeature('Add a Supplier entity with name and price', h.options());
    assert.equal(summary.status, 'completed', summary.error);

    // The refusal went back to the spec agent as an is_error result naming the line.
    const specCalls = h.callsOf('spec');
    assert.equal(specCalls.length, 2);
    const refusal = lastToolResult(specCalls[1]!);
    assert.equal(refusal?.isError, true);
    assert.match(refusal!.content, /owned by no configured layer/);
    assert.match(refusal!.content, new RegExp(`- line ${TABLE_LINE}: task "Create the supplier table \\(REQ-1\\)"`));
    assert.match(refusal!.content, /database owns db\/\*\*/);
    assert.equal(h.host.ofType('spec.saved').length, 1, 'only the fixed spec was saved');

    // The database layer got the table task and did it.
    const database = h.callsOf('database');
    assert.ok(database.length > 0, 'the database agent ran');
    const system = (database[0]!.req.body.system as { text: string }[]).map((b) => b.text).join('\n');
    assert.match(system.slice(system.indexOf('## YOUR TASKS (database)')), /Create the supplier table/);
    assert.deepEqual(summary.filesChanged, Object.keys(FILES).sort());
  } finally {
    await h.close();
  }
});

class EditingHost extends TestHost {
  constructor(private readonly edit: (request: SpecDecisionRequest) => void) {
    super();
  }
  override async decideSpec(request: SpecDecisionRequest): Promise<SpecDecision | Parked> {
    this.edit(request);
    return super.decideSpec(request);
  }
}

/** The Supplier feature's agents, each doing its part at once. */
const supplierAgents = () => ({
  spec: () => say.spec('Supplier entity', 'supplier-entity', FIXED_SPEC),
  database: writesThenDone({ 'db/migrations/003_create_supplier.sql': FILES['db/migrations/003_create_supplier.sql'] }),
  backend: writesThenDone({ 'server/entities/supplier.js': FILES['server/entities/supplier.js'] }),
  frontend: writesThenDone({ 'web/src/suppliers.js': FILES['web/src/suppliers.js'] }),
  review: () => say.approve(),
});

test('a spec a human edited to hold unowned work: listed with its lines, and approving it asks first', async () => {
  const h = await harness(supplierAgents());
  try {
    const saved = await engine.runFeature(
      'Add a Supplier entity with name and price',
      h.options({ autoApprove: false, assumeYes: false }),
    );
    assert.equal(saved.status, 'spec-saved');
    const specPath = saved.specPath!;
    // A requirement only the unowned task serves: approved anyway, the task is recorded as not to be done, so TRACE does not stop on it.
    const welcome =
      '#### REQ-2: Welcome\n**Acceptance criteria**\n- REQ-2.1: WHEN a supplier is created THE shop SHALL send it a welcome email.\n\n### Tasks';
    h.shop.write(
      specPath,
      `${h.shop.read(specPath).replace('### Tasks', welcome)}4. [ ] Send a welcome email to new suppliers (REQ-2)\n`,
    );
    const line = h.shop.read(specPath).split('\n').indexOf('4. [ ] Send a welcome email to new suppliers (REQ-2)') + 1;

    const [listed] = await engine.listSpecs(h.shop.dir);
    assert.deepEqual(listed!.unowned, [{ kind: 'task', line, text: 'Send a welcome email to new suppliers (REQ-2)' }]);

    // Declined: nothing runs, and the error says why and how to go on.
    h.host.confirmAnswer = false;
    const before = h.calls.length;
    await assert.rejects(
      engine.approveSpec(listed!.id, h.options({ assumeYes: false })),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, 'E_DECLINED');
        assert.match(
          error.message,
          new RegExp(`line ${line}: task "Send a welcome email to new suppliers \\(REQ-2\\)"`),
        );
        assert.match(error.message, /--yes/);
        return true;
      },
    );
    assert.equal(h.calls.length, before, 'no model call');
    assert.deepEqual(
      h.host.confirmations.map((c) => c.kind),
      ['unowned-work'],
    );

    // Confirmed: the run goes on with the work the layers own.
    h.host.confirmAnswer = true;
    const done = await engine.approveSpec(listed!.id, h.options({ assumeYes: false }));
    assert.equal(done.status, 'completed', done.error);
    assert.equal(h.host.confirmations.filter((c) => c.kind === 'unowned-work').length, 2);
    const archived = h.shop.read(specPath.replace('/active/', '/completed/')).split('\n');
    assert.ok(
      archived.includes(
        '4. [x] Send a welcome email to new suppliers (REQ-2) — not implementable: no layer owns what it names; approved without one',
      ),
      archived.join('\n'),
    );
  } finally {
    await h.close();
  }
});

test('approving in the run after the human edited the spec asks; "no" waits for another decision', async () => {
  let edited = false;
  const host = new EditingHost((request) => {
    if (edited) return;
    edited = true;
    h.shop.write(
      request.specPath,
      `${h.shop.read(request.specPath)}\n#### Mobile\n- [ ] app/Suppliers.swift: the list screen\n`,
    );
  });
  const h = await harness(supplierAgents());
  try {
    host.decisions = [{ action: 'approve' }, { action: 'save' }];
    host.confirmAnswer = false;
    const summary = await engine.runFeature(
      'Add a Supplier entity with name and price',
      h.options({ host, autoApprove: false, assumeYes: false }),
    );
    assert.equal(summary.status, 'spec-saved');
    assert.equal(host.specRequests.length, 2, 'asked again after "no"');
    assert.match(host.confirmations[0]!.paths.join('\n'), /task "app\/Suppliers\.swift: the list screen"/);
    assert.ok(
      host.ofType('confirmation').some((e) => !e.answer),
      'the refusal is journaled',
    );
    assert.equal(h.callsOf('database').length, 0);
  } finally {
    await h.close();
  }
});
