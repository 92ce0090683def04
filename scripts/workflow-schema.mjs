// Writes media/workflow.schema.json from the workflow's zod schema (src/core/project/workflows):
// the JSON Schema the YAML extension uses for .claude/workflows/*.yaml. A unit test fails when
// the committed file and the schema differ; run this after changing the schema.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { register } from 'tsx/cjs/api';

register();
const require = createRequire(import.meta.url);
const { workflowJsonSchema } = require('../src/core/project/workflows/index.ts');
const target = new URL('../media/workflow.schema.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(workflowJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target.pathname}`);
