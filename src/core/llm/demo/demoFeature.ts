/**
 * What the demo's scripted model answers (`orchestrator demo`, VS Code's Try the Demo): one
 * feature on the bundled sample shop, "Add a Product entity". The files are real code the
 * sample's own validate commands accept, so every gate of the pipeline runs for real.
 */

/** The request the demo runs; the scripted model answers any request with this feature. */
export const DEMO_REQUEST = 'Add a Product entity with name and price';

export const DEMO_SPEC_TITLE = 'Product entity';
export const DEMO_SPEC_SLUG = 'product-entity';

export const DEMO_SPEC = `## Spec: Product entity

### Summary
Add a Product entity (name, price) with its table, its API module and a list screen.

### Entity Info
- Pattern: simple
- References: none
- Type: New entity

### Requirements

#### REQ-1: Create a product
**User story:** As a shop owner, I want to add products, so that customers can order them.
**Acceptance criteria**
- REQ-1.1: WHEN a client POSTs a product with a name and a price >= 0 to /api/products THE API SHALL store it and answer 201 with the product and its id.
- REQ-1.2: IF the name is blank or the price is not a number >= 0 THEN THE API SHALL answer 400 with the validation errors.

#### REQ-2: List products
**Acceptance criteria**
- REQ-2.1: WHEN the products screen loads THE web app SHALL list every product with its name and price.

### API Contracts

#### POST /api/products
- Success: 201 {id, name, price}
- 400: {error, errors: string[]} when the name is blank or the price is invalid
- 500: {error: "internal error"} on an unexpected failure
- Timeout: the web client gives up after 10 s and shows the request failed

#### GET /api/products
- Success: 200 [{id, name, price}]
- 404: {error} when no products module is loaded
- 500: {error: "internal error"}
- Timeout: the web client gives up after 10 s and shows the request failed

### Files to Create/Modify

#### Database
- [ ] db/migrations/003_create_product.sql: create the products table

#### Backend
- [ ] server/entities/product.js: the Product module (meta, validate, list, get, create)

#### Frontend
- [ ] web/src/products.js: list products through request('/api/products')

### Tasks
1. [ ] Database: migration 003 creating products (id, name, price) (REQ-1)
2. [ ] Backend: server/entities/product.js following the simple pattern (REQ-1, REQ-2)
3. [ ] Frontend: web/src/products.js listing products (REQ-2)

### Dependencies
- None
`;

/** Where the demo's proof tests live and what runs them (the demo's config gets them as its \`proof\` section). */
export const DEMO_PROOF = {
  tests: ['server/test/acceptance/**'],
  command: ['node --test --test-reporter=spec {files}'],
};

/** The proof agent's tests, written before the code: the Product module's create and validate as REQ-1 says. */
export const DEMO_PROOF_FILE = 'server/test/acceptance/product.test.js';
export const DEMO_PROOF_TEST = `// REQ-1's acceptance criteria, as tests written before the Product module exists.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');

// Loaded inside each test: until the module exists, each test fails on its own.
const products = () => require('../../entities/product.js');

test('REQ-1.1 stores a product with a name and a price >= 0 and gives it an id', () => {
  const stored = products().create({ name: 'Green tea', price: 4.5 });
  assert.equal(typeof stored.id, 'number');
  assert.deepEqual({ name: stored.name, price: stored.price }, { name: 'Green tea', price: 4.5 });
  assert.ok(products().list().some((p) => p.id === stored.id));
});

test('REQ-1.2 refuses a blank name or a price that is not a number >= 0', () => {
  assert.ok(products().validate({ name: '  ', price: 1 }).length > 0);
  assert.ok(products().validate({ name: 'Tea', price: -1 }).length > 0);
  assert.ok(products().validate({ name: 'Tea', price: '3' }).length > 0);
  assert.deepEqual(products().validate({ name: 'Tea', price: 0 }), []);
});
`;

/** What each layer agent writes, by layer. */
export const DEMO_FILES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  database: {
    'db/migrations/003_create_product.sql': `-- Product: a simple entity; order lines may reference it.
CREATE TABLE products (
  id          INTEGER PRIMARY KEY,
  name        VARCHAR(100) NOT NULL,
  price       NUMERIC(10, 2) NOT NULL
);
`,
  },
  backend: {
    'server/entities/product.js': `// Product — a "simple" entity, modelled on server/entities/customer.js.
'use strict';

const store = require('../store');
const { ValidationError, NotFoundError } = require('../errors');

const meta = {
  name: 'Product',
  table: 'products',
  path: 'products',
  pattern: 'simple',
  refs: [],
  subs: [],
};

/** @param {any} input @returns {string[]} */
function validate(input) {
  if (!input || typeof input !== 'object') return ['body must be a JSON object'];
  const errors = [];
  if (typeof input.name !== 'string' || !input.name.trim()) errors.push('name is required');
  if (typeof input.price !== 'number' || input.price < 0) errors.push('price must be a number >= 0');
  return errors;
}

function list() {
  return store.all(meta.table);
}

/** @param {number} id */
function get(id) {
  const row = store.find(meta.table, id);
  if (!row) throw new NotFoundError(meta.name, id);
  return row;
}

/** @param {any} input */
function create(input) {
  const errors = validate(input);
  if (errors.length) throw new ValidationError(errors);
  return store.insert(meta.table, { name: input.name.trim(), price: input.price });
}

module.exports = { meta, validate, list, get, create };
`,
  },
  frontend: {
    'web/src/products.js': `// Product screen: list through request('/api/products').
import { request, escapeHtml } from './api.js';

/** @returns {Promise<{ id: number, name: string, price: number }[]>} */
export function listProducts() {
  return request('/api/products');
}

/** @param {HTMLElement} root @param {{ id: number, name: string, price: number }[]} products */
export function renderProducts(root, products) {
  root.innerHTML = products.map((p) => \`<li>\${escapeHtml(p.name)}: \${p.price}</li>\`).join('');
}
`,
  },
};
