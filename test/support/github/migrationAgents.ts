// The Product entity's database part alone, for the confirmation tests of the GitHub channel
// (issue 44): its spec names db/migrations/003_create_product.sql, not 004.
import { say, writesThenDone, type AgentScript } from '../engine/agentScript';
import { PRODUCT_SPEC } from '../engine/fixtures';

export const MIGRATION_SPEC = PRODUCT_SPEC.replace(/#### Backend[\s\S]*?### Tasks/, '### Tasks')
  .replace(/\n2\. .*\n3\. .*/, '')
  .replace(/#### REQ-2[\s\S]*?### API Contracts/, '### API Contracts');
export const NAMED_MIGRATION = 'db/migrations/003_create_product.sql';
export const UNNAMED_MIGRATION = 'db/migrations/004_product_index.sql';
export const INDEX_SQL = 'CREATE INDEX products_name ON products(name);\n';

export function migrationAgents(writes: Record<string, string>): Record<string, AgentScript> {
  return {
    spec: () => say.spec('Product entity', 'product-entity', MIGRATION_SPEC),
    database: writesThenDone(writes),
    review: () => say.approve(),
  };
}
