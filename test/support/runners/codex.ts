// The real Codex CLI (from npm, pinned) as a layer's or role's runner, pointed at the Responses
// API test server through the runner's variables (OPENAI_BASE_URL becomes Codex's own model
// provider). Our own agents keep talking to the harness's Messages API server; Codex's requests
// are routed per agent the same way (its developer text carries our "You are the X SPECIALIST").
import { resolve } from 'node:path';
import { routeByAgent, type AgentCall } from '../agentCalls';
import type { RecordedRequest, Scripted } from '../messagesApiServer';
import { startResponsesApiServer, type ResponsesApiServer, type ResponsesRecordedRequest } from '../responsesApiServer';

/** Codex CLI 0.163.0 from @openai/codex (its launcher; the platform binary comes with it). */
export const CODEX_COMMAND = resolve(__dirname, '../../../node_modules/.bin/codex');
export const CODEX_KEY = 'sk-test-codex-not-a-real-key-0000';
/** A model Codex knows (its apply_patch tool comes with it), priced in the test config. */
export const CODEX_MODEL = 'gpt-5.5';

/** The config lines that put `layers` (and `roles`) on codex, with the npm program as its command and a priced model. */
export function onCodex(layers: string[], extra: { roles?: string[]; agentCli?: string } = {}): (yaml: string) => string {
  return (yaml) => {
    let out = yaml;
    for (const layer of layers) out = out.replace(new RegExp(`(\\n {2}${layer}:\\n)`), `$1    runner: codex\n`);
    // models.agents.<role> is the model Codex is given (a model Codex knows has apply_patch).
    const agents = [...layers, ...(extra.roles ?? [])].map((a) => `    ${a}: ${CODEX_MODEL}\n`).join('');
    out = out.replace(/\n {2}agents:\n/, `\n  agents:\n${agents}`).replace(/^(\s+)(review|spec): claude-[a-z0-9-]+\n/gm, (line, _indent: string, role: string) => (extra.roles?.includes(role) ? '' : line));
    const roles = extra.roles?.length ? `runners: { ${extra.roles.map((role) => `${role}: codex`).join(', ')} }\n` : '';
    return `${out}\n${roles}agentCli:\n  codex: { command: ${JSON.stringify(CODEX_COMMAND)}, env: [OPENAI_API_KEY, OPENAI_BASE_URL]${extra.agentCli ? `, ${extra.agentCli}` : ''} }\npricing:\n  ${CODEX_MODEL}: { input: 5, output: 40, cacheRead: 0.5 }\n`;
  };
}

/** Codex reads its endpoint and key from the runner's variables; a test sets them and puts them back. */
export function codexEnvironment(url: string): { restore(): void } {
  const saved = { OPENAI_BASE_URL: process.env.OPENAI_BASE_URL, OPENAI_API_KEY: process.env.OPENAI_API_KEY };
  process.env.OPENAI_BASE_URL = url;
  process.env.OPENAI_API_KEY = CODEX_KEY;
  return {
    restore() {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    },
  };
}

/**
 * Codex's request as our routing reads it: its environment context (a text block before each
 * prompt) set aside, so each prompt starting "## " marks an attempt as our own agent's do.
 */
function withoutEnvironmentContext(req: RecordedRequest): RecordedRequest {
  const messages = req.body.messages
    .map((m) => (typeof m.content === 'string' ? m : { ...m, content: m.content.filter((b) => !(b.type === 'text' && b.text.startsWith('<environment_context>'))) }))
    .filter((m) => typeof m.content === 'string' || m.content.length > 0);
  return { ...req, body: { ...req.body, messages: messages as RecordedRequest['body']['messages'] } };
}

/** An agent call whose request is Codex's, as sent (`wire`: the Responses body). */
export type CodexCall = AgentCall & { req: ResponsesRecordedRequest };

export interface CodexServer {
  api: ResponsesApiServer;
  calls: CodexCall[];
  callsOf(agent: string): CodexCall[];
}

/** The Responses API server, scripted per Codex agent and per turn like the harness's agents. */
export async function codexServer(agents: Record<string, (call: AgentCall) => Scripted | Promise<Scripted>>): Promise<CodexServer> {
  const { route, calls } = routeByAgent(agents);
  const api = await startResponsesApiServer((req) => {
    const scripted = route(withoutEnvironmentContext(req));
    calls.at(-1)!.req = req;
    return scripted;
  }, { apiKey: CODEX_KEY });
  const codexCalls = calls as CodexCall[];
  return { api, calls: codexCalls, callsOf: (agent) => codexCalls.filter((c) => c.agent === agent) };
}
