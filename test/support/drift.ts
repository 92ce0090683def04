// A shop whose backend adds a real node:test file citing REQ-1's criteria, run by audit.test:
// the completed spec drift tests start from.
import { say, specAnswer, writesThenDone, type AgentScript } from './engine/agentScript';
import { PRODUCT_MIGRATION, PRODUCT_MODULE, PRODUCT_SCREEN, PRODUCT_SPEC } from './engine/fixtures';

export const CATALOG_TEST = `'use strict';
// REQ-1.1 and REQ-1.2: the Product module stores a valid product and refuses a bad one.
const test = require('node:test');
const assert = require('node:assert/strict');
const product = require('../entities/product');

test('REQ-1.1 a valid product is stored', () => {
  assert.equal(product.create({ name: 'Tea', price: 3 }).name, 'Tea');
});

test('REQ-1.2 a negative price is refused', () => {
  assert.throws(() => product.create({ name: 'Tea', price: -1 }), /price must be a number/);
});
`;

/** The shop's config with the project's test command (audit.test), which drift runs again. */
export function withTests(yaml: string): string {
  return `${yaml}\naudit:\n  test: ["node --test \\"server/test/*.test.js\\""]\n`;
}

export function productAgents(): Record<string, AgentScript> {
  return {
    spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC),
    database: writesThenDone({ 'db/migrations/003_create_product.sql': PRODUCT_MIGRATION }),
    backend: writesThenDone({
      'server/entities/product.js': PRODUCT_MODULE,
      'server/test/catalog.test.js': CATALOG_TEST,
    }),
    frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }),
    review: () => say.approve(),
  };
}

/** Still green: a new exported helper. */
export const GREEN_EDIT = (module: string) =>
  module.replace(
    'module.exports = { meta, validate, list, get, create };',
    'function count() {\n  return list().length;\n}\n\nmodule.exports = { meta, validate, list, get, create, count };',
  );
/** Breaks REQ-1.2: a negative price is accepted. */
export const BREAKING_EDIT = (module: string) => module.replace(' || input.price < 0', '');
