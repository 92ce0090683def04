// The Product feature (database, backend, frontend) taken up again after it completed: the amended
// spec a change request asks for (a search by name, backend only) and the agents that answer a
// follow-up run, a CI fix or an amendment, by what their task says.
import { say, type AgentScript } from './agentScript';
import { PRODUCT_MIGRATION, PRODUCT_MODULE, PRODUCT_SCREEN, PRODUCT_SPEC } from './fixtures';

export const WITH_SEARCH = PRODUCT_SPEC.replace(
  '### API Contracts',
  `#### REQ-3: Search products by name
**Acceptance criteria**
- REQ-3.1: WHEN the Product module is asked to search with a name THE module SHALL return every product whose name contains it.

### API Contracts`,
).replace(
  'listing products (REQ-2)',
  'listing products (REQ-2)\n4. [ ] Backend: server/entities/product.js search(name) (REQ-3)',
);

export const SEARCH_MODULE = PRODUCT_MODULE.replace(
  'module.exports = { meta, validate, list, get, create };',
  'function search(name) {\n  return list().filter((p) => String(p.name).toLowerCase().includes(String(name).toLowerCase()));\n}\n\nmodule.exports = { meta, validate, list, get, create, search };',
);
/** What the backend and the frontend write when sent back with a CI failure. */
export const BACKEND_CI_FIXED = `${PRODUCT_MODULE}\n// prices compared as numbers (CI)\n`;
export const FRONTEND_CI_FIXED = `${PRODUCT_SCREEN}\n// the price column is right-aligned (CI)\n`;

export const isCiFix = (task: string) => task.includes('FIX MODE: A CHECK FAILED');
export const isAmendment = (task: string) => task.includes('CHANGE REQUEST (amendment to the approved spec)');
export const isChangeFix = (task: string) => task.includes('FIX MODE: THE APPROVED SPEC WAS AMENDED');

export function productFollowUpAgents(): Record<string, AgentScript> {
  return {
    spec: ({ task }) => say.spec('Product entity', 'product-entity', isAmendment(task) ? WITH_SEARCH : PRODUCT_SPEC),
    database: ({ turn }) =>
      turn === 0 ? say.write({ 'db/migrations/003_create_product.sql': PRODUCT_MIGRATION }) : say.done(),
    backend: ({ turn, task }) => {
      if (turn > 0) return say.done();
      if (isChangeFix(task)) return say.write({ 'server/entities/product.js': SEARCH_MODULE });
      return say.write({ 'server/entities/product.js': isCiFix(task) ? BACKEND_CI_FIXED : PRODUCT_MODULE });
    },
    frontend: ({ turn, task }) =>
      turn === 0
        ? say.write({ 'web/src/products.js': isCiFix(task) ? FRONTEND_CI_FIXED : PRODUCT_SCREEN })
        : say.done(),
    review: () => say.approve(),
  };
}
