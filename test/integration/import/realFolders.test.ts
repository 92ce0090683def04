// Issue 30 point 2, on shapes seen in a second round of public spec folders (docs/import.md): ids
// with letters or phase prefixes, lettered link ranges, tasks written as headings in a nested
// project's Spec Kit folder, summaries that list task ids again, a folder whose tasks cannot be
// read, and tasks that name no file: placed from the census, or stopped at approval.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { engine } from '../../../src/core/engine';
import { readKiro } from '../../../src/core/import/kiro';
import { readSpecKit } from '../../../src/core/import/specKit';
import { loadSpec } from '../../../src/core/project/specs/specs';
import { say } from '../../support/engine/agentScript';
import { harness } from '../../support/engine/harness';
import { makeShop } from '../../support/engine/shopWorkspace';
import { buildCli, CLI } from '../../support/cli/cliKit';

const FIXTURES = resolve(__dirname, '../../fixtures/specs');
const NESTED = 'platform/billing/specs/002-invoice-export';

before(() => buildCli());

const taskLines = (body: string): string[] =>
  body
    .slice(body.indexOf('### Tasks'))
    .split('\n')
    .filter((l) => /^\d+\. \[/.test(l));

test('Kiro: "Requirement 11b" and its criteria keep their letter; links after a lettered range are kept (48a-48c, 19.1)', () => {
  const spec = readKiro(
    {
      requirements: [
        '# Requirements Document',
        '',
        '### Requirement 11: Archive',
        '',
        '1. WHEN an invoice is older than a year THE system SHALL archive it',
        '',
        '### Requirement 11b: Restore from the archive',
        '',
        '#### Acceptance Criteria',
        '',
        '1. WHEN an accountant restores an invoice THE system SHALL list it again',
        '2. THE system SHALL keep the restore in the audit log',
        '',
        '### Requirement 19',
        '',
        '1. THE system SHALL log every export',
      ].join('\n'),
      tasks: [
        '- [ ] 1. Restore endpoint in `server/routes/archive.js`',
        '  - _Requirements: 11b.1, 11b.2_',
        '- [ ] 2. Export log in `server/lib/exportLog.js`',
        '  - _Requirements: 48a-48c, 19.1_',
        '- [ ] 3. Archive job in `server/jobs/archive.js`',
        '  - **Validates: Requirements 11.1, 11b**',
      ].join('\n'),
    },
    'archive',
  );
  assert.deepEqual(
    spec.requirements.slice(0, 3).map((r) => [r.id, r.criteria.map((c) => c.id)]),
    [
      ['REQ-11', ['REQ-11.1']],
      ['REQ-11b', ['REQ-11b.1', 'REQ-11b.2']],
      ['REQ-19', ['REQ-19.1']],
    ],
  );
  assert.deepEqual(
    spec.tasks.map((t) => [t.ref, t.cites]),
    [
      ['1', ['REQ-11b.1', 'REQ-11b.2']],
      ['2', ['REQ-48a', 'REQ-48b', 'REQ-48c', 'REQ-19.1']],
      ['3', ['REQ-11.1', 'REQ-11b']],
    ],
  );
  // The lettered ids the folder does not define are kept as requirements to review (a design-first link).
  assert.ok(
    spec.requirements.some((r) => r.id === 'REQ-48a' || r.criteria.some((c) => c.id === 'REQ-48a')),
    'REQ-48a kept',
  );
});

test('Spec Kit in a nested project: "### T2-001: …" heading tasks are read with their ids; "Parallel opportunities" and "Dependencies" lines are not tasks', () => {
  const dir = join(FIXTURES, 'speckit/nested-heading-tasks');
  const spec = readSpecKit(
    { spec: readFileSync(join(dir, 'spec.md'), 'utf8'), tasks: readFileSync(join(dir, 'tasks.md'), 'utf8') },
    '002-invoice-export',
  );
  assert.deepEqual(
    spec.requirements.map((r) => r.id),
    ['US-1', 'US-2', 'FR-001', 'FR-001a'],
  );
  assert.deepEqual(
    spec.tasks.map((t) => [t.ref, t.text, t.cites]),
    [
      ['T2-001', 'Add the CSV serialiser in server/lib/csv.js', ['US-1', 'FR-001', 'FR-001a']],
      ['T2-002', 'Export route in server/routes/invoices.js', ['US-1']],
      ['T3-001', 'Export button in web/src/invoices.js', ['US-2']],
      ['T3-002', 'Tell the accountants about the new export in the monthly newsletter', ['US-2']],
    ],
  );
  assert.deepEqual(spec.checklists ?? [], []);
});

test('a task that names no file and that nothing places, the model included, stops the approval before any agent runs, --yes too; --assign then lets it run', async () => {
  const h = await harness({
    layers: () => say.layers([{ task: 'T3-002', layer: 'none', reason: 'a newsletter, not code' }]),
  });
  try {
    cpSync(join(FIXTURES, 'speckit/nested-heading-tasks'), join(h.shop.dir, NESTED), { recursive: true });
    const refused = await engine.approveSpec(NESTED, h.options({ autoApprove: true, assumeYes: true })).then(
      () => undefined,
      (error: unknown) => error as Error & { code?: string },
    );
    assert.equal(refused?.code, 'E_DECLINED');
    assert.match(
      refused!.message,
      /task T3-002 names no file and no layer could be told for it, the model found no layer owning anything like it \(layers: database owns db\/\*\*; backend owns server\/\*\*; frontend owns web\/\*\*\); pick its layer \(--assign, or the layer picker in the sidebar\)/,
    );
    assert.match(refused!.message, /--assign "T3-002=<layer>"/);
    assert.match(refused!.message, /--yes does not skip this/);
    assert.deepEqual(
      h.calls.map((c) => c.agent),
      ['layers'],
      'nothing ran but the one proposal: decided before IMPLEMENT, never at COMPLETE',
    );
    assert.ok(!h.host.ofType('spec.approved').length);

    const specId = /^Spec (\S+) was not approved/.exec(refused!.message)![1]!;
    const listed = (await engine.listSpecs(h.shop.dir)).find((s) => s.id === specId)!;
    assert.deepEqual(
      (listed.unowned ?? []).map((u) => (u as { pick?: { task: string } }).pick?.task),
      ['T3-002'],
      'the sidebar offers the picker for it',
    );
    await engine.assignLayers(h.shop.dir, specId, [{ task: 'T3-002', layer: 'frontend' }]);
    const spec = await loadSpec(h.shop.dir, specId);
    assert.deepEqual(taskLines(spec.body), [
      '1. [ ] T2-001 Add the CSV serialiser in server/lib/csv.js; Quotes fields with commas (FR-001) and writes amounts with two decimals (FR-001a). (US-1, FR-001, FR-001a)',
      '2. [ ] T2-002 Export route in server/routes/invoices.js (US-1)',
      '3. [ ] T3-001 Export button in web/src/invoices.js (US-2)',
      '4. [ ] T3-002 Tell the accountants about the new export in the monthly newsletter (US-2) — layer: frontend (chosen when approving)',
    ]);
    assert.deepEqual((await engine.listSpecs(h.shop.dir)).find((s) => s.id === specId)!.unowned ?? [], []);
  } finally {
    await h.close();
  }
});

test('a folder whose tasks cannot be read is an error naming tasks.md (CLI: exit 2, one clear line), never an empty success', async () => {
  const shop = makeShop();
  try {
    cpSync(join(FIXTURES, 'speckit/unreadable-tasks'), join(shop.dir, 'specs/004-export'), { recursive: true });
    await assert.rejects(engine.importSpec(shop.dir, 'specs/004-export'), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'E_USAGE');
      assert.match(
        error.message,
        /^specs\/004-export\/tasks\.md: no task could be read \(expected "- \[ \] T001 …" items or "### T001: …" headings/,
      );
      return true;
    });
    assert.ok(
      !existsSync(join(shop.dir, 'spec', 'active')) || (await engine.listSpecs(shop.dir)).length === 0,
      'no spec was made',
    );
    const cli = spawnSync(process.execPath, [CLI, 'approve', 'specs/004-export', '--yes'], {
      cwd: shop.dir,
      encoding: 'utf8',
      env: { ...process.env, ANTHROPIC_API_KEY: 'test-key-0123456789abcdef' },
    });
    assert.equal(cli.status, 2, cli.stderr);
    assert.match(cli.stderr, /^orchestrator: specs\/004-export\/tasks\.md: no task could be read/);
    assert.equal(cli.stderr.trim().split('\n').length, 1, cli.stderr);
  } finally {
    shop.cleanup();
  }
});

test('layers named after projects: a task naming no file goes to the layer the census says plays its role (context file, frameworks, schema)', async () => {
  const shop = makeShop({
    git: false,
    // Folders that say nothing of a role: only the census does.
    config: (yaml) =>
      yaml
        .replace(
          /^layers:[\s\S]*?(?=^sync:)/m,
          [
            'layers:',
            '  vault: { owns: ["vault/**"], validate: ["node scripts/check-migrations.js vault"] }',
            '  ledger: { owns: ["ledger/**"], validate: ["node scripts/check-server.js ledger"] }',
            '  counter: { owns: ["counter/**"], validate: ["node scripts/check-server.js counter"], after: [ledger] }',
            '',
          ].join('\n'),
        )
        .replace('schema: ["db/**"]', 'schema: ["vault/**"]'),
    files: {
      '.claude/context/ledger.context.md':
        '# ledger agent\n\nYou implement the ledger part of an approved spec (the backend of this repository).\n',
      '.claude/context/counter.context.md':
        '# counter agent\n\n## Project\n- Folders: `web/`\n- Frameworks and tools: react, vite\n',
      '.kiro/specs/invoices/requirements.md':
        '# Requirements Document\n\n### Requirement 1: Invoices\n\n1. THE system SHALL keep invoices\n',
      '.kiro/specs/invoices/tasks.md': [
        '- [ ] 1. Create the domain entities and value objects for invoices',
        '  - _Requirements: 1.1_',
        '- [ ] 2. Add a migration for the invoices table',
        '  - _Requirements: 1.1_',
        '- [ ] 3. Render the invoice list page with its totals',
        '  - _Requirements: 1.1_',
        '- [ ] 4. Tell the support team about the new invoices',
        '  - _Requirements: 1.1_',
      ].join('\n'),
    },
  });
  try {
    mkdirSync(join(shop.dir, '.claude', 'context'), { recursive: true });
    writeFileSync(join(shop.dir, '.claude', 'context', 'vault.context.md'), '# vault agent\n');
    const imported = await engine.importSpec(shop.dir, '.kiro/specs/invoices');
    const lines = taskLines(readFileSync(join(shop.dir, imported.specPath), 'utf8'));
    assert.match(lines[0]!, /— layer: ledger \(from the task's wording; the census: ledger is the backend\)$/);
    assert.match(lines[1]!, /— layer: vault \(from the task's wording; the census: vault is the database\)$/);
    assert.match(lines[2]!, /— layer: counter \(from the task's wording; the census: counter is the frontend\)$/);
    assert.match(lines[3]!, /— no layer \(pick one when approving\)$/);
  } finally {
    shop.cleanup();
  }
});

test("summary sections are told by their whole title: Spec Kit's, in English, Spanish, Portuguese and Chinese; a phase that only mentions such a word keeps its tasks", () => {
  const summaries = [
    '## Parallel Opportunities',
    '## Parallel Example: User Story 1',
    '## Dependencies & Execution Order',
    '### Phase Dependencies',
    '### Within Each User Story',
    '## Implementation Strategy',
    '### MVP First (User Story 1 Only)',
    '## Notes',
    '**Parallel opportunities**:',
    '## Oportunidades de paralelismo',
    '## Dependências',
    '## 并行机会',
  ];
  const phases = [
    '## Phase 3: Sales opportunities',
    '### Opportunity pipeline',
    '## Phase 2: Foundational (Blocking Prerequisites)',
    '### Dependency injection setup',
    '## Phase 5: Polish & Cross-Cutting Concerns',
  ];
  const tasksUnder = (heading: string) =>
    readSpecKit(
      { spec: '### User Story 1 - A (Priority: P1)\n', tasks: `${heading}\n\n- [ ] T900 Something in server/x.js\n` },
      '009-x',
    ).tasks.map((t) => t.ref);
  for (const heading of summaries) assert.deepEqual(tasksUnder(heading), [], heading);
  for (const heading of phases) assert.deepEqual(tasksUnder(heading), ['T900'], heading);
});
