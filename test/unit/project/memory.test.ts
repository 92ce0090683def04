import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProjectFileError } from '../../../src/core/project/errors';
import { findMemoryEntity, loadMemory, memoryIndex, openNodes, parseMemory, relationsOf, searchNodes } from '../../../src/core/project/memory';
import { tempWorkspace } from './tempWorkspace';

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

function assertMemoryError(text: string, expected: string): void {
  assert.throws(() => parseMemory(text), (error: unknown) => {
    assert.ok(error instanceof ProjectFileError, String(error));
    assert.equal(error.message, expected);
    return true;
  });
}

test('parses entities and relations, skipping blank lines', () => {
  const graph = parseMemory(`${GRAPH}\r\n`);
  assert.equal(graph.entities.length, 4);
  assert.equal(graph.relations.length, 3);
  assert.deepEqual(graph.entities[0], { name: 'Order', entityType: 'Entity', observations: ['Pattern: withSubItems', 'Layers: database, backend, frontend'] });
});

test('searchNodes matches name, type and observations case-insensitively', () => {
  const graph = parseMemory(GRAPH);
  assert.deepEqual(searchNodes(graph, 'order').entities.map((e) => e.name), ['Order', 'OrderLine']);
  assert.deepEqual(searchNodes(graph, 'ARCHITECTURE').entities.map((e) => e.name), ['Conventions']);
  assert.deepEqual(searchNodes(graph, 'soft DELETE').entities.map((e) => e.name), ['Customer']);
  assert.deepEqual(searchNodes(graph, 'order').relations, [{ from: 'Order', to: 'OrderLine', relationType: 'owns' }]);
  assert.deepEqual(searchNodes(graph, 'Invoice'), { entities: [], relations: [] });
});

test('openNodes returns exactly the named entities and the relations between them', () => {
  const graph = parseMemory(GRAPH);
  const opened = openNodes(graph, ['Order', 'Customer', 'Missing']);
  assert.deepEqual(opened.entities.map((e) => e.name), ['Order', 'Customer']);
  assert.deepEqual(opened.relations, [{ from: 'Order', to: 'Customer', relationType: 'references' }]);
  assert.deepEqual(openNodes(graph, ['order']).entities, []);
});

test('relationsOf lists relations in both directions', () => {
  const graph = parseMemory(GRAPH);
  assert.deepEqual(relationsOf(graph, 'Order').map((r) => r.relationType), ['references', 'owns', 'describes']);
  assert.deepEqual(relationsOf(graph, 'Nobody'), []);
});

test('the memory file is optional', async () => {
  const { dir, cleanup } = await tempWorkspace();
  try {
    assert.deepEqual(await loadMemory(dir), { entities: [], relations: [] });
  } finally {
    await cleanup();
  }
});

test('loadMemory reads .claude/memory.jsonl', async () => {
  const { dir, cleanup } = await tempWorkspace({ '.claude/memory.jsonl': GRAPH });
  try {
    assert.equal((await loadMemory(dir)).entities.length, 4);
  } finally {
    await cleanup();
  }
});

test('a broken line names its line number', () => {
  const lines = GRAPH.split('\n');
  lines.splice(2, 0, '{"type":"entity","name":"Broken","entityType":"X"');
  assertMemoryError(lines.join('\n'), ".claude/memory.jsonl:3:50 JSON syntax error: Expected ',' or '}' after property value");
});

test('a line with a wrong shape names its line and key', () => {
  assertMemoryError(`${GRAPH}\n{"type":"entity","name":"X","entityType":"Y","observations":["ok",7]}`, '.claude/memory.jsonl:9:67 observations[1]: expected a string, got 7');
  assertMemoryError('\n{"type":"node","name":"X"}', '.claude/memory.jsonl:2:2 type: expected one of "entity", "relation", got "node"');
  assertMemoryError('{"type":"relation","from":"A","relationType":"r"}', '.claude/memory.jsonl:1:1 to: missing (expected a string)');
  assertMemoryError('[1]', '.claude/memory.jsonl:1:1 expected a mapping, got a list');
});

test('valid lines keep only the known fields; missing observations default to []', () => {
  const graph = parseMemory([
    '{"type":"entity","name":"Tag","entityType":"Entity","extra":{"deep":[1]}}',
    '  {"type":"relation","from":"Tag","to":"Order","relationType":"labels","weight":2}  ',
    '{"type":"entity","name":"Note","entityType":"Entity","observations":[]}',
  ].join('\r\n'));
  assert.deepEqual(graph, {
    entities: [
      { name: 'Tag', entityType: 'Entity', observations: [] },
      { name: 'Note', entityType: 'Entity', observations: [] },
    ],
    relations: [{ from: 'Tag', to: 'Order', relationType: 'labels' }],
  });
});

test('shapes the fast check lets through are exactly those the schema accepts', () => {
  assertMemoryError('{"type":"entity","name":"","entityType":"E"}', '.claude/memory.jsonl:1:18 name: must be at least 1 characters long');
  assertMemoryError('{"type":"entity","name":"X","entityType":"E","observations":null}', '.claude/memory.jsonl:1:46 observations: expected a list, got null');
  assertMemoryError('{"type":"relation","from":"A","to":"","relationType":"r"}', '.claude/memory.jsonl:1:31 to: must be at least 1 characters long');
});

test('memoryIndex: lower-case names, first entity of a name wins, conventions left out of subjects', () => {
  const graph = parseMemory(`${GRAPH}\n{"type":"entity","name":"ORDER","entityType":"Entity","observations":["duplicate"]}`);
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
