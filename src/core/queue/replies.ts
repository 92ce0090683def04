/**
 * What a task's requester is owed: a reply on the channel the task came from, when that channel
 * answers (src/portal/replies.ts sends them).
 */
import type { Reply, Task } from './types';

/** Channels a task's requester is answered on. */
export const REPLY_CHANNELS: readonly string[] = ['whatsapp'];

/** What the requester is owed, when the task came from a channel that answers (WhatsApp, a web chat). */
export function replyFor(task: Task, body: string): Pick<Reply, 'channel' | 'recipient' | 'body'> | undefined {
  if (!task.requester || !REPLY_CHANNELS.includes(task.source)) return undefined;
  return { channel: task.source, recipient: task.requester, body: body.slice(0, 1600) };
}
