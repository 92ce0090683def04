// The real opencode CLI (from npm, pinned) as a layer's or role's runner, pointed at the Chat
// Completions test server through the runner's variables (OPENAI_BASE_URL becomes opencode's
// own `orchestrator` provider, an OpenAI-compatible one). Our own agents keep talking to the
// harness's Messages API server; opencode's requests are routed per agent the same way (its
// system prompt is our role's text, "# You are the X SPECIALIST").
import { resolve } from 'node:path';
import { routeByAgent, type AgentCall } from '../agentCalls';
import { startChatCompletionsServer, type ChatCompletionsServer, type ChatRecordedRequest } from '../chatCompletionsServer';
import { harness, type Harness } from '../engine/harness';
import { lastToolResults, reply, type RecordedRequest, type Scripted, type ScriptedReply } from '../messagesApiServer';

/** opencode 1.18.33 from opencode-ai (its launcher; the platform binary comes with it). */
export const OPENCODE_COMMAND = resolve(__dirname, '../../../node_modules/.bin/opencode');
export const OPENCODE_KEY = 'sk-test-opencode-not-a-real-key-00';
/** The gateway's model, priced in the test config. */
export const OPENCODE_MODEL = 'oc-test-model';

/** What a scripted model says to the real opencode: its own tools and a final JSON answer. */
export const opencodeSays = {
  write: (files: Record<string, string>): ScriptedReply => reply.turn(Object.entries(files).map(([filePath, content]) => ({ type: 'tool_use' as const, name: 'write', input: { filePath, content } }))),
  shell: (command: string): ScriptedReply => reply.toolUse('bash', { command, description: 'runs a command' }),
  answer: (value: unknown): ScriptedReply => reply.text(JSON.stringify(value)),
  done: (summary = 'Implemented the tasks of my layer.'): ScriptedReply => reply.text(JSON.stringify({ status: 'done', summary })),
};

/** The config lines that put `layers` (and `roles`) on opencode, with the npm program as its command and a priced model. */
export function onOpencode(layers: string[], extra: { roles?: string[]; agentCli?: string; priced?: boolean } = {}): (yaml: string) => string {
  return (yaml) => {
    let out = yaml;
    for (const layer of layers) out = out.replace(new RegExp(`(\\n {2}${layer}:\\n)`), `$1    runner: opencode\n`);
    const agents = [...layers, ...(extra.roles ?? [])].map((a) => `    ${a}: ${OPENCODE_MODEL}\n`).join('');
    out = out.replace(/\n {2}agents:\n/, `\n  agents:\n${agents}`).replace(/^(\s+)(review|spec): claude-[a-z0-9-]+\n/gm, (line, _indent: string, role: string) => (extra.roles?.includes(role) ? '' : line));
    const roles = extra.roles?.length ? `runners: { ${extra.roles.map((role) => `${role}: opencode`).join(', ')} }\n` : '';
    const pricing = extra.priced === false ? '' : `pricing:\n  ${OPENCODE_MODEL}: { input: 5, output: 40, cacheRead: 0.5 }\n`;
    return `${out}\n${roles}agentCli:\n  opencode: { command: ${JSON.stringify(OPENCODE_COMMAND)}, env: [OPENAI_API_KEY, OPENAI_BASE_URL]${extra.agentCli ? `, ${extra.agentCli}` : ''} }\n${pricing}`;
  };
}

/** opencode reads its endpoint and key from the runner's variables; a test sets them and puts them back. */
export function opencodeEnvironment(url: string): { restore(): void } {
  const saved = { OPENAI_BASE_URL: process.env.OPENAI_BASE_URL, OPENAI_API_KEY: process.env.OPENAI_API_KEY };
  process.env.OPENAI_BASE_URL = url;
  process.env.OPENAI_API_KEY = OPENCODE_KEY;
  return {
    restore() {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    },
  };
}

/** An agent call whose request is opencode's, as sent (`wire`: the Chat Completions body). */
export type OpencodeCall = AgentCall & { req: ChatRecordedRequest };

export interface OpencodeServer {
  api: ChatCompletionsServer;
  calls: OpencodeCall[];
  callsOf(agent: string): OpencodeCall[];
}

/** The Chat Completions server, scripted per opencode agent and per turn like the harness's agents. */
export async function opencodeServer(agents: Record<string, (call: AgentCall) => Scripted | Promise<Scripted>>): Promise<OpencodeServer> {
  const { route, calls } = routeByAgent(agents);
  const api = await startChatCompletionsServer((req) => {
    const scripted = route(req);
    calls.at(-1)!.req = req;
    return scripted;
  }, { apiKey: OPENCODE_KEY });
  const ocCalls = calls as OpencodeCall[];
  return { api, calls: ocCalls, callsOf: (agent) => ocCalls.filter((c) => c.agent === agent) };
}

/** The text of the tool results opencode sent back in this request. */
export function toolOutputs(req: RecordedRequest): string[] {
  return lastToolResults(req).map((r) => r.text);
}

/** The last text opencode sent as the user's (our prompt, or what a resume said). */
export function lastPrompt(req: RecordedRequest): string {
  const last = [...req.body.messages].reverse().find((m) => m.role === 'user' && Array.isArray(m.content) && m.content.some((b) => b.type === 'text'));
  if (!last || !Array.isArray(last.content)) return '';
  return last.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).at(-1) ?? '';
}

/** The usual world: our agents on the harness's server, opencode's on its own. */
export async function opencodeWorld(
  ours: Parameters<typeof harness>[0],
  oc: Parameters<typeof opencodeServer>[0],
  config: (yaml: string) => string,
  files?: Record<string, string>,
): Promise<{ h: Harness; oc: OpencodeServer; done(): Promise<void> }> {
  const server = await opencodeServer(oc);
  const h = await harness(ours, { config, ...(files ? { files } : {}) });
  const env = opencodeEnvironment(server.api.url);
  return {
    h,
    oc: server,
    async done() {
      env.restore();
      await server.api.close();
      await h.close();
    },
  };
}
