import assert from 'node:assert/strict';
import { test } from 'node:test';
import { grainSummary, readGrainModel, type GrainModel } from '../../../src/core/mustard';
import { describeUnderstanding, understand } from '../../../src/core/pipeline/phases/understand';
import type { OrchestratorConfig } from '../../../src/core/project/config/config';
import { emptyRegistry, parseRegistry } from '../../../src/core/project/registry/registry';
import { largeGrainModel } from '../../support/grainModel';
import { tempWorkspace } from '../../support/tempWorkspace';

const config = {
  layers: {
    rt: { owns: ['apps/rt/**'], after: [] },
    web: { owns: ['apps/web/**'], after: [] },
    docs: { owns: ['docs/**'], after: [] },
  },
} as unknown as OrchestratorConfig;

const model: GrainModel = {
  languages: [],
  manifests: [],
  frameworks: [],
  skeleton: [],
  modules: [
    { path: 'apps/rt/src/services/order_line_service.rs', imports: [] },
    { path: 'apps/rt/src/repositories/OrderLineRepository.rs', imports: [] },
    { path: 'apps/web/src/components/InvoiceProps.tsx', imports: [] },
  ],
  roles: [
    { affix: 'Service', kind: 'suffix', count: 12, dirs: ['apps/rt/src/services'], commonDir: 'apps/rt/src/services' },
    { affix: 'Repository', kind: 'suffix', count: 5, dirs: ['apps/rt/src/repositories'] },
    {
      affix: 'Props',
      kind: 'suffix',
      count: 30,
      dirs: ['apps/web/src/components'],
      commonDir: 'apps/web/src/components',
    },
  ],
  conventions: [{ name: 'service-layer', roles: ['Service', 'Repository'], entities: ['Customer'] }],
  projects: [],
  detectedStacks: [],
  sharedContracts: [],
  topFanIn: [],
};
const memory = { entities: [], relations: [] };

test('UNDERSTAND without a registry: a name the grain model knows is found in any spelling, with the layers owning its modules', () => {
  const lines = understand('Show the order lines total on the checkout', {
    config,
    registry: emptyRegistry(),
    memory,
    mustard: { grain: model },
  });
  assert.deepEqual(lines, {
    entity: 'OrderLine',
    known: true,
    layers: ['rt'],
    pattern: null,
    modules: ['apps/rt/src/services/order_line_service.rs', 'apps/rt/src/repositories/OrderLineRepository.rs'],
  });
  const invoice = understand('Add a due date to the invoice card', {
    config,
    registry: emptyRegistry(),
    memory,
    mustard: { grain: model },
  });
  assert.deepEqual(invoice, {
    entity: 'Invoice',
    known: true,
    layers: ['web'],
    pattern: null,
    modules: ['apps/web/src/components/InvoiceProps.tsx'],
  });
  // A convention's entity with no module named after it: known, with its convention as the pattern, every layer.
  const customer = understand('Let customers change their e-mail', {
    config,
    registry: emptyRegistry(),
    memory,
    mustard: { grain: model },
  });
  assert.deepEqual(customer, {
    entity: 'Customer',
    known: true,
    layers: ['rt', 'web', 'docs'],
    pattern: 'service-layer',
  });
  const none = understand('Make the footer darker', {
    config,
    registry: emptyRegistry(),
    memory,
    mustard: { grain: model },
  });
  assert.deepEqual(none, { entity: null, known: false, layers: ['rt', 'web', 'docs'], pattern: null });
});

test('UNDERSTAND without a registry: a request naming a feature, not an entity, gets the modules whose paths carry its words (best first), for the spec prompt too', () => {
  const grain: GrainModel = {
    ...model,
    modules: [
      { path: 'apps/web/src/billing/InvoiceExportButton.tsx', imports: [] },
      { path: 'apps/rt/src/billing/invoice_export.rs', imports: [] },
      { path: 'apps/rt/src/billing/invoice.rs', imports: [] },
      { path: 'apps/rt/src/export/mod.rs', imports: [] },
      { path: 'apps/web/src/settings/Theme.tsx', imports: [] },
      { path: 'apps/web/src/lib/index.ts', imports: [] },
    ],
    roles: [],
    conventions: [],
  };
  const result = understand('Let accountants export invoices as CSV', {
    config,
    registry: emptyRegistry(),
    memory,
    mustard: { grain },
  });
  assert.equal(result.entity, null);
  assert.deepEqual(result.modules, [
    'apps/rt/src/billing/invoice_export.rs',
    'apps/web/src/billing/InvoiceExportButton.tsx',
    'apps/rt/src/export/mod.rs',
    'apps/rt/src/billing/invoice.rs',
  ]);
  assert.match(
    describeUnderstanding(result),
    /Modules related to the request \(their paths carry its words; from \.claude\/grain\.model\.json\): `apps\/rt\/src\/billing\/invoice_export\.rs`, `apps\/web\/src\/billing\/InvoiceExportButton\.tsx`/,
  );
  assert.equal(
    understand('Make the footer darker', { config, registry: emptyRegistry(), memory, mustard: { grain } }).modules,
    undefined,
  );
});

test('UNDERSTAND with an entity registry ignores the grain model', () => {
  const registry = parseRegistry('{"e": {"Shipment": {"refs": [], "subs": []}}}');
  const result = understand('Show the order lines total', { config, registry, memory, mustard: { grain: model } });
  assert.deepEqual(result, { entity: null, known: false, layers: ['rt', 'web', 'docs'], pattern: null });
});

test("a layer's part of the grain model: only its conventions; a layer working in none of it gets nothing", () => {
  assert.equal(
    grainSummary(model, config, 'rt'),
    'Naming conventions (follow them for new files and types):\n- *Service: 12 in the code, mostly in apps/rt/src/services/\n- *Repository: 5 in the code\nConventions:\n- service-layer: roles Service, Repository; entities Customer',
  );
  assert.equal(
    grainSummary(model, config, 'web'),
    'Naming conventions (follow them for new files and types):\n- *Props: 30 in the code, mostly in apps/web/src/components/',
  );
  assert.equal(grainSummary(model, config, 'docs'), undefined);
});

test('the summary of a 2.4 MB model stays a few kilobytes', async () => {
  const ws = await tempWorkspace({ '.claude/grain.model.json': largeGrainModel(2.4 * 2 ** 20) });
  try {
    const { model: large } = await readGrainModel(ws.dir);
    assert.ok(large);
    const whole = grainSummary(large, config) ?? '';
    assert.ok(whole.length > 200 && whole.length < 4000, `${whole.length} characters`);
    assert.match(whole, /\(\d{4,} modules mapped in \.claude\/grain\.model\.json\)$/);
  } finally {
    await ws.cleanup();
  }
});
