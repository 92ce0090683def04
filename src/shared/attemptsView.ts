/**
 * A run's attempts as the sidebar shows them (docs/attempts.md): each layer tried in attempts, its
 * attempts side by side with their figures, the one in the run and why, and the diffs the user
 * opened. The engine's fold (attemptsOfRun) gives the figures; the host bounds the diffs. Free of
 * VS Code and Node imports: the webview bundles it.
 */
import * as z from 'zod/mini';
import { MAX_ATTEMPTS } from '../core/text/runnerNames';

// Whether an attempt can be used now is the engine's one rule: the sidebar offers what the engine takes.
export { attemptRefusal, layerSwapClosed } from '../core/text/attemptUse';

export const attemptViewSchema = z.object({
  k: z.number(),
  runner: z.string(),
  model: z.optional(z.string()),
  state: z.enum(['running', 'judged', 'skipped']),
  proofGreen: z.optional(z.number()),
  proofTotal: z.optional(z.number()),
  validate: z.optional(z.enum(['passed', 'failed'])),
  retries: z.optional(z.number()),
  costUsd: z.optional(z.number()),
  durationMs: z.optional(z.number()),
  diff: z.optional(z.object({ files: z.number(), insertions: z.number(), deletions: z.number() })),
  ref: z.optional(z.string()),
  error: z.optional(z.string()),
  reason: z.optional(z.string()),
  picked: z.boolean(),
});
export type AttemptCardView = z.infer<typeof attemptViewSchema>;

export const layerAttemptsSchema = z.object({
  layer: z.string(),
  of: z.number(),
  attempts: z.array(attemptViewSchema),
  picked: z.optional(
    z.object({ k: z.number(), why: z.string(), by: z.enum(['judged', 'person']), phase: z.optional(z.string()) }),
  ),
});
export type LayerAttemptsView = z.infer<typeof layerAttemptsSchema>;

/** One file of an attempt's diff: its patch as git wrote it, cut by the host (`clipped`). */
export const attemptFileSchema = z.object({
  path: z.string(),
  status: z.enum(['added', 'modified', 'deleted']),
  insertions: z.number(),
  deletions: z.number(),
  binary: z.optional(z.literal(true)),
  patch: z.string(),
  clipped: z.optional(z.literal(true)),
});
export type AttemptFileView = z.infer<typeof attemptFileSchema>;

/** An attempt's diff the user opened; `more`: files left out (the view shows the first ones). */
export const attemptDiffSchema = z.object({
  layer: z.string(),
  k: z.number(),
  files: z.array(attemptFileSchema),
  more: z.optional(z.number()),
});
export type AttemptDiffView = z.infer<typeof attemptDiffSchema>;

/** An attempt the webview names (its diff, or Use this attempt): a layer as the config names layers, k from 1. */
export const attemptTarget = {
  layer: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,100}$/)),
  k: z.int().check(z.minimum(1), z.maximum(MAX_ATTEMPTS)),
};
