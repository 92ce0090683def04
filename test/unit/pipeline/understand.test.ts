import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../../src/core/project/config/config';
import { parseMemory, type MemoryGraph } from '../../../src/core/project/registry/memory';
import { parseRegistry, type EntityRegistry } from '../../../src/core/project/registry/registry';
import { mentionedKnownName, understand, type UnderstandInput } from '../../../src/core/pipeline/phases/understand';

const config = parseConfig('version: 1\n');

function input(entities: Record<string, object>, memory: object[] = []): UnderstandInput {
  return {
    config,
    registry: parseRegistry(JSON.stringify({ _patterns: { simple: 'server/entities/customer.js' }, e: entities })),
    memory: parseMemory(memory.map((line) => JSON.stringify(line)).join('\n')),
  };
}

const entity = (name: string, observations: string[] = [], entityType = 'Entity') => ({
  type: 'entity',
  name,
  entityType,
  observations,
});

/** The matcher understand() used before the index: one case-insensitive RegExp per name. */
function regexpOracle(request: string, registry: EntityRegistry, memory: MemoryGraph): string | undefined {
  const candidates = [
    ...registry.entities.keys(),
    ...memory.entities.filter((e) => e.entityType.toLowerCase() !== 'convention').map((e) => e.name),
  ];
  let best: { name: string; at: number } | undefined;
  for (const name of candidates) {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const match = new RegExp(`(?:^|[^A-Za-z0-9_])(${escaped}(?:e?s)?)(?![A-Za-z0-9_])`, 'i').exec(request);
    if (match && (best === undefined || match.index < best.at)) best = { name, at: match.index };
  }
  return best?.name;
}

test('understand: a known entity named in any case or plural, with the layers its observations name', () => {
  const known = input({ Customer: { pattern: 'simple' }, Order: { pattern: 'withSubItems' } }, [
    entity('Customer', ['Owned by the backend and frontend layers']),
  ]);
  assert.deepEqual(understand('Let CUSTOMERS sign up with a phone number', known), {
    entity: 'Customer',
    known: true,
    layers: ['backend', 'frontend'],
    pattern: 'simple',
  });
  assert.equal(understand('Show the orders of a customer', known).entity, 'Order', 'the first mention wins');
  assert.deepEqual(understand('Add a Coupon entity', known), {
    entity: 'Coupon',
    known: false,
    layers: ['database', 'backend', 'frontend'],
    pattern: null,
  });
  assert.deepEqual(understand('Make every screen faster', known), {
    entity: null,
    known: false,
    layers: ['database', 'backend', 'frontend'],
    pattern: null,
  });
});

test('understand: registry names beat memory names at the same place; conventions are never the subject', () => {
  const both = input({ Order: {} }, [
    entity('order', ['Owned by the database layer']),
    entity('Rules', [], 'Convention'),
    entity('Invoice'),
  ]);
  assert.equal(mentionedKnownName('orders per day', both), 'Order');
  assert.equal(mentionedKnownName('apply the rules', both), undefined);
  assert.equal(mentionedKnownName('print invoices', both), 'Invoice');
  // The memory entry of a registry entity still supplies its layers.
  assert.deepEqual(understand('orders per day', both).layers, ['database']);
});

test('understand: other spellings count only when no name is written as is', () => {
  const shop = input({ Order: {}, OrderLine: {}, Category: {}, Customer: {} });
  // `order` is written as a word in the first two (as `\b` sees words), so Order it is, as before.
  assert.equal(mentionedKnownName('Show the order line totals', shop), 'Order');
  assert.equal(mentionedKnownName('order-lines need a discount', shop), 'Order');
  assert.equal(mentionedKnownName('rename order_line.qty', shop), 'OrderLine');
  assert.equal(mentionedKnownName('list orderlines', shop), 'OrderLine');
  const lines = input({ OrderLine: {}, Customer: {} });
  for (const request of ['Show the order line totals', 'order-lines need a discount', 'ORDER_LINES']) {
    assert.equal(mentionedKnownName(request, lines), 'OrderLine', request);
  }
  assert.equal(mentionedKnownName('Sort the categories by name', shop), 'Category');
  // Whole words only: a longer name is not a mention of its first part.
  assert.equal(mentionedKnownName('Add a CustomerAddress screen', shop), undefined);
  assert.equal(mentionedKnownName('a customer_address table', shop), undefined);
  assert.equal(mentionedKnownName('the order. Line up', input({ OrderLine: {} })), undefined, 'not across punctuation');
});

test('understand: the index finds exactly what one RegExp per name found, on generated requests', () => {
  const names = [
    'Order',
    'order',
    'Orders',
    'Order Line',
    'OrderLine',
    'Box',
    'C++',
    '.net',
    'x-ray',
    'Category',
    'Customer',
  ];
  const world = input(Object.fromEntries(names.map((n) => [n, {}])), [
    entity('Boxe'),
    entity('Invoice'),
    entity('Invoices'),
    entity('Rules', [], 'Convention'),
    entity('order_line'),
    entity('Customer'),
  ]);
  const words = [
    'Order',
    'orders',
    'ORDERS',
    'Order Line',
    'order line',
    'OrderLines',
    'order_line',
    'order-line',
    'boxes',
    'box',
    'boxs',
    'C++',
    'c++s',
    '.net',
    'x.net',
    'x-ray',
    'X-Rays',
    'categories',
    'invoice',
    'invoicees',
    'rules',
    'customers',
    'the',
    '(',
    ')',
    ',',
    '.',
    '-',
    '_',
    'ordering',
    'reorder',
  ];
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  let found = 0;
  for (let i = 0; i < 3000; i++) {
    let request = '';
    for (let k = 1 + Math.floor(random() * 6); k > 0; k--)
      request += `${words[Math.floor(random() * words.length)]}${random() < 0.7 ? ' ' : ''}`;
    const expected = regexpOracle(request, world.registry, world.memory);
    if (expected === undefined) continue;
    found++;
    assert.equal(mentionedKnownName(request, world), expected, JSON.stringify(request));
  }
  assert.ok(found > 1000, `${found} requests named something`);
});
