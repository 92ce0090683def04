/**
 * Everything that reaches the chat host from outside, checked with zod before use: the language
 * model tools' inputs (VS Code does not check them against `inputSchema`), the ids a button or a
 * follow-up carries back, and the ids typed after a slash command.
 */
import * as z from 'zod/mini';
import { LAYER_RUNNERS, MAX_ATTEMPTS } from '../../core/text/runnerNames';
import { inEnglish } from '../../core/text/zodEnglish';
import { codeSpan } from './markdown';

/** A spec id (`2026-11-24-product-entity`, or a Mustard/Kiro folder name) or a run id (`20261124-101530-ab12`). */
export const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const id = z.string().check(z.regex(ID, { error: 'expected an id (letters, digits, . _ -)' }));

const request = z
  .string()
  .check(z.trim(), z.minLength(3, { error: 'describe it in a few words' }), z.maxLength(20_000));
/** Attempts per layer (docs/attempts.md), as the CLI's `--attempts N`. */
const attempts = z.int().check(z.minimum(1), z.maximum(MAX_ATTEMPTS));

export const startRunInput = z.strictObject({
  request,
  workflow: z.optional(z.string().check(z.regex(/^[\w.-]{1,64}$/, { error: 'expected a workflow name' }))),
  runner: z.optional(z.enum(LAYER_RUNNERS)),
  isolation: z.optional(z.enum(['in-place', 'worktree'])),
  attempts: z.optional(attempts),
});
export type StartRunInput = z.infer<typeof startRunInput>;

export const runStatusInput = z.strictObject({ runId: z.optional(id) });
export const listSpecsInput = z.strictObject({});
export const verifySpecInput = z.strictObject({ specId: id, strength: z.optional(z.boolean()) });

/** The metadata a response leaves for its follow-ups (ChatResult.metadata). */
export const followupMetadata = z.object({
  next: z.optional(z.enum(['approve', 'resume', 'verify', 'status'])),
  specId: z.optional(id),
  runId: z.optional(id),
});
export type FollowupMetadata = z.infer<typeof followupMetadata>;

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

/** Parses `raw`; the error names the first bad field, short enough for one line. */
export function check<T>(schema: z.ZodMiniType<T>, raw: unknown): Checked<T> {
  const result = schema.safeParse(raw, inEnglish);
  if (result.success) return { ok: true, value: result.data };
  const first = result.error.issues[0];
  return { ok: false, error: first ? `${first.path.join('.') || 'input'}: ${first.message}` : 'invalid input' };
}

/**
 * A slash command's leading `--attempts N` (or `--attempts=N`), as the CLI's: taken off the
 * prompt and checked; the rest is the request (or the spec id). No such option: the prompt as it
 * is. `usage`: the command's own example, for the error.
 */
export function leadingAttempts(prompt: string, usage: string): Checked<{ attempts?: number; rest: string }> {
  const text = prompt.trim();
  const given = /^--attempts(?:(?:=|\s+)(\S+))?(?:\s+|$)/.exec(text);
  if (!given) return { ok: true, value: { rest: text } };
  const value = given[1];
  const n = value !== undefined && /^\d{1,3}$/.test(value) ? Number(value) : Number.NaN;
  if (!attempts.safeParse(n).success)
    return {
      ok: false,
      error: `\`--attempts\` takes a whole number from 1 to ${MAX_ATTEMPTS} (got ${value === undefined ? 'nothing' : codeSpan(value, 20)}), e.g. ${codeSpan(usage)}.`,
    };
  return { ok: true, value: { attempts: n, rest: text.slice(given[0].length) } };
}

/** An id argument (a button's, a command's), or undefined when it is not one. */
export const idArg = (value: unknown): string | undefined =>
  typeof value === 'string' && ID.test(value) ? value : undefined;
