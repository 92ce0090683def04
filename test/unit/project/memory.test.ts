import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  findMemoryEntity,
  loadMemory,
  memoryIndex,
  openNodes,
  parseMemory,
  relationsOf,
  searchNodes,
} from '../../../src/core/project/registry/memory';
import { readMemory } from '../../../src/core/project/registry/memoryParse';
import { inTempWorkspace } from '../../support/tempWorkspace';

const GRAPH = [
  '{"type":"entity","name":"Order","entityType":"Entity","observations":["Pattern: withSubItems","Layers: database, backend, frontend"]}',
  '{"type":"entity","name":"OrderLine","entityType":"SubEntity","observations":["Belongs to Order"]}',
  '{"type":"entity","name":"Customer","entityType":"Entity","observations":["Uses soft delete"]}',
  '',
  '{"type":"entity","name":"Conventions","entityType":"Architecture","observations":["Controllers live in server/api"]}',
  '{"type":"relation","from":"Order","to":"Customer","relationType":"references"}',
  '{"type":"relation","from":"Order","to":"OrderLine","relationType":"owns"}',
  '{"type":"relation","from":"Conventions","to":"Order","relationType":"describes"}',
].join('\n');

function assertMemoryWarnings(text: string, expected: string[]): void {
  assert.deepEqual(readMemory(text, '.claude/memory.jsonl').warnings, expected);
}

test('parses entities and relations, skipping blank lines', () => {
  const graph = parseMemory(`${GRAPH}\r\n`);
  assert.equal(graph.entities.length, 4);
  assert.equal(graph.relations.length, 3);
  assert.deepEqual(graph.entities[0], {
    name: 'Order',
    entityType: 'Entity',
    observations: ['Pattern: withSubItems', 'Layers: database, backend, frontend'],
  });
});

test('searchNodes matches name, type and observations case-insensitively', () => {
  const graph = parseMemory(GRAPH);
  assert.deepEqual(
    searchNodes(graph, 'order').entities.map((e) => e.name),
    ['Order', 'OrderLine'],
  );
  assert.deepEqual(
    searchNodes(graph, 'ARCHITECTURE').entities.map((e) => e.name),
    ['Conventions'],
  );
  assert.deepEqual(
    searchNodes(graph, 'soft DELETE').entities.map((e) => e.name),
    ['Customer'],
  );
  assert.deepEqual(searchNodes(graph, 'order').relations, [{ from: 'Order', to: 'OrderLine', relationType: 'owns' }]);
  assert.deepEqual(searchNodes(graph, 'Invoice'), { entities: [], relations: [] });
});

test('openNodes returns exactly the named entities and the relations between them', () => {
  const graph = parseMemory(GRAPH);
  const opened = openNodes(graph, ['Order', 'Customer', 'Missing']);
  assert.deepEqual(
    opened.entities.map((e) => e.name),
    ['Order', 'Customer'],
  );
  assert.deepEqual(opened.relations, [{ from: 'Order', to: 'Customer', relationType: 'references' }]);
  assert.deepEqual(openNodes(graph, ['order']).entities, []);
});

test('relationsOf lists relations in both directions', () => {
  const graph = parseMemory(GRAPH);
  assert.deepEqual(
    relationsOf(graph, 'Order').map((r) => r.relationType),
    ['references', 'owns', 'describes'],
  );
  assert.deepEqual(relationsOf(graph, 'Nobody'), []);
});

test('the memory file is optional', async () => {
  await inTempWorkspace({}, async (dir) => {
    assert.deepEqual(await loadMemory(dir), { graph: { entities: [], relations: [] }, warnings: [] });
  });
});

test('loadMemory reads .claude/memory.jsonl', async () => {
  await inTempWorkspace({ '.claude/memory.jsonl': GRAPH }, async (dir) => {
    assert.equal((await loadMemory(dir)).graph.entities.length, 4);
  });
});

test('a broken line is skipped with a warning naming its line; the rest is read', () => {
  const lines = GRAPH.split('\n');
  lines.splice(2, 0, '{"type":"entity","name":"Broken","entityType":"X"');
  const text = lines.join('\n');
  assert.equal(parseMemory(text).entities.length, 4);
  assertMemoryWarnings(text, [
    '.claude/memory.jsonl:3 not a JSON line, skipped: {"type":"entity","name":"Broken","entityType":"X"',
  ]);
});

test('items of a shape we cannot use are skipped with their line; odd observations are kept as text', () => {
  const graph = parseMemory(`${GRAPH}\n{"type":"entity","name":"X","entityType":"Y","observations":["ok",7]}`);
  assert.deepEqual(graph.entities.at(-1), { name: 'X', entityType: 'Y', observations: ['ok', '7'] });
  assertMemoryWarnings('\n{"type":"node","name":"X"}', ['.claude/memory.jsonl:2 unknown type "node"; skipped']);
  assertMemoryWarnings('{"type":"relation","from":"A","relationType":"r"}', [
    '.claude/memory.jsonl:1 relation without "from" or "to"; skipped',
  ]);
  assertMemoryWarnings('[1]', [
    '.claude/memory.jsonl:1:2 [0]: expected an entity or a relation, got a number (1); skipped',
  ]);
  assertMemoryWarnings('{"type":"entity","name":"","entityType":"E"}', [
    '.claude/memory.jsonl:1 entity without a name (""); skipped',
  ]);
  assertMemoryWarnings('{"type":"relation","from":"A","to":"","relationType":"r"}', [
    '.claude/memory.jsonl:1 relation without "from" or "to"; skipped',
  ]);
  assert.deepEqual(parseMemory('{"type":"entity","name":"X","entityType":"E","observations":null}').entities, [
    { name: 'X', entityType: 'E', observations: [] },
  ]);
});

test('valid lines keep only the known fields; missing observations default to []', () => {
  const graph = parseMemory(
    [
      '{"type":"entity","name":"Tag","entityType":"Entity","extra":{"deep":[1]}}',
      '  {"type":"relation","from":"Tag","to":"Order","relationType":"labels","weight":2}  ',
      '{"type":"entity","name":"Note","entityType":"Entity","observations":[]}',
    ].join('\r\n'),
  );
  assert.deepEqual(graph, {
    entities: [
      { name: 'Tag', entityType: 'Entity', observations: [] },
      { name: 'Note', entityType: 'Entity', observations: [] },
    ],
    relations: [{ from: 'Tag', to: 'Order', relationType: 'labels' }],
  });
});

test('memoryIndex: lower-case names, first entity of a name wins, conventions left out of subjects', () => {
  const graph = parseMemory(
    `${GRAPH}\n{"type":"entity","name":"ORDER","entityType":"Entity","observations":["duplicate"]}`,
  );
  const index = memoryIndex(graph);
  assert.equal(index.all.get('order')?.observations[0], 'Pattern: withSubItems');
  assert.equal(findMemoryEntity(graph, 'orDer')?.name, 'Order');
  assert.equal(findMemoryEntity(graph, 'Nobody'), undefined);
  assert.equal(index.subjects.has('conventions'), true, 'Architecture is not a convention');
  const withConvention = parseMemory('{"type":"entity","name":"Rules","entityType":"Convention","observations":[]}');
  assert.equal(memoryIndex(withConvention).subjects.size, 0);
  assert.equal(memoryIndex(withConvention).all.size, 1);
  assert.equal(memoryIndex(graph), index, 'built once per graph');
});
