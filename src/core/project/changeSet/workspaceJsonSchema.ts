import * as z from 'zod/mini';
import { workspaceSchema } from './workspaceSchema';

/**
 * The workspace file's zod schema (workspaceSchema.ts, the one source) as JSON Schema (draft-07, what
 * the YAML extension reads), contributed to the editor for `.claude/workspace.yaml` (package.json
 * `yamlValidation`). The committed copy, media/workspace.schema.json, is this output; a unit test keeps
 * them equal (`node scripts/workspace-schema.mjs` rewrites it). What the loader checks across keys (a
 * member named under `repositories`, what a `via` needs) is the loader's alone.
 */
export function workspaceJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(workspaceSchema, { io: 'input', target: 'draft-7' }) as Record<string, unknown>;
  return { ...schema, title: 'Orchestrator workspace (.claude/workspace.yaml)' };
}
