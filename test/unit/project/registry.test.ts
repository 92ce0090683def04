import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { ProjectFileError } from '../../../src/core/project/sources/errors';
import {
  describeEntity,
  findEntity,
  loadRegistry,
  parseRegistry,
  referenceModule,
  relatedEnums,
} from '../../../src/core/project/registry/registry';
import { saveRegistry, upsertEntity } from '../../../src/core/project/registry/registryWrite';
import { inTempWorkspace } from '../../support/tempWorkspace';

const REGISTRY = `{
  "_patterns": {
    "simple": "Country",
    "withSubItems": "Order"
  },
  "_enums": {
    "OrderStatus": ["Open", "Closed"],
    "PaymentMethod": ["Card", "Cash"],
    "CountryRegion": ["EU"]
  },
  "e": {
    "Country": { "refs": [], "subs": [] },
    "Order": { "table": "orders", "refs": ["Customer"], "subs": ["OrderLine"], "pattern": "withSubItems", "fields": { "status": "OrderStatus", "paidWith": "PaymentMethod?" } },
    "Customer": { "refs": ["Country"], "subs": [], "pattern": "simple" },
    "customer": { "refs": [], "subs": [] }
  },
  "_generatedBy": "sync-registry.js"
}
`;

const refsOf = (record: { value: unknown } | undefined): unknown =>
  (record?.value as { refs?: unknown } | undefined)?.refs;

function assertRegistryError(text: string, expected: string): void {
  assert.throws(
    () => parseRegistry(text),
    (error: unknown) => {
      assert.ok(error instanceof ProjectFileError, String(error));
      assert.equal(error.message, expected);
      return true;
    },
  );
}

test('look-up: exact name first, then case-insensitive', () => {
  const registry = parseRegistry(REGISTRY);
  assert.deepEqual(refsOf(findEntity(registry, 'customer')), []);
  assert.deepEqual(refsOf(findEntity(registry, 'Customer')), ['Country']);
  assert.equal(findEntity(registry, 'ORDER')?.name, 'Order');
  assert.equal(findEntity(registry, 'Invoice'), undefined);
  assert.equal(findEntity(registry, 'constructor'), undefined);
});

test('describeEntity resolves pattern, reference module, refs, subs and enums', () => {
  const registry = parseRegistry(REGISTRY);
  const order = describeEntity(registry, 'order');
  assert.ok(order);
  assert.equal(order.name, 'Order');
  assert.equal(order.pattern, 'withSubItems');
  assert.equal(order.referenceModule, 'Order');
  assert.deepEqual(order.refs, ['Customer']);
  assert.deepEqual(order.subs, ['OrderLine']);
  assert.deepEqual(order.enums, { OrderStatus: ['Open', 'Closed'], PaymentMethod: ['Card', 'Cash'] });
  // No own pattern: the entity is the reference module of a kind.
  assert.equal(describeEntity(registry, 'Country')?.pattern, 'simple');
  assert.deepEqual(relatedEnums(registry, 'Country'), { CountryRegion: ['EU'] });
  assert.equal(referenceModule(registry, 'SIMPLE'), 'Country');
  assert.equal(referenceModule(registry, 'manyToMany'), undefined);
  assert.equal(describeEntity(registry, 'Nope'), undefined);
});

test('a missing registry file is an empty registry', async () => {
  await inTempWorkspace({}, async (dir) => {
    const registry = await loadRegistry(dir);
    assert.equal(findEntity(registry, 'Order'), undefined);
  });
});

test('broken JSON names the line and column', () => {
  assertRegistryError(
    '{\n  "e": {\n    "A": { "refs": [] },\n  }\n}\n',
    '.claude/entity-registry.json:4:3 JSON syntax error: Expected double-quoted property name',
  );
  assertRegistryError(
    '{\n  "e": {\n    "A": { "refs": [x] }\n  }\n}\n',
    ".claude/entity-registry.json:3:21 JSON syntax error: Unexpected token 'x'",
  );
});

test('content we cannot use is a warning naming its key path and line; the rest is read', () => {
  const registry = parseRegistry(
    '{\n  "e": {\n    "Order": { "refs": [] },\n    "Customer": {\n      "refs": ["Country", 3]\n    },\n    "Bad": "x"\n  }\n}\n',
  );
  assert.deepEqual(registry.warnings, [
    '.claude/entity-registry.json:5:27 e.Customer.refs[1]: expected a name, got a number (3); ignored',
    '.claude/entity-registry.json:7:5 e.Bad: expected an entity object or a number, got "x"; skipped',
  ]);
  assert.deepEqual(describeEntity(registry, 'Customer')?.refs, ['Country (not in the registry)']);
  assert.deepEqual(parseRegistry('{\n  "_patterns": { "simple": 3 }\n}').warnings, [
    '.claude/entity-registry.json:2:18 _patterns.simple: expected a reference (text) or a conventions object, got a number (3); ignored',
  ]);
  const list = parseRegistry('[]');
  assert.deepEqual(list.warnings, [
    '.claude/entity-registry.json:1:1 expected a JSON object with the entities under "e", got a list; read as an empty registry and never written',
  ]);
  assert.equal(list.files[0]?.writable, false);
  assert.throws(
    () => upsertEntity(list, 'Tag', {}),
    /\.claude\/entity-registry\.json was not understood, so it is not written/,
  );
});

test('upsert merges into the existing entry and save keeps order, unknown keys and 2-space format', async () => {
  await inTempWorkspace({ '.claude/entity-registry.json': REGISTRY }, async (dir) => {
    const registry = await loadRegistry(dir);
    assert.equal(upsertEntity(registry, 'ORDER', { refs: ['Customer', 'Country'] }), 'Order');
    assert.equal(upsertEntity(registry, 'Invoice', { refs: ['Order'], subs: [], pattern: 'simple' }), 'Invoice');
    await saveRegistry(dir, registry);
    const text = await readFile(join(dir, '.claude/entity-registry.json'), 'utf8');
    assert.ok(text.startsWith('{\n  "_patterns": {\n    "simple": "Country",'));
    assert.ok(text.endsWith('}\n'));
    const saved = JSON.parse(text);
    assert.deepEqual(Object.keys(saved), ['_patterns', '_enums', 'e', '_generatedBy']);
    assert.deepEqual(Object.keys(saved.e.Order), ['table', 'refs', 'subs', 'pattern', 'fields']);
    assert.deepEqual(saved.e.Order.refs, ['Customer', 'Country']);
    assert.deepEqual(saved.e.Invoice, { refs: ['Order'], subs: [], pattern: 'simple' });
    const reloaded = await loadRegistry(dir);
    assert.equal(findEntity(reloaded, 'invoice')?.name, 'Invoice');
  });
});

test('save creates .claude/ when the registry did not exist, in our shape; nothing changed, nothing written', async () => {
  await inTempWorkspace({}, async (dir) => {
    const registry = await loadRegistry(dir);
    await saveRegistry(dir, registry);
    await assert.rejects(readFile(join(dir, '.claude/entity-registry.json'), 'utf8'), /ENOENT/);
    upsertEntity(registry, 'Tag', {});
    await saveRegistry(dir, registry);
    assert.deepEqual(JSON.parse(await readFile(join(dir, '.claude/entity-registry.json'), 'utf8')), {
      _patterns: {},
      _enums: {},
      e: { Tag: { refs: [], subs: [] } },
    });
  });
});

test('a 10,000-entity registry loads and answers look-ups through its index', () => {
  const entities: Record<string, unknown> = {};
  for (let i = 0; i < 10_000; i++)
    entities[`Entity${i}`] = { refs: [`Entity${(i + 1) % 10_000}`], subs: [], pattern: 'simple' };
  const text = JSON.stringify(
    { _patterns: { simple: 'Entity0' }, _enums: { Entity9999Kind: ['A'] }, e: entities },
    null,
    2,
  );
  const registry = parseRegistry(text);
  assert.equal(registry.index.size, 10_000);
  assert.equal(findEntity(registry, 'entity9999')?.name, 'Entity9999');
  assert.deepEqual(describeEntity(registry, 'ENTITY9999')?.enums, { Entity9999Kind: ['A'] });
  assert.deepEqual(describeEntity(registry, 'Entity5000')?.refs, ['Entity5001']);
});
