/**
 * "Add a Product entity" on examples/shop, as scripted agents implement it: real files the
 * shop's own validate commands accept (and a broken backend module they reject with file
 * and line), plus the spec the spec agent submits (test/support/productFeature.ts).
 */
import { PRODUCT_PROOF, PRODUCT_PROOF_FILE, PRODUCT_PROOF_TEST, PRODUCT_SPEC } from '../../test/support/productFeature';
import { reply } from '../../test/support/messagesApiServer';
import { layerAgent, list, read, reviewAgent, say, specAgent, type AgentScript } from './scriptedAgents';

export const PRODUCT_REQUEST = 'Add a Product entity with a name and a price, an API and a list screen';

export const PRODUCT_MIGRATION = `-- Product: a "simple" entity (see server/entities/product.js).
CREATE TABLE products (
  id          INTEGER PRIMARY KEY,
  name        VARCHAR(100) NOT NULL,
  price       NUMERIC(10, 2) NOT NULL,
  created_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE UNIQUE INDEX products_name_idx ON products (name);
`;

export const PRODUCT_MODULE = `// Product — a "simple" entity, modelled on server/entities/customer.js. Table: db/migrations/003.
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

/** @typedef {{ id: number, name: string, price: number, createdAt: string }} Product */

/** @param {any} input @returns {string[]} one message per invalid field, empty when valid */
function validate(input) {
  if (!input || typeof input !== 'object') return ['body must be a JSON object'];
  const errors = [];
  if (typeof input.name !== 'string' || !input.name.trim()) errors.push('name is required');
  else if (input.name.length > 100) errors.push('name must be at most 100 characters');
  if (typeof input.price !== 'number' || !Number.isFinite(input.price) || input.price < 0) errors.push('price must be a number >= 0');
  return errors;
}

/** @returns {Product[]} */
function list() {
  return /** @type {Product[]} */ (store.all(meta.table));
}

/** @param {number} id @returns {Product} */
function get(id) {
  const row = store.find(meta.table, id);
  if (!row) throw new NotFoundError(meta.name, id);
  return /** @type {Product} */ (row);
}

/** @param {any} input @returns {Product} */
function create(input) {
  const errors = validate(input);
  if (errors.length) throw new ValidationError(errors);
  return /** @type {Product} */ (store.insert(meta.table, {
    name: input.name.trim(),
    price: Math.round(input.price * 100) / 100,
    createdAt: new Date().toISOString(),
  }));
}

module.exports = { meta, validate, list, get, create };
`;

/** A syntax error scripts/check-server.js (a compile like `node --check`) reports with file and line. */
export const BROKEN_PRODUCT_MODULE = PRODUCT_MODULE.replace('function list() {', 'function list( {');

/** The list screen, calling the backend's new route. */
export const PRODUCT_SCREEN = `// Product screen: list through request('/api/products'), render into a given element.
import { request, escapeHtml } from './api.js';

/** @returns {Promise<{ id: number, name: string, price: number }[]>} */
export function listProducts() {
  return request('/api/products');
}

/** @param {HTMLElement} root @param {{ id: number, name: string, price: number }[]} products */
export function renderProducts(root, products) {
  if (!products.length) {
    root.innerHTML = '<p>No products yet.</p>';
    return;
  }
  const rows = products
    .map((p) => \`<tr><td>\${p.id}</td><td>\${escapeHtml(p.name)}</td><td>\${p.price.toFixed(2)}</td></tr>\`)
    .join('');
  root.innerHTML = \`<table><tr><th>#</th><th>Name</th><th>Price</th></tr>\${rows}</table>\`;
}
`;

/**
 * A render-only screen with no API call: valid whether or not the backend's route exists
 * yet, so the frontend does not depend on the backend (the one-wave scenario).
 */
export const PRODUCT_VIEW = `// Product view: renders products it is given (the caller fetches them).
import { escapeHtml } from './api.js';

/** @param {HTMLElement} root @param {{ id: number, name: string, price: number }[]} products */
export function renderProducts(root, products) {
  const rows = products
    .map((p) => \`<tr><td>\${p.id}</td><td>\${escapeHtml(p.name)}</td><td>\${p.price.toFixed(2)}</td></tr>\`)
    .join('');
  root.innerHTML = products.length ? \`<table>\${rows}</table>\` : '<p>No products yet.</p>';
}
`;

/**
 * The shop's config with a `proof:` section (docs/proof.md): the proof tests under
 * server/test/acceptance/, run by node --test. Without it the shop names no proof command and
 * PROVE does not run.
 */
export function withProof(yaml: string): string {
  if (/^proof:/m.test(yaml)) throw new Error('the config already has a proof section');
  return `${yaml.trimEnd()}\n\nproof:\n  tests: ${JSON.stringify(PRODUCT_PROOF.tests)}\n  command: ${JSON.stringify(PRODUCT_PROOF.command)}\n`;
}

/** The proof tests' names, each with its criterion id (what GREEN reads from node --test's output). */
export const PRODUCT_PROOF_TESTS = [
  {
    criterion: 'REQ-1.1',
    file: PRODUCT_PROOF_FILE,
    name: 'REQ-1.1 stores a product with a name and a price >= 0 and gives it an id',
  },
  {
    criterion: 'REQ-1.2',
    file: PRODUCT_PROOF_FILE,
    name: 'REQ-1.2 refuses a blank name or a price that is not a number >= 0',
  },
] as const;

/**
 * The proof agent as proof.context.md asks: writes REQ-1's tests (requiring the Product module
 * inside each test, so each is red on the base), submits them and REQ-2.1 (a screen's look) as
 * untestable; two model calls, as the demo's. Asked only when the config has a proof section.
 */
export const productProofAgent: AgentScript = ({ turn }) => {
  if (turn === 0) return say.write({ [PRODUCT_PROOF_FILE]: PRODUCT_PROOF_TEST });
  return reply.toolUse('submit_proof', {
    tests: [
      ...PRODUCT_PROOF_TESTS.map((t) => ({ ...t })),
      { criterion: 'REQ-2.1', untestable: 'the list is what the screen shows in a browser; the review judges it' },
    ],
  });
};

export interface ProductAgentsOptions {
  /** The frontend writes the render-only view instead of the API screen. */
  independentFrontend?: boolean;
  /** Backend attempts (1-based) that write the broken module. */
  brokenBackendAttempts?: number[];
  /**
   * false: the spec names only the migrations folder, not the migration the database agent then
   * writes, so its approval does not cover it and the schema change is asked (the modal).
   */
  specNamesMigration?: boolean;
  /** Untrusted text (links, images, HTML) the spec's summary and the backend agent's summary carry: for the tests that it renders inert. */
  hostile?: string;
}

/** The spec, naming the migrations folder instead of the migration (see specNamesMigration). */
const SPEC_WITHOUT_MIGRATION = PRODUCT_SPEC.replace(
  '- [ ] db/migrations/003_create_product.sql: create the products table',
  '- [ ] db/migrations/: create the products table (the next number)',
);

/**
 * The agents of "Add a Product entity", each looking at what its context file in
 * examples/shop/.claude/context tells it to read before writing.
 */
export function productAgents(options: ProductAgentsOptions = {}): Record<string, AgentScript> {
  const broken = new Set(options.brokenBackendAttempts ?? []);
  const spec = options.specNamesMigration === false ? SPEC_WITHOUT_MIGRATION : PRODUCT_SPEC;
  const hostile = options.hostile ? ` ${options.hostile}` : '';
  return {
    // spec.context.md: read the registry, the reference module, the migrations (next number).
    spec: specAgent(
      [read('.claude/entity-registry.json'), read('server/entities/customer.js'), list('db/migrations')],
      'Product entity',
      'product-entity',
      hostile ? spec.replace(/(### Summary\n[^\n]*)/, `$1${hostile}`) : spec,
    ),
    // database.context.md: numbering and conventions of the existing migrations.
    database: layerAgent(
      [list('db/migrations'), read('db/migrations/001_create_customer.sql')],
      () => ({ 'db/migrations/003_create_product.sql': PRODUCT_MIGRATION }),
      'Migration 003 creates products.',
    ),
    // backend.context.md: copy the reference module; store.js and errors.js are its API.
    backend: layerAgent(
      [read('server/entities/customer.js'), read('server/errors.js')],
      (attempt) => ({ 'server/entities/product.js': broken.has(attempt) ? BROKEN_PRODUCT_MODULE : PRODUCT_MODULE }),
      `server/entities/product.js follows the simple pattern.${hostile}`,
    ),
    // frontend.context.md: the reference screen and the request() helper.
    frontend: layerAgent(
      [read('web/src/customers.js'), read('web/src/api.js')],
      () => ({ 'web/src/products.js': options.independentFrontend ? PRODUCT_VIEW : PRODUCT_SCREEN }),
      'web/src/products.js lists products.',
    ),
    // review.context.md: compare the new module with the reference module of its pattern.
    review: reviewAgent([read('server/entities/customer.js')]),
    // proof.context.md: REQ-1's tests before the code (a config with a proof section only).
    proof: productProofAgent,
  };
}
