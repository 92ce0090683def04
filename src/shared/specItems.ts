// The spec list's rows as the sidebar shows them: split from viewState.ts, which re-exports them.
import * as z from 'zod/mini';

export const layerPickSchema = z.object({
  task: z.string(),
  layers: z.array(z.string()),
  proposed: z.optional(z.string()),
});
/** `pick`: a task of an imported spec marked "no layer" (or whose layer the model proposed: `proposed`), which the human gives a layer in the sidebar. */
export const unownedItemSchema = z.object({
  kind: z.enum(['task', 'file']),
  line: z.number(),
  text: z.string(),
  pick: z.optional(layerPickSchema),
});
export type UnownedItemView = z.infer<typeof unownedItemSchema>;

export const specItemSchema = z.object({
  id: z.string(),
  title: z.string(),
  kind: z.enum(['feature', 'bugfix']),
  status: z.string(),
  path: z.string(),
  created: z.string(),
  /** Open tasks and files no configured layer owns (a spec a human edited): shown before approval. */
  unowned: z.optional(z.array(unownedItemSchema)),
  /** A Mustard spec folder: its stage and outcome, and why `approve` refuses it when it does. */
  mustard: z.optional(
    z.object({
      stage: z.optional(z.string()),
      outcome: z.optional(z.string()),
      waves: z.number(),
      completedWaves: z.number(),
      approvedByUser: z.boolean(),
      refusal: z.optional(z.string()),
    }),
  ),
  /** A Kiro or Spec Kit folder not imported yet (`id` is the folder): its counts, state, next step, and why it cannot be imported yet. */
  foreign: z.optional(
    z.object({
      format: z.enum(['kiro', 'speckit']),
      files: z.array(z.string()),
      state: z.enum(['ready', 'no-tasks', 'no-readable-tasks']),
      requirements: z.optional(z.number()),
      tasks: z.optional(z.number()),
      doneTasks: z.optional(z.number()),
      counted: z.optional(z.literal(false)),
      next: z.string(),
      refusal: z.optional(z.string()),
      warnings: z.array(z.string()),
    }),
  ),
  /** The folder an imported spec came from. */
  source: z.optional(z.string()),
});
export type SpecItem = z.infer<typeof specItemSchema>;

export const selectedSpecSchema = z.object({
  id: z.string(),
  path: z.string(),
  markdown: z.string(),
});
export type SelectedSpec = z.infer<typeof selectedSpecSchema>;
