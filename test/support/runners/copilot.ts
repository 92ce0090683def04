// The real Copilot CLI (from npm, pinned) as a layer's or role's runner, pointed at the Messages
// API test server as a provider of the user's own (BYOK: COPILOT_PROVIDER_TYPE=anthropic and
// COPILOT_PROVIDER_BASE_URL among the runner's variables). Our own agents keep talking to the
// harness's server; Copilot's requests are routed per agent the same way (its system prompt
// carries our "# You are the X SPECIALIST" block, appended to Copilot's own).
import { join, resolve } from 'node:path';
import { routeByAgent, type AgentCall } from '../agentCalls';
import type { Harness } from '../engine/harness';
import { onRunner, runnerWorld, withEnvironment, type OnRunnerOptions } from './runnerWorld';
import {
  block,
  lastToolResults,
  reply,
  startMessagesApiServer,
  type MessagesApiServer,
  type RecordedRequest,
  type Scripted,
  type ScriptedReply,
} from '../messagesApiServer';

/** Copilot CLI 1.0.102 from @github/copilot (its launcher; the platform binary comes with it). */
export const COPILOT_COMMAND = resolve(__dirname, '../../../node_modules/.bin/copilot');
export const COPILOT_KEY = 'sk-test-copilot-not-a-real-key-0000';
/** A model Copilot knows (its agent configuration and limits come from its catalog), priced in the test config. */
export const COPILOT_MODEL = 'claude-sonnet-4.5';
const VARIABLES = ['COPILOT_PROVIDER_BASE_URL', 'COPILOT_PROVIDER_TYPE', 'COPILOT_PROVIDER_API_KEY'];

/** The config lines that put `layers` (and `roles`) on copilot, with the npm program as its command and a priced model. */
export const onCopilot = (
  layers: string[],
  extra: OnRunnerOptions & { inputPrice?: number } = {},
): ((yaml: string) => string) =>
  onRunner(
    'copilot',
    {
      command: COPILOT_COMMAND,
      env: VARIABLES,
      model: COPILOT_MODEL,
      pricing: `pricing:\n  ${COPILOT_MODEL}: { input: ${extra.inputPrice ?? 5}, output: 25, cacheRead: 0.5, cacheWrite: 6.25 }\n`,
    },
    layers,
    extra,
  );

/** Copilot's provider comes from the runner's variables; a test sets them and puts them back. */
export const copilotEnvironment = (url: string): { restore(): void } => withEnvironment(copilotVariables(url));
const copilotVariables = (url: string): Record<string, string> => ({
  COPILOT_PROVIDER_BASE_URL: url,
  COPILOT_PROVIDER_TYPE: 'anthropic',
  COPILOT_PROVIDER_API_KEY: COPILOT_KEY,
});

/** Copilot prefixes each prompt with the date (`<current_datetime>…</current_datetime>`): set aside, so our "## " tasks mark attempts. */
const DATE = /^<current_datetime>[^<]*<\/current_datetime>\s*/;

export function withoutDate(req: RecordedRequest): RecordedRequest {
  const messages = req.body.messages.map((m) =>
    typeof m.content === 'string'
      ? { ...m, content: m.content.replace(DATE, '') }
      : { ...m, content: m.content.map((b) => (b.type === 'text' ? { ...b, text: b.text.replace(DATE, '') } : b)) },
  );
  return { ...req, body: { ...req.body, messages: messages as RecordedRequest['body']['messages'] } };
}

export interface CopilotServer {
  api: MessagesApiServer;
  calls: AgentCall[];
  callsOf(agent: string): AgentCall[];
}

/** The Messages API server, scripted per Copilot agent and per turn like the harness's agents. */
export async function copilotServer(
  agents: Record<string, (call: AgentCall) => Scripted | Promise<Scripted>>,
): Promise<CopilotServer> {
  const { route, calls } = routeByAgent(agents);
  const api = await startMessagesApiServer(
    (req) => {
      const scripted = route(withoutDate(req));
      calls.at(-1)!.req = req;
      return scripted;
    },
    { apiKey: COPILOT_KEY },
  );
  return { api, calls, callsOf: (agent) => calls.filter((c) => c.agent === agent) };
}

/** The folder Copilot works in, as our first message states it (Copilot's own prompt does not, in the SDK's empty mode). */
export function copilotCwd(req: RecordedRequest): string {
  const cwd = /You work in ([^\s,"\\]+), a copy of the project/.exec(JSON.stringify(req.body.messages))?.[1];
  if (!cwd) throw new Error('no working directory in the task Copilot was given');
  return cwd;
}

/** What a scripted model says to the real Copilot CLI, in its own tools. */
export const copilotSays = {
  /** Creates files (workspace-relative paths) with Copilot's `create` tool, all in one reply. */
  create: (req: RecordedRequest, files: Record<string, string>): ScriptedReply =>
    reply.turn(
      Object.entries(files).map(([path, content]) =>
        block.toolUse('create', { path: join(copilotCwd(req), path), file_text: content }),
      ),
    ),
  bash: (command: string): ScriptedReply => reply.toolUse('bash', { command, description: 'run a command' }),
  view: (req: RecordedRequest, path: string): ScriptedReply =>
    reply.toolUse('view', { path: join(copilotCwd(req), path) }),
  /** Replaces `before` with `after` in a file with Copilot's `edit` tool (its `create` refuses an existing file). */
  edit: (req: RecordedRequest, path: string, before: string, after: string): ScriptedReply =>
    reply.toolUse('edit', { path: join(copilotCwd(req), path), old_str: before, new_str: after }),
  /** The final message: our final tool's input as JSON text. */
  answer: (value: unknown): ScriptedReply => reply.text(JSON.stringify(value)),
  done: (summary = 'Implemented the tasks of my layer.'): ScriptedReply =>
    reply.text(JSON.stringify({ status: 'done', summary })),
};

/** The text of the tool results Copilot sent back in this request. */
export function toolResults(req: RecordedRequest): string {
  return lastToolResults(req)
    .map((r) => r.text)
    .join('\n');
}

/** The last text Copilot sent as the user's (our prompt, or what a resume said), without its date. */
export function lastPrompt(req: RecordedRequest): string {
  const last = [...withoutDate(req).body.messages]
    .reverse()
    .find((m) => m.role === 'user' && (typeof m.content === 'string' || m.content.some((b) => b.type === 'text')));
  if (!last) return '';
  return typeof last.content === 'string'
    ? last.content
    : last.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('\n');
}

/** Answers the n-th request with the n-th item, an item being a reply or a function of the request. */
export function steps(
  ...items: (Scripted | ((req: RecordedRequest) => Scripted))[]
): (req: RecordedRequest) => Scripted {
  let next = 0;
  return (req) => {
    const item = items[next++];
    if (!item) throw new Error(`script exhausted: only ${items.length} replies were scripted`);
    return typeof item === 'function' ? item(req) : item;
  };
}

/** The names of the tools Copilot offered the model in this request. */
export function toolNames(req: RecordedRequest): string[] {
  return (req.body.tools ?? []).map((t) => ('name' in t ? String(t.name) : '')).sort();
}

/** The usual world: our agents on the harness's server, Copilot's on its own. */
export async function copilotWorld(
  ours: Parameters<typeof runnerWorld>[2],
  copilot: Parameters<typeof copilotServer>[0],
  config: (yaml: string) => string,
  files?: Record<string, string>,
): Promise<{ h: Harness; cp: CopilotServer; done(): Promise<void> }> {
  const w = await runnerWorld(await copilotServer(copilot), copilotVariables, ours, config, files);
  return { h: w.h, cp: w.server, done: w.done };
}
