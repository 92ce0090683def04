// Writes media/workspace.schema.json from the workspace file's zod schema (src/core/project/changeSet):
// the JSON Schema the YAML extension uses for .claude/workspace.yaml. A unit test fails when the
// committed file and the schema differ; run this after changing the schema.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { register } from 'tsx/cjs/api';

register();
const require = createRequire(import.meta.url);
const { workspaceSchemaText } = require('../src/core/project/changeSet/index.ts');
const target = new URL('../media/workspace.schema.json', import.meta.url);
writeFileSync(target, workspaceSchemaText());
console.log(`wrote ${target.pathname}`);
