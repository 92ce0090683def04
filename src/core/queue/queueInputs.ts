/**
 * What the queue accepts from outside agents (MCP tools, CLI flags, webhooks, the sidebar) and
 * how a list of tasks is paged: the limits, the input schemas, the cursor, and the error a
 * refused input gets. Apart from queueService.ts, which re-exports what its callers use.
 */
import * as z from 'zod/mini';
import { inEnglish } from '../text/zodEnglish';
import { ARTIFACT_TYPES, TASK_STATUSES, type Task } from './types';

/** Every bound on what outside agents send; an input over one is refused with the limit's name. */
export const QUEUE_LIMITS = {
  titleChars: 300,
  descriptionChars: 20_000,
  sourceChars: 40,
  messageChars: 20_000,
  artifactBytes: 5 * 1024 * 1024,
  pathChars: 1000,
  idChars: 40,
  requesterChars: 200,
  deliveryIdChars: 200,
} as const;

/** A page of the task list: its default and largest size, and how much of each description it shows. */
export const PAGE_LIMITS = { defaultTasks: 100, maxTasks: 200, descriptionChars: 280 } as const;

/** A task in a list: its description cut to a preview. */
export type TaskSummary = Task & { descriptionTruncated?: true };

export interface TaskPage {
  tasks: TaskSummary[];
  /** Tasks per status (of the source filtered on, whatever the status filter): a page's tabs. */
  counts: Partial<Record<Task['status'], number>>;
  total: number;
  /** Pass back as `cursor` for the next page; absent on the last. */
  nextCursor?: string;
}

export function summary(task: Task): TaskSummary {
  if (task.description.length <= PAGE_LIMITS.descriptionChars) return task;
  return {
    ...task,
    description: `${task.description.slice(0, PAGE_LIMITS.descriptionChars)}…`,
    descriptionTruncated: true,
  };
}

/** A cursor this server gave (base64url of `[createdAt, id]`); anything else is the caller's mistake. */
export function cursorOf(cursor: unknown): { createdAt: string; id: string } {
  try {
    if (typeof cursor !== 'string' || cursor.length > 200) throw new Error();
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof createdAt !== 'string' || typeof id !== 'string') throw new Error();
    return { createdAt, id };
  } catch {
    throw new QueueError('cursor: not a cursor this queue gave (pass back nextCursor as it came)');
  }
}

export const over = (what: string, limit: number, unit = 'characters') =>
  `${what} is longer than ${limit} ${unit} (the queue's limit)`;

/** Inputs as outside agents send them (MCP tools, CLI flags, the sidebar): checked before anything else. */
export const newTaskInput = z.strictObject({
  title: z
    .string()
    .check(
      z.trim(),
      z.minLength(1, 'title is empty'),
      z.maxLength(QUEUE_LIMITS.titleChars, over('title', QUEUE_LIMITS.titleChars)),
    ),
  description: z._default(
    z.string().check(z.maxLength(QUEUE_LIMITS.descriptionChars, over('description', QUEUE_LIMITS.descriptionChars))),
    '',
  ),
  source: z.optional(
    z
      .string()
      .check(z.trim(), z.minLength(1), z.maxLength(QUEUE_LIMITS.sourceChars, over('source', QUEUE_LIMITS.sourceChars))),
  ),
});
/** A task from a channel (a signed webhook): who asked comes with it, to be answered there. */
export const deliveredTaskInput = z.strictObject({
  title: newTaskInput.shape.title,
  description: newTaskInput.shape.description,
  requester: z
    .string()
    .check(
      z.trim(),
      z.minLength(1, 'requester is empty'),
      z.maxLength(QUEUE_LIMITS.requesterChars, over('requester', QUEUE_LIMITS.requesterChars)),
    ),
});
export const artifactInput = z.strictObject({
  task_id: z.string().check(z.minLength(1), z.maxLength(QUEUE_LIMITS.idChars)),
  type: z.enum(ARTIFACT_TYPES),
  // Characters, not bytes, here; the byte count is checked after parsing (a character may be 4 bytes).
  content: z.string().check(z.maxLength(QUEUE_LIMITS.artifactBytes, over('content', 5, 'MB'))),
  path: z.optional(
    z.string().check(z.minLength(1), z.maxLength(QUEUE_LIMITS.pathChars, over('path', QUEUE_LIMITS.pathChars))),
  ),
});
export const messageInput = z.string().check(
  z.maxLength(QUEUE_LIMITS.messageChars, over('the message', QUEUE_LIMITS.messageChars)),
  z.refine((text) => text.trim() !== '', 'the message is empty'),
);
export const statusInput = z.enum(TASK_STATUSES);
export const limitInput = z
  .int()
  .check(
    z.minimum(1, 'limit is at least 1'),
    z.maximum(PAGE_LIMITS.maxTasks, `limit is at most ${PAGE_LIMITS.maxTasks} (the queue's page limit)`),
  );

/** A call the queue's rules refuse (unknown task, not the claimer, bad input): the caller's mistake, said plainly. */
export class QueueError extends Error {
  readonly code = 'E_USAGE';
}

export function parse<T>(schema: z.ZodMiniType<T>, input: unknown): T {
  const result = schema.safeParse(input, inEnglish);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new QueueError(`${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`);
}
