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

### Files to Create/Modify

#### Database
- [ ] db/migrations/003_create_product.sql: create the products table

#### Backend
- [ ] server/entities/product.js: the Product module (meta, validate, list, get, create)

#### Frontend
- [ ] web/src/products.js: list products through request('/api/products')

### Tasks
1. [ ] Database: migration 003 creating products (id, name, price)
2. [ ] Backend: server/entities/product.js following the simple pattern
3. [ ] Frontend: web/src/products.js listing products

### Dependencies
- None
`;
