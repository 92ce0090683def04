// Every memory-graph variant docs/configuration.md names (fixtures in test/fixtures/memory, written from it).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readMemory } from '../../../src/core/project/registry/memoryParse';

const FIXTURES = join(__dirname, '../../fixtures/memory');
const read = (name: string) => readMemory(readFileSync(join(FIXTURES, name), 'utf8'), `.claude/${name}`);

test('canonical JSONL: key order varies, no trailing newline', () => {
  const { graph, warnings } = read('canonical.jsonl');
  assert.deepEqual(warnings, []);
  assert.deepEqual(
    graph.entities.map((e) => [e.name, e.entityType]),
    [
      ['Customer', 'Entity'],
      ['Order', 'Entity'],
      ['ShopConventions', 'Convention'],
    ],
  );
  assert.deepEqual(graph.relations, [
    { from: 'Customer', to: 'Order', relationType: 'places' },
    { from: 'Order', to: 'Customer', relationType: 'belongs to' },
  ]);
});

test('JSONL inside a .json file', () => {
  const { graph, warnings } = read('jsonl-in.json');
  assert.deepEqual(warnings, []);
  assert.deepEqual(
    graph.entities.map((e) => e.name),
    ['Invoice'],
  );
  assert.deepEqual(graph.relations, [{ from: 'Invoice', to: 'Order', relationType: 'bills' }]);
});

test('one JSON object on one line, under a .jsonl name, its relations holding an entity', () => {
  const { graph, warnings } = read('single-object-oneline.jsonl');
  assert.deepEqual(warnings, []);
  assert.deepEqual(
    graph.entities.map((e) => e.name),
    ['Ticket', 'Agent', 'SLA'],
  );
  assert.deepEqual(graph.entities[2], { name: 'SLA', entityType: 'Policy', observations: ['Replies within 4 hours'] });
  assert.deepEqual(graph.relations, [{ from: 'Agent', to: 'Ticket', relationType: 'handles' }]);
});

test('one pretty-printed JSON object, under .json and under .jsonl', () => {
  for (const name of ['single-object-pretty.json', 'single-object-pretty-named.jsonl']) {
    const { graph, warnings } = read(name);
    assert.deepEqual(warnings, [], name);
    assert.deepEqual(
      graph.entities.map((e) => e.name),
      ['Warehouse', 'Stock'],
      name,
    );
    assert.deepEqual(graph.entities[0]?.observations, ['Holds stock per product', 'Has a unique code']);
    assert.deepEqual(graph.relations, [{ from: 'Warehouse', to: 'Stock', relationType: 'holds' }], name);
  }
});

test('lines without "type": an entity has a name, a relation from/to', () => {
  const { graph, warnings } = read('no-type.jsonl');
  assert.deepEqual(warnings, []);
  assert.deepEqual(
    graph.entities.map((e) => e.name),
    ['Supplier', 'Product'],
  );
  assert.deepEqual(graph.relations, [{ from: 'Supplier', to: 'Product', relationType: 'ships' }]);
});

test('extra fields of newer servers (createdAt as ISO or Unix seconds, updatedAt, version, createdBy) are read past', () => {
  const { graph, warnings } = read('extra-fields.jsonl');
  assert.deepEqual(warnings, []);
  assert.deepEqual(graph.entities, [
    { name: 'Coupon', entityType: 'Entity', observations: ['Codes are upper case'] },
    { name: 'Discount', entityType: 'Entity', observations: ['At most 50 percent'] },
  ]);
  assert.deepEqual(graph.relations, [{ from: 'Coupon', to: 'Discount', relationType: 'grants' }]);
});

test('the traps: prose first line, duplicate entities merged, dangling and nested relations kept, blank and junk lines', () => {
  const { graph, warnings } = read('traps.jsonl');
  assert.deepEqual(
    graph.entities.map((e) => e.name),
    ['Customer', 'Order'],
  );
  // Duplicate lines of Customer: one entity, the first type, every observation once.
  assert.deepEqual(graph.entities[0], {
    name: 'Customer',
    entityType: 'Entity',
    observations: ['Emails are unique', 'Soft-deleted, never removed'],
  });
  assert.deepEqual(graph.relations, [
    { from: 'Customer', to: 'LoyaltyCard', relationType: 'holds' }, // to an entity that does not exist: kept
    { from: 'Order', to: 'Customer', relationType: 'placed by' }, // nested in Order, `from` implied
    { from: 'Order', to: 'OrderLine', relationType: 'has' },
    { from: 'Customer', to: 'LoyaltyCard', relationType: 'holds' }, // re-appended: kept as written (harmless)
  ]);
  assert.deepEqual(warnings, [
    '.claude/traps.jsonl:1 not a JSON line, skipped: Knowledge graph exported for the shop project',
    '.claude/traps.jsonl:8 not a JSON line, skipped: {"type":"entity","name":"Broken","entityType":"Entity","obse…',
  ]);
});

test('items that are not entities or relations are skipped with their line and why', () => {
  const { graph, warnings } = readMemory(
    [
      '{"type":"entity","name":"A","entityType":"E"}',
      '[1]',
      '{"type":"observation","entityName":"A"}',
      '{"type":"relation","from":"A"}',
      '{"entityType":"E"}',
      '{"type":"entity","name":""}',
    ].join('\n'),
    'mem.jsonl',
  );
  assert.deepEqual(
    graph.entities.map((e) => e.name),
    ['A'],
  );
  assert.deepEqual(warnings, [
    'mem.jsonl:2 expected an entity or a relation, got a number (1); skipped',
    'mem.jsonl:3 unknown type "observation"; skipped',
    'mem.jsonl:4 relation without "from" or "to"; skipped',
    'mem.jsonl:5 neither an entity (no "name") nor a relation (no "from"/"to"); skipped',
    'mem.jsonl:6 entity without a name (""); skipped',
  ]);
});

test('a pretty-printed document that does not parse: one warning at its syntax error, nothing read', () => {
  const { graph, warnings } = readMemory('{\n  "entities": [\n    { "name": "A" },\n  ]\n}\n', 'mem.json');
  assert.deepEqual(graph, { entities: [], relations: [] });
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /^mem\.json:4:3 JSON syntax error: .*; the memory graph was not read$/);
});

test('a document after a prose line, and problems inside it named by line and key', () => {
  const text =
    'exported 2026-11-02\n{\n  "entities": [\n    { "name": "A", "entityType": "E" },\n    7\n  ],\n  "relations": []\n}\n';
  const { graph, warnings } = readMemory(text, 'mem.json');
  assert.deepEqual(
    graph.entities.map((e) => e.name),
    ['A'],
  );
  assert.deepEqual(warnings, [
    'mem.json:5:5 entities[1]: expected an entity or a relation, got a number (7); skipped',
    'mem.json:1 line before the JSON document skipped',
  ]);
});

test('thousands of junk lines: five named, the rest counted', () => {
  const text = Array.from({ length: 3000 }, (_, i) =>
    i % 2 === 0 ? `junk ${i}` : `{"type":"entity","name":"E${i}","entityType":"T"}`,
  ).join('\n');
  const { graph, warnings } = readMemory(text, 'm.jsonl');
  assert.equal(graph.entities.length, 1500);
  assert.equal(warnings.length, 6);
  assert.equal(warnings[5], 'm.jsonl: 1495 more problems like these (not listed)');
});
