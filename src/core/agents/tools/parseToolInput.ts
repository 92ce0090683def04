import * as z from 'zod/mini';
import { inEnglish } from '../../text/zodEnglish';
import type { ToolDefinition } from '../../llm';

export type ParsedInput<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Validates a tool input; the failure is one line naming the first bad field. */
export function parseToolInput<T>(tool: string, schema: z.ZodMiniType<T>, input: unknown): ParsedInput<T> {
  const result = schema.safeParse(input, inEnglish);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : 'input';
  const message = (issue?.message ?? 'invalid input').replace(/^Invalid input: /, '').replace(/\s+/g, ' ');
  const more = result.error.issues.length > 1 ? ` (+${result.error.issues.length - 1} more)` : '';
  return { ok: false, reason: `invalid input for ${tool}: ${field}: ${message}${more}` };
}

/** The tool schemas are module constants and every agent of every run lists them: converted once each. */
const jsonSchemas = new WeakMap<z.ZodMiniType, string>();

/** The JSON Schema of a zod schema's input, without its `$schema` line. */
export function inputJsonSchema(schema: z.ZodMiniType): Record<string, unknown> {
  let known = jsonSchemas.get(schema);
  if (!known) {
    const { $schema: _ignored, ...jsonSchema } = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
    known = JSON.stringify(jsonSchema);
    jsonSchemas.set(schema, known);
  }
  // A copy: a caller may add to it (toToolDefinition does).
  return JSON.parse(known) as Record<string, unknown>;
}

/** The tool definition (JSON Schema of its input) for a zod object schema. */
export function toToolDefinition(name: string, description: string, schema: z.ZodMiniType): ToolDefinition {
  return { name, description, inputSchema: { ...inputJsonSchema(schema), type: 'object' } };
}
