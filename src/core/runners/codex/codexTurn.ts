/**
 * One turn of Codex through its SDK (`@openai/codex-sdk`, loaded lazily: it is an ES module and
 * only runs that choose Codex need it): a new thread or `resumeThread(session)`, the prompt on
 * stdin, the permission profile and approvals from permissions.ts, the model provider from the
 * runner's variables, the final answer's JSON schema as `outputSchema`. The SDK's events are
 * mapped to what the room shows (commands run, files edited, messages); usage comes from the
 * session file per model response (sessionUsage.ts), so a budget can end the turn mid-way.
 */
import type { Codex, ThreadEvent, ThreadItem, ThreadOptions } from '@openai/codex-sdk';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { codexControls } from './permissions';
import { findSessionFile, SessionUsageFollower, sizeOf, type CodexResponseUsage } from './sessionUsage';

/** What the room shows of a Codex turn as it happens. */
export type CodexActivity =
  | { kind: 'session'; session: string }
  | { kind: 'command'; command: string; exitCode?: number; done: boolean; output?: string }
  | { kind: 'files'; changes: { path: string; kind: 'add' | 'delete' | 'update' }[]; ok: boolean }
  | { kind: 'tool'; name: string; done: boolean }
  | { kind: 'message'; text: string }
  | { kind: 'warning'; text: string }
  | { kind: 'usage'; usage: CodexResponseUsage };

export interface CodexTurnRequest {
  /** The codex program (`agentCli.codex.command`, resolved). */
  command: string;
  /** The agent's own worktree: Codex's working directory and only workspace root. */
  worktree: string;
  /** The agent's CODEX_HOME (sessions, state): the same for every turn of one agent. */
  codexHome: string;
  /** The whole environment Codex sees (the SDK inherits nothing else). */
  env: Record<string, string>;
  model?: string;
  /** The agent's standing instructions (a developer message). */
  instructions: string;
  prompt: string;
  /** A thread to continue (`codex exec resume`). */
  session?: string;
  readOnly: boolean;
  owns: readonly string[];
  deny: readonly string[];
  /** JSON schema of the final answer (sent as `text.format`). */
  outputSchema?: Record<string, unknown>;
  signal: AbortSignal;
  onActivity: (activity: CodexActivity) => void;
}

export interface CodexTurnResult {
  session?: string;
  /** The last agent message (the final answer). */
  finalText: string;
  /** Why the turn failed (`turn.failed`, a fatal `error` event, the process's exit). */
  failure?: string;
}

/** Past this size the instructions go in the prompt (stdin), not on Codex's command line. */
const MAX_INSTRUCTIONS_ARG = 64 * 1024;

/**
 * OPENAI_BASE_URL in the runner's variables becomes Codex's own model provider: Codex 0.163.0
 * ignores the variable and its built-in provider tries a WebSocket first (docs/runners.md).
 */
export function providerOverrides(env: Record<string, string>): string[] {
  const baseUrl = env.OPENAI_BASE_URL;
  if (!baseUrl) return [];
  const key = env.OPENAI_API_KEY ? 'OPENAI_API_KEY' : 'CODEX_API_KEY';
  return [
    `model_providers.orchestrator={name="Orchestrator",base_url=${JSON.stringify(baseUrl)},env_key="${key}",wire_api="responses"}`,
    'model_provider="orchestrator"',
  ];
}

type CodexModule = typeof import('@openai/codex-sdk');
let sdk: Promise<CodexModule> | undefined;
// The SDK is an ES module; this CommonJS bundle loads it with a real dynamic import.
const loadSdk = (): Promise<CodexModule> => (sdk ??= import('@openai/codex-sdk'));

function activityOf(event: ThreadEvent): CodexActivity | undefined {
  switch (event.type) {
    case 'thread.started':
      return { kind: 'session', session: event.thread_id };
    case 'item.started':
    case 'item.completed':
      return itemActivity(event.item, event.type === 'item.completed');
    case 'error':
      return { kind: 'warning', text: event.message };
    default:
      return undefined;
  }
}

function itemActivity(item: ThreadItem, done: boolean): CodexActivity | undefined {
  switch (item.type) {
    case 'command_execution':
      return {
        kind: 'command',
        command: item.command,
        done,
        ...(item.exit_code !== undefined ? { exitCode: item.exit_code } : {}),
        ...(done && item.aggregated_output ? { output: item.aggregated_output } : {}),
      };
    case 'file_change':
      return done ? { kind: 'files', changes: item.changes, ok: item.status === 'completed' } : undefined;
    case 'mcp_tool_call':
      return { kind: 'tool', name: `${item.server}.${item.tool}`, done };
    case 'web_search':
      return { kind: 'tool', name: 'web_search', done };
    case 'agent_message':
      return done ? { kind: 'message', text: item.text } : undefined;
    case 'error':
      return { kind: 'warning', text: item.message };
    default:
      return undefined;
  }
}

/**
 * The SDK writes the output schema to a file under os.tmpdir() when the stream is first read, and
 * passes its path to Codex: inside the sandbox the host's temp folder is not there. That first
 * read is started with TMPDIR pointing into the agent's CODEX_HOME (bound at its own path) and
 * TMPDIR put back at once: the SDK takes the folder synchronously, before its first await, so no
 * other code of this process ever sees the change.
 */
async function* visibleSchemaFile<T>(events: AsyncGenerator<T>, codexHome: string): AsyncGenerator<T> {
  const dir = join(codexHome, 'tmp');
  mkdirSync(dir, { recursive: true });
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  let first: Promise<IteratorResult<T>>;
  try {
    first = events.next();
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
  const head = await first;
  if (head.done) return;
  yield head.value;
  yield* events;
}

export async function runCodexTurn(request: CodexTurnRequest): Promise<CodexTurnResult> {
  const { Codex: CodexClass } = await loadSdk();
  const controls = codexControls({
    readOnly: request.readOnly,
    owns: request.owns,
    deny: request.deny,
    worktree: request.worktree,
  });
  const longInstructions = request.instructions.length > MAX_INSTRUCTIONS_ARG;
  const configOverrides = [
    ...providerOverrides(request.env),
    ...controls.configOverrides,
    ...(longInstructions || !request.instructions
      ? []
      : [`developer_instructions=${JSON.stringify(request.instructions)}`]),
  ];
  const codex: Codex = new CodexClass({
    codexPathOverride: request.command,
    env: { ...request.env, CODEX_HOME: request.codexHome },
    configOverrides,
  });
  const options: ThreadOptions = {
    workingDirectory: request.worktree,
    skipGitRepoCheck: true,
    ...(request.model ? { model: request.model } : {}),
  };
  const thread = request.session ? codex.resumeThread(request.session, options) : codex.startThread(options);
  const prompt = longInstructions ? `${request.instructions}\n\n${request.prompt}` : request.prompt;

  let session = request.session;
  // A resumed thread appends to its file: only what this turn adds is counted.
  const startOffset = request.session ? await sizeOf(await findSessionFile(request.codexHome, request.session)) : 0;
  let follower: SessionUsageFollower | undefined;
  // Codex writes its session file once the thread exists: look for it until it is there. One
  // look at a time, the last one (after the process ended) behind any still under way.
  const look = async (): Promise<void> => {
    if (!follower && session) {
      const file = await findSessionFile(request.codexHome, session);
      if (file)
        follower ??= new SessionUsageFollower(file, startOffset, (usage) =>
          request.onActivity({ kind: 'usage', usage }),
        );
    }
    await follower?.poll();
  };
  let looking: Promise<void> | undefined;
  const polling = setInterval(() => {
    looking ??= look()
      .catch(() => undefined)
      .finally(() => (looking = undefined));
  }, 100);

  let finalText = '';
  let failure: string | undefined;
  try {
    const { events } = await thread.runStreamed(prompt, {
      signal: request.signal,
      ...(request.outputSchema ? { outputSchema: request.outputSchema } : {}),
    });
    for await (const event of visibleSchemaFile(events, request.codexHome)) {
      if (event.type === 'thread.started') session = event.thread_id;
      if (event.type === 'turn.failed') failure = event.error.message;
      if (event.type === 'item.completed' && event.item.type === 'agent_message') finalText = event.item.text;
      const activity = activityOf(event);
      if (activity) request.onActivity(activity);
    }
  } catch (error) {
    failure ??= error instanceof Error ? error.message : String(error);
  } finally {
    clearInterval(polling);
    await looking;
    await look();
  }
  return { ...(session ? { session } : {}), finalText, ...(failure ? { failure } : {}) };
}
