import * as z from 'zod/mini';
import { workflowSchema } from './workflowSchema';

/**
 * The workflow schema as JSON Schema (draft-07, what the YAML extension reads), contributed to
 * the editor for `.claude/workflows/*.yaml` (package.json `yamlValidation`). The committed copy,
 * media/workflow.schema.json, is this output; a unit test keeps them equal
 * (`node scripts/workflow-schema.mjs` rewrites it).
 */
export function workflowJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(workflowSchema, { io: 'input', target: 'draft-7' }) as Record<string, unknown>;
  return { ...schema, title: 'Orchestrator workflow (.claude/workflows/<name>.yaml)' };
}
