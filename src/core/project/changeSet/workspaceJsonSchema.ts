import * as z from 'zod/mini';
import { workspaceSchema } from './workspaceSchema';

/** Where init puts the schema beside the file it proposes, for editors that read the file's first line. */
export const WORKSPACE_SCHEMA_FILE = '.claude/workspace.schema.json';
/** The proposed file's first line: the YAML language server (any editor) checks the file against the schema beside it. */
export const WORKSPACE_SCHEMA_MODELINE = 'yaml-language-server: $schema=workspace.schema.json';

export function workspaceSchemaText(): string {
  return `${JSON.stringify(workspaceJsonSchema(), null, 2)}\n`;
}

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
