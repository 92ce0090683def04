// Files and specs the scripted agents write into the shop example: real code that the
// example's own validate commands accept (or, for the broken variants, reject).

export { PRODUCT_SPEC } from '../productFeature';
import { DEMO_FILES } from '../../../src/core/llm/demo/demoFeature';

export const PRODUCT_MIGRATION = DEMO_FILES.database!['db/migrations/003_create_product.sql']!;

export const BROKEN_MIGRATION = `CREATE TABLE products (
  id INTEGER PRIMARY KEY,
  name VARCHAR(100) NOT NULL
`;

export const PRODUCT_MODULE = DEMO_FILES.backend!['server/entities/product.js']!;

/** A syntax error the backend check (scripts/check-server.js, a compile like node --check) reports with file and line. */
export const BROKEN_PRODUCT_MODULE = PRODUCT_MODULE.replace('function list() {', 'function list( {');

export const PRODUCT_SCREEN = DEMO_FILES.frontend!['web/src/products.js']!;

/** A small change to a known entity: one backend file, no schema. */
export const CUSTOMER_SPEC = `## Spec: Trim customer names

### Summary
Customer names are stored trimmed and limited to 100 characters (already), and validation reports a clearer message.

### Entity Info
- Pattern: simple
- References: none
- Type: Modification

### Requirements

#### REQ-1: Clearer name validation
**Acceptance criteria**
- REQ-1.1: WHEN a customer is saved with a blank name THE API SHALL report "name is required (not blank)".

### Files to Create/Modify

#### Backend
- [ ] server/entities/customer.js: clearer name validation message

### Tasks
1. [ ] Backend: change the "name is required" message in server/entities/customer.js (REQ-1)

### Dependencies
- None
`;

export const BUGFIX_SPEC = `## Spec: Fix empty customer names

### Summary
Root cause: validate() accepts a name made of spaces only in some paths. Fix: trim before checking.

### Entity Info
- Pattern: simple
- References: none
- Type: Bug fix

### Requirements

#### REQ-1: Blank names are rejected
**Acceptance criteria**
- REQ-1.1: WHEN a customer name made of spaces only is submitted THE API SHALL reject it as required.

### Files to Create/Modify

#### Backend
- [ ] server/entities/customer.js: trim the name before the required check

### Tasks
1. [ ] Backend: trim the name in validate() (REQ-1)

### Dependencies
- None
`;

/** Only the backend has work: one layer, one validate command. */
export const PRODUCT_API_SPEC = `## Spec: Product API

### Summary
A Product module in the backend (name, price).

### Entity Info
- Pattern: simple
- References: none
- Type: New entity

### Requirements

#### REQ-1: Product module
**Acceptance criteria**
- REQ-1.1: WHEN the backend loads its entities THE server SHALL expose the Product module (name, price) at /api/products.

### Files to Create/Modify

#### Backend
- [ ] server/entities/product.js: the Product module

### Tasks
1. [ ] Backend: server/entities/product.js following the simple pattern (REQ-1)

### Dependencies
- None
`;

/** Only the frontend has work: a screen calling GET /api/products, which no backend serves yet. */
export const SCREEN_SPEC = `## Spec: Product list screen

### Summary
A screen listing products.

### Requirements

#### REQ-1: List products
**Acceptance criteria**
- REQ-1.1: WHEN the products screen loads THE web app SHALL list every product with its name and price.

### API Contracts

#### GET /api/products
- Success: 200 [{id, name, price}]
- 404: {error} when the module is missing
- 500: {error: "internal error"}
- Timeout: the screen shows the request failed after 10 s

### Files to Create/Modify

#### Frontend
- [ ] web/src/products.js: list products through GET /api/products

### Tasks
1. [ ] Frontend: web/src/products.js listing products (REQ-1)

### Dependencies
- None
`;
