/**
 * The sidebar's view of the task queue (seed 004): tasks, their artifacts and replies, as
 * viewState.ts carries them to the webview. zod/mini, free of VS Code and Node imports (the
 * webview bundles it).
 */
import * as z from 'zod/mini';

export const queueArtifactSchema = z.object({
  id: z.string(),
  type: z.enum(['code', 'diff', 'text', 'screenshot']),
  path: z.optional(z.string()),
  /** Text and screenshots as submitted (long text cut by the host; a screenshot is a base64 PNG); empty for code and diffs, shown by `preview`. */
  content: z.string(),
  /** Code and diffs: the first lines of the diff against the workspace file, and its counts (the whole diff opens in an editor). */
  preview: z.optional(
    z.object({
      lines: z.array(z.string()),
      totalLines: z.number(),
      added: z.number(),
      removed: z.number(),
      files: z.array(z.object({ path: z.string(), status: z.enum(['added', 'modified', 'deleted']) })),
      note: z.optional(z.string()),
    }),
  ),
  truncated: z.optional(z.boolean()),
  submittedBy: z.string(),
  submittedAt: z.string(),
  verdict: z.optional(z.enum(['approved', 'rejected'])),
  decidedBy: z.optional(z.string()),
  refusal: z.optional(z.string()),
});
export type QueueArtifactView = z.infer<typeof queueArtifactSchema>;

export const queueTaskSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  source: z.string(),
  status: z.enum(['pending', 'claimed', 'in_progress', 'review_pending', 'approved', 'rejected', 'done']),
  layer: z.optional(z.string()),
  claimer: z.optional(z.string()),
  leaseUntil: z.optional(z.string()),
  artifacts: z.array(queueArtifactSchema),
  messages: z.array(z.object({ author: z.string(), text: z.string(), at: z.string() })),
});
export type QueueTaskView = z.infer<typeof queueTaskSchema>;

export const queueViewSchema = z.object({
  tasks: z.array(queueTaskSchema),
  /** Why the queue could not be read (a broken config, an unreachable queue.url). */
  error: z.optional(z.string()),
});
export type QueueView = z.infer<typeof queueViewSchema>;
