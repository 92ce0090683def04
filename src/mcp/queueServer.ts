/**
 * The task queue over MCP (docs/queue.md), on the official SDK: the
 * resource `orchestrator://queue` and the tools outside agents use to take a layer's work.
 * Every input is checked (the SDK against the tool's schema, the service against its own); a
 * bad call gets an error result, never a crash. The claimer is one identity per MCP session:
 * the name the client introduced itself with (for people to read) and a random id of this
 * session (for the queue to tell sessions apart). Two sessions of one tool, or two tools that
 * call themselves the same, are two claimers: neither can submit on the other's claim.
 */
import { randomUUID } from 'node:crypto';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import * as z from 'zod/mini';
import type { QueueService } from '../core/queue';
// Engine values come from the shared engine bundle (scripts/build.mjs keeps host bundles free of engine code).
import { ARTIFACT_TYPES, PAGE_LIMITS, QueueError, TASK_STATUSES } from '../core/engineBundle';

export const QUEUE_URI = 'orchestrator://queue';
/** list_tasks' page when the client names none: small enough for a model's context. */
const LIST_PAGE = 50;

type ToolResult = { content: { type: 'text'; text: string }[]; isError?: boolean };

const ok = (value: unknown): ToolResult => ({ content: [{ type: 'text', text: JSON.stringify(value, null, 2) }] });
const failed = (message: string): ToolResult => ({ content: [{ type: 'text', text: message }], isError: true });

/** Runs a tool; a queue rule it breaks (or anything unexpected) is the caller's error result. */
async function answer(work: () => Promise<unknown>): Promise<ToolResult> {
  try {
    return ok(await work());
  } catch (error) {
    return failed(error instanceof QueueError ? error.message : `internal error: ${(error as Error).message}`);
  }
}

/** `identity`: the agent account the session signed in as (its token), else the client's own name. */
export function createQueueServer(service: QueueService, version: string, identity?: string): McpServer {
  const server = new McpServer({ name: 'orchestrator-queue', version }, { capabilities: { resources: {}, tools: {} } });
  // One server object per session (stdio: the process; HTTP: see httpServer.ts), so one id per session.
  const session = randomUUID().slice(0, 8);
  const claimer = (): string =>
    `${identity ?? (server.server.getClientVersion()?.name?.slice(0, 60) || 'mcp-client')}#${session}`;

  server.registerResource(
    'queue',
    QUEUE_URI,
    {
      title: 'Task queue',
      description: `The first ${PAGE_LIMITS.maxTasks} tasks in queue order with their status, claimer and lease (JSON; descriptions cut to a preview). For more, list_tasks with its cursor.`,
      mimeType: 'application/json',
    },
    async (uri) => ({
      contents: [
        {
          uri: uri.href,
          mimeType: 'application/json',
          text: JSON.stringify((await service.listPage({}, PAGE_LIMITS.maxTasks)).tasks, null, 2),
        },
      ],
    }),
  );

  server.registerTool(
    'list_tasks',
    {
      description: `Tasks in the queue, a page at a time (${LIST_PAGE} by default, at most ${PAGE_LIMITS.maxTasks}), optionally only those with one status (pending, claimed, in_progress, review_pending, approved, rejected, done). Answers {tasks, counts, total, nextCursor?}: pass nextCursor back as cursor for the next page. Descriptions are cut to a preview: get_task reads one whole.`,
      inputSchema: {
        status: z.optional(z.enum(TASK_STATUSES)),
        cursor: z.optional(z.string()),
        limit: z.optional(z.number()),
      },
      annotations: { readOnlyHint: true },
    },
    async ({ status, cursor, limit }) => answer(() => service.listPage({ status, cursor, limit }, LIST_PAGE)),
  );

  server.registerTool(
    'create_task',
    {
      description: 'Adds a task to the queue (pending until someone claims it).',
      inputSchema: { title: z.string(), description: z.string(), source: z.optional(z.string()) },
    },
    async (input) => answer(() => service.createTask(input, 'mcp')),
  );

  server.registerTool(
    'claim_ticket',
    {
      description:
        'Claims a pending task for this client. Of concurrent claims exactly one wins; the others get an error. The claim lapses after the lease unless you send a message or submit work.',
      inputSchema: { task_id: z.string() },
    },
    async ({ task_id }) => answer(() => service.claim(task_id, claimer())),
  );

  server.registerTool(
    'submit_artifact',
    {
      description:
        "Submits work on a task you claimed, for a human to approve: code (the whole new file at `path`), a unified diff, text, or a screenshot (base64 PNG). Nothing is written to the workspace before approval; an approved code or diff artifact must stay inside the layer's files and pass its validation.",
      inputSchema: {
        task_id: z.string(),
        type: z.enum(ARTIFACT_TYPES),
        content: z.string(),
        path: z.optional(z.string()),
      },
    },
    async (input) => answer(() => service.submitArtifact(input, claimer())),
  );

  server.registerTool(
    'send_message',
    {
      description:
        "Adds a message to the task's thread (questions, progress). From the claimer it keeps the claim alive.",
      inputSchema: { task_id: z.string(), text: z.string() },
    },
    async ({ task_id, text }) => answer(() => service.sendMessage(task_id, claimer(), text)),
  );

  server.registerTool(
    'get_task',
    {
      description:
        "One task with its artifacts (and their review decisions) and its message thread: how you read a reviewer's rejection.",
      inputSchema: { task_id: z.string() },
      annotations: { readOnlyHint: true },
    },
    async ({ task_id }) => answer(() => service.detail(task_id)),
  );

  return server;
}
