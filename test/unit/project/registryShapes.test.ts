// Every registry shape docs/configuration.md names loads (fixtures in test/fixtures/registry, written from it),
// and each says what UNDERSTAND and the agents' prompts use: refs, sub/subs, pattern, enums.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  describeEntity,
  findEntity,
  loadRegistry,
  newEntityGuide,
  parseRegistry,
  patternOf,
} from '../../../src/core/project/registry/registry';
import { inTempWorkspace } from '../../support/tempWorkspace';

const FIXTURES = join(__dirname, '../../fixtures/registry');
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');
const load = (name: string) => parseRegistry(fixture(name));

test('2.1: `_p` templates, `_placeholder: 0`, number-valued entities, flag objects with `sub` as a string', () => {
  const registry = load('v2.1-flags.json');
  assert.deepEqual(registry.warnings, []);
  assert.deepEqual([...registry.entities.keys()], ['Company', 'Invoice', 'InvoiceLine', 'ApiKey', 'PartnerCategory']);
  assert.equal(registry.files[0]?.format.family, 'v2');

  const invoice = describeEntity(registry, 'invoice')!;
  assert.deepEqual(invoice.subs, ['InvoiceLine', 'InvoiceNote']);
  assert.deepEqual(invoice.enums, { InvoiceStatus: undefined }, 'named by the entry, values not in the file');
  assert.deepEqual(invoice.paths, [
    'db: packages/db/src/schema/invoice.ts',
    'be.root: services/api/Modules/Invoices/',
    'be.svc: Services/InvoiceService.cs',
    'be.repo: Repositories/InvoiceRepository.cs',
    'fe.page: apps/web/app/invoices/',
    'fe.hook: apps/web/hooks/use-invoices.ts',
    'mod: src/modules/Invoice/',
  ]);
  assert.ok(
    invoice.details.includes('cplx: 1') && invoice.details.includes('(legend) cplx = complex entity'),
    invoice.details.join('\n'),
  );

  const line = describeEntity(registry, 'InvoiceLine')!;
  assert.equal(line.parent, 'Invoice');
  assert.deepEqual(line.subs, []);
  assert.ok(line.details.includes('x: DL'));
  assert.equal(
    describeEntity(registry, 'ApiKey')?.paths[0],
    'db: packages/db/src/schema/api-keys.ts',
    'the `db` flag overrides the kebab name',
  );
  const company = describeEntity(registry, 'Company')!;
  assert.equal(company.entry, 1);
  assert.deepEqual([company.refs, company.subs], [[], []]);
  assert.ok(company.details.some((d) => d.startsWith('(legend) 1 = all defaults')));
  assert.equal(findEntity(registry, '_placeholder'), undefined);
  assert.equal(newEntityGuide(registry, 'PaymentTerm').paths[0], 'db: packages/db/src/schema/payment-term.ts');
  assert.deepEqual(newEntityGuide(registry, 'PaymentTerm').integration, [
    'db: packages/db/src/schema/index.ts',
    'be: services/api/Infra/MapConfig.cs',
  ]);
});

test('2.1 with the compact `_m` metadata, on one line', () => {
  const registry = load('v2.1-compact-meta.json');
  assert.deepEqual(registry.warnings, []);
  assert.equal(registry.files[0]?.format.version, '2.1');
  assert.equal(describeEntity(registry, 'Branch')?.parent, 'Company');
  assert.deepEqual(describeEntity(registry, 'Branch')?.paths, ['be: src/modules/Branch/']);
});

test('3.1: `_patterns` kind → entity, `_enums` lists, `sub` lists, `{}` entities, unknown keys', () => {
  const registry = load('v3.1-sub.json');
  assert.deepEqual(registry.warnings, []);
  assert.equal(registry.files[0]?.format.childKey, 'sub');
  const customer = describeEntity(registry, 'Customer')!;
  assert.deepEqual(customer.subs, ['CustomerAddress', 'CustomerContact']);
  assert.deepEqual(customer.refs, ['Country']);
  assert.equal(customer.pattern, 'withTabs');
  assert.equal(customer.referenceModule, 'Customer');
  assert.deepEqual(customer.enums, { CustomerKind: ['Person', 'Company'] });
  const order = describeEntity(registry, 'order')!;
  assert.deepEqual([order.pattern, order.referenceModule, order.subs], ['withSubItems', 'Order', ['OrderLine']]);
  assert.deepEqual(order.enums, { OrderStatus: ['Draft', 'Placed', 'Shipped', 'Cancelled'] });
  assert.deepEqual(order.details, ['owner: sales-team']);
  assert.equal(patternOf(registry, 'Country'), 'simple');
  assert.deepEqual(describeEntity(registry, 'Tag'), {
    name: 'Tag',
    registryFile: '.claude/entity-registry.json',
    project: '',
    entry: {},
    refs: [],
    subs: [],
    enums: {},
    paths: [],
    conventions: [],
    details: [],
  });
  assert.deepEqual(describeEntity(registry, 'OrderLine')?.refs, ['Order', 'Product']);
});

test('4.0: language-keyed `_patterns`, enum objects and lists, `{file, refs}`, wikilinks, namespaced and dangling refs, snake_case beside PascalCase', () => {
  const registry = load('v4.0-languages.json');
  assert.deepEqual(registry.warnings, []);
  assert.deepEqual(Object.keys(registry.patterns), [], 'no kind → module patterns in 4.0');
  assert.deepEqual(
    registry.conventions.map(([language]) => language),
    ['typescript', 'rust'],
  );

  const row = describeEntity(registry, 'SpecRow')!;
  assert.equal(row.file, 'apps/dashboard/src/entities/spec-row.ts');
  assert.deepEqual(row.refs, [
    'Project',
    'Workspace',
    'ReviewNote',
    'Ghost (not in the registry)',
    'billing.entity.invoice (not in the registry)',
  ]);
  assert.deepEqual(row.enums, {
    SpecState: { values: ['draft', 'approved', '...(9 total)'], file: 'apps/dashboard/src/enums/spec-state.ts' },
  });
  assert.ok(
    row.details.includes('namespace: dashboard.entity') && row.details.includes('interfaces: ["Auditable"]'),
    row.details.join('\n'),
  );
  // The conventions of its language (from the file's extension), plain keys before statistics.
  assert.equal(row.conventions[0], 'typescript.orm: drizzle');
  assert.ok(row.conventions.includes('typescript.entity.folder: apps/dashboard/src/entities'));
  assert.ok(row.conventions.includes('typescript._discovered: 2 entries'));
  assert.ok(row.conventions.every((c) => c.startsWith('typescript.')));

  const project = describeEntity(registry, 'Project')!;
  assert.deepEqual([project.refs, project.subs], [['Workspace'], ['Milestone']]);
  assert.deepEqual(Object.keys(project.enums), ['ProjectStatus']);
  assert.ok(
    project.conventions.includes('rust.framework: axum') && project.conventions.every((c) => c.startsWith('rust.')),
  );

  assert.equal(findEntity(registry, 'spec_row')?.name, 'spec_row');
  assert.equal(findEntity(registry, 'specrow')?.name, 'SpecRow');
  assert.deepEqual(
    describeEntity(registry, 'ReviewNote')?.refs,
    ['SpecRow'],
    '[[dashboard.entity.spec-row]] → SpecRow',
  );
  assert.deepEqual(describeEntity(registry, 'Severity'), undefined);
  assert.deepEqual(registry.enums.get('Severity'), ['low', 'medium', 'high']);
});

test('no `_meta`, empty skeletons with and without a final newline, `{}`', () => {
  const ours = load('no-meta.json');
  assert.deepEqual(ours.warnings, []);
  assert.equal(ours.files[0]?.format.family, 'ours');
  assert.deepEqual(describeEntity(ours, 'Order')?.subs, ['OrderLine']);
  assert.equal(describeEntity(ours, 'Customer')?.referenceModule, 'server/entities/customer.js');
  for (const [name, finalNewline] of [
    ['skeleton.json', true],
    ['skeleton-no-newline.json', false],
    ['empty-object.json', false],
  ] as const) {
    const registry = load(name);
    assert.deepEqual(registry.warnings, [], name);
    assert.equal(registry.entities.size, 0, name);
    assert.equal(registry.files[0]?.format.text.finalNewline, finalNewline, name);
  }
});

test('an unknown future version and values we cannot use: warnings, and everything else is read', () => {
  const registry = load('future-v5.json');
  assert.deepEqual(registry.warnings, [
    '.claude/entity-registry.json: registry version 5.0 is not one this Orchestrator knows (2.1, 3.1, 4.0); read as far as its shape goes',
    '.claude/entity-registry.json:7:38 e.Thing.refs[1]: expected a name, got a number (7); ignored',
    '.claude/entity-registry.json:7:59 e.Thing.pattern: expected a pattern kind, got a list; ignored',
    '.claude/entity-registry.json:8:5 e.Other: expected an entity object or a number, got "a string entity"; skipped',
    '.claude/entity-registry.json:9:25 e.Parent.sub[0]: expected a name, got a mapping; ignored',
    '.claude/entity-registry.json: 2 more problems like these (not listed)',
  ]);
  const thing = describeEntity(registry, 'Thing')!;
  assert.deepEqual([thing.refs, thing.parent, thing.pattern], [['Other (not in the registry)'], 'Parent', 'simple']);
  assert.deepEqual(registry.enums.get('Size'), ['S', 'M']);
  assert.equal(registry.files[0]?.writable, true);
});

test("subproject registries load beside the workspace's own; dependency folders are not searched", async () => {
  await inTempWorkspace(
    {
      '.claude/entity-registry.json': fixture('v3.1-sub.json'),
      'apps/dashboard/.claude/entity-registry.json': fixture('v4.0-languages.json'),
      'apps/api/.claude/entity-registry.json': fixture('skeleton-no-newline.json'),
      'node_modules/some-kit/.claude/entity-registry.json': '{"e":{"Leaked":{}}}',
      'apps/web/.claude/settings.json': '{}',
    },
    async (dir) => {
      const registry = await loadRegistry(dir);
      assert.deepEqual(
        registry.files.map((f) => [f.path, f.project]),
        [
          ['.claude/entity-registry.json', ''],
          ['apps/api/.claude/entity-registry.json', 'apps/api'],
          ['apps/dashboard/.claude/entity-registry.json', 'apps/dashboard'],
        ],
      );
      assert.equal(findEntity(registry, 'Leaked'), undefined);
      const row = describeEntity(registry, 'SpecRow')!;
      assert.deepEqual(
        [row.project, row.registryFile],
        ['apps/dashboard', 'apps/dashboard/.claude/entity-registry.json'],
      );
      assert.equal(describeEntity(registry, 'Customer')?.project, '');
      assert.equal(registry.entities.size, 11 + 6);
    },
  );
});

test('broken JSON in a subproject registry still stops with file:line:col', async () => {
  await inTempWorkspace({ 'apps/dashboard/.claude/entity-registry.json': '{\n  "e": {,}\n}' }, async (dir) => {
    await assert.rejects(
      loadRegistry(dir),
      /^ProjectFileError: apps\/dashboard\/\.claude\/entity-registry\.json:2:9 JSON syntax error/,
    );
  });
});
