// Writes what is generated from the config's zod schema (src/core/project/config/configSchema.ts):
// media/orchestrator.schema.json, the JSON Schema the YAML extension uses for
// .claude/orchestrator.yaml, and the table of every option and its default in
// docs/configuration.md. A unit test fails when either differs; run this after changing the schema.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { register } from 'tsx/cjs/api';

register();
const require = createRequire(import.meta.url);
const { configJsonSchema, withOptionsTable } = require('../src/core/project/config/index.ts');
const schema = new URL('../media/orchestrator.schema.json', import.meta.url);
writeFileSync(schema, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
console.log(`wrote ${schema.pathname}`);
const doc = new URL('../docs/configuration.md', import.meta.url);
writeFileSync(doc, withOptionsTable(readFileSync(doc, 'utf8')));
console.log(`wrote the options of ${doc.pathname}`);
