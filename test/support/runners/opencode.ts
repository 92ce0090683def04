// The real opencode CLI (from npm, pinned) as a layer's or role's runner, pointed at the Chat
// Completions test server through the runner's variables (OPENAI_BASE_URL becomes opencode's
// own `orchestrator` provider, an OpenAI-compatible one). Our own agents keep talking to the
// harness's Messages API server; opencode's requests are routed per agent the same way (its
// system prompt is our role's text, "# You are the X SPECIALIST").
import { resolve } from 'node:path';
import { routeByAgent, type AgentCall } from '../agentCalls';
import {
  startChatCompletionsServer,
  type ChatCompletionsServer,
  type ChatRecordedRequest,
} from '../chatCompletionsServer';
import type { Harness } from '../engine/harness';
import { onRunner, runnerWorld, withEnvironment, type OnRunnerOptions } from './runnerWorld';
import { reply, type Scripted, type ScriptedReply } from '../messagesApiServer';

/** opencode 1.18.33 from opencode-ai (its launcher; the platform binary comes with it). */
export const OPENCODE_COMMAND = resolve(__dirname, '../../../node_modules/.bin/opencode');
export const OPENCODE_KEY = 'sk-test-opencode-not-a-real-key-00';
/** The gateway's model, priced in the test config. */
export const OPENCODE_MODEL = 'oc-test-model';

/** What a scripted model says to the real opencode: its own tools and a final JSON answer. */
export const opencodeSays = {
  write: (files: Record<string, string>): ScriptedReply =>
    reply.turn(
      Object.entries(files).map(([filePath, content]) => ({
        type: 'tool_use' as const,
        name: 'write',
        input: { filePath, content },
      })),
    ),
  shell: (command: string): ScriptedReply => reply.toolUse('bash', { command, description: 'runs a command' }),
  answer: (value: unknown): ScriptedReply => reply.text(JSON.stringify(value)),
  done: (summary = 'Implemented the tasks of my layer.'): ScriptedReply =>
    reply.text(JSON.stringify({ status: 'done', summary })),
};

/** The config lines that put `layers` (and `roles`) on opencode, with the npm program as its command and a priced model. */
export const onOpencode = (
  layers: string[],
  extra: Pick<OnRunnerOptions, 'roles' | 'agentCli'> & { priced?: boolean } = {},
): ((yaml: string) => string) =>
  onRunner(
    'opencode',
    {
      command: OPENCODE_COMMAND,
      env: ['OPENAI_API_KEY', 'OPENAI_BASE_URL'],
      model: OPENCODE_MODEL,
      pricing:
        extra.priced === false ? '' : `pricing:\n  ${OPENCODE_MODEL}: { input: 5, output: 40, cacheRead: 0.5 }\n`,
    },
    layers,
    extra,
  );

/** opencode reads its endpoint and key from the runner's variables; a test sets them and puts them back. */
export const opencodeEnvironment = (url: string): { restore(): void } => withEnvironment(opencodeVariables(url));
const opencodeVariables = (url: string): Record<string, string> => ({
  OPENAI_BASE_URL: url,
  OPENAI_API_KEY: OPENCODE_KEY,
});

/** An agent call whose request is opencode's, as sent (`wire`: the Chat Completions body). */
export type OpencodeCall = AgentCall & { req: ChatRecordedRequest };

export interface OpencodeServer {
  api: ChatCompletionsServer;
  calls: OpencodeCall[];
  callsOf(agent: string): OpencodeCall[];
}

/** The Chat Completions server, scripted per opencode agent and per turn like the harness's agents. */
export async function opencodeServer(
  agents: Record<string, (call: AgentCall) => Scripted | Promise<Scripted>>,
): Promise<OpencodeServer> {
  const { route, calls } = routeByAgent(agents);
  const api = await startChatCompletionsServer(
    (req) => {
      const scripted = route(req);
      calls.at(-1)!.req = req;
      return scripted;
    },
    { apiKey: OPENCODE_KEY },
  );
  const ocCalls = calls as OpencodeCall[];
  return { api, calls: ocCalls, callsOf: (agent) => ocCalls.filter((c) => c.agent === agent) };
}

export { toolOutputs, lastUserText as lastPrompt } from '../messagesApiServer';

/** The usual world: our agents on the harness's server, opencode's on its own. */
export async function opencodeWorld(
  ours: Parameters<typeof runnerWorld>[2],
  oc: Parameters<typeof opencodeServer>[0],
  config: (yaml: string) => string,
  files?: Record<string, string>,
): Promise<{ h: Harness; oc: OpencodeServer; done(): Promise<void> }> {
  const w = await runnerWorld(await opencodeServer(oc), opencodeVariables, ours, config, files);
  return { h: w.h, oc: w.server, done: w.done };
}
