/**
 * Seed 000's `slice` roles on the sample shop for the workbench tests (workflowSlice.test.ts,
 * workflowPortalGate.test.ts): B's ADR and diagrams, C's Product module with a test per
 * requirement, F's dictionary true to the shop's migrations, every document role writing its sections.
 */
import { PRODUCT_MODULE } from '../../../../bench/support/productFeature';
import { layerAgent, read, say, type AgentScript } from '../../../../bench/support/scriptedAgents';
import { documentsAsked, withSections } from '../../../support/workflows/fastapiSlice';

const ADR = `# Architecture decisions

## ADR-001: Products are a simple entity
### Context
A product has a name and a price and is read on its own.
### Decision
A products table and a module copied from the customer reference module.
### Consequences
No sub-items; prices change in place.
`;

const DIAGRAMS = `# Diagrams

## Happy path
\`\`\`mermaid
sequenceDiagram
  Web->>API: POST /api/products
  API->>DB: INSERT INTO products
  API-->>Web: 201 {id, name, price}
\`\`\`

## Rollback
\`\`\`mermaid
sequenceDiagram
  API->>DB: INSERT INTO products
  DB-->>API: error
  API-->>Web: 500 {error}
\`\`\`

## States
\`\`\`mermaid
stateDiagram-v2
  [*] --> Listed
  Listed --> Listed: price changed
\`\`\`
`;

/** docs/data/dictionary.md true to the shop's migrations and the slice's 003_create_product.sql. */
const DICTIONARY = `# Data dictionary

## Table: customers

| Column | Type | Description |
|---|---|---|
| id | INTEGER | key |
| name | VARCHAR(100) | the customer's name |
| email | VARCHAR(200) | unique |
| created_at | TIMESTAMP | when it was added |

## Table: orders

| Column | Type | Description |
|---|---|---|
| id | INTEGER | key |
| customer_id | INTEGER | the customer |
| status | VARCHAR(20) | pending, paid, shipped, cancelled |
| created_at | TIMESTAMP | when it was placed |

## Table: order_lines

| Column | Type | Description |
|---|---|---|
| id | INTEGER | key |
| order_id | INTEGER | the order |
| product | VARCHAR(100) | what was ordered |
| quantity | INTEGER | more than 0 |
| unit_price | DECIMAL(10, 2) | at least 0 |

## Table: products

| Column | Type | Description |
|---|---|---|
| id | INTEGER | key |
| name | VARCHAR(100) | unique |
| price | NUMERIC(10, 2) | at least 0 |
| created_at | TIMESTAMP | when it was added |
`;

/** The backend's test of the Product module, citing the requirements it covers (F's gate: every requirement has a test). */
const PRODUCT_TEST = `// The Product entity: REQ-1.1 and REQ-1.2 (create and its validation), REQ-2.1 (the list the products screen shows).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const product = require('../entities/product');

test('REQ-1.1: a product with a name and a price is valid', () => {
  assert.deepEqual(product.validate({ name: 'Tea', price: 3 }), []);
});

test('REQ-1.2: a blank name or a negative price is refused', () => {
  assert.ok(product.validate({ name: '', price: -1 }).length > 0);
});

test('REQ-2.1: products can be listed', () => {
  assert.equal(typeof product.list, 'function');
});
`;

/** A role writing the documents its task asks for, then reporting done. */
const writes =
  (content: (path: string) => string): AgentScript =>
  (call) => {
    const paths = documentsAsked(call);
    if (call.turn === 0) return say.write(Object.fromEntries(paths.map((path) => [path, content(path)])));
    return say.done(`Wrote ${paths.join(', ')}.`);
  };

/** slice's roles on the sample shop (the Product feature's A–G). */
export const sliceRoles: Record<string, AgentScript> = {
  // C: the backend writes the module and its test (as the slice's "tests per requirement" wants).
  backend: layerAgent(
    [read('server/entities/customer.js'), read('server/errors.js')],
    () => ({ 'server/entities/product.js': PRODUCT_MODULE, 'server/test/product.test.js': PRODUCT_TEST }),
    'server/entities/product.js follows the simple pattern; server/test/product.test.js covers REQ-1.1, REQ-1.2 and REQ-2.1.',
  ),
  architect: writes((path) => (path.endsWith('adr.md') ? ADR : DIAGRAMS)),
  'data-security': writes(() => withSections('Data and security', ['Sanitization', 'Performance', 'Findings'])),
  qa: writes(() => withSections('QA report', ['Integration', 'Concurrency', 'Stress', 'UAT'])),
  documenter: writes((path) =>
    path === 'docs/data/dictionary.md'
      ? DICTIONARY
      : withSections('Slice report', ['Summary', 'Traceability', 'Documentation']),
  ),
  pm: writes(() => withSections('Retrospective', ['Objectives', 'Business metrics', 'Lessons'])),
};
