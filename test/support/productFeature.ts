/**
 * The spec of "Add a Product entity" on examples/shop, as the scripted spec agent submits
 * it: shared by the pipeline tests (test/unit/pipeline/support/fixtures.ts) and the
 * benchmarks' product feature (bench/support/productFeature.ts).
 */
export const PRODUCT_SPEC = `## Spec: Product entity

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
