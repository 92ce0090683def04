// The real Gemini CLI (from npm, pinned) as a layer's or role's runner, pointed at the Gemini API
// test server through the runner's variables (GOOGLE_GEMINI_BASE_URL, GEMINI_API_KEY). Our own
// agents keep talking to the harness's Messages API server; Gemini's requests are routed per agent
// the same way (our instructions open its first message, with "# You are the X SPECIALIST").
import { resolve } from 'node:path';
import { routeByAgent, type AgentCall } from '../agentCalls';
import { startGeminiApiServer, type GeminiApiServer, type GeminiRecordedRequest } from '../geminiApiServer';
import type { RecordedRequest, Scripted } from '../messagesApiServer';

/** Gemini CLI 0.61.0 from @google/gemini-cli. */
export const GEMINI_COMMAND = resolve(__dirname, '../../../node_modules/.bin/gemini');
export const GEMINI_KEY = 'test-gemini-key-not-a-real-one-0000';
export const GEMINI_MODEL = 'gemini-2.5-pro';

/** The config lines that put `layers` (and `roles`) on gemini, with the npm program as its command and, unless `unpriced`, a priced model. */
export function onGemini(layers: string[], extra: { roles?: string[]; agentCli?: string; unpriced?: boolean } = {}): (yaml: string) => string {
  return (yaml) => {
    let out = yaml;
    for (const layer of layers) out = out.replace(new RegExp(`(\\n {2}${layer}:\\n)`), `$1    runner: gemini\n`);
    const agents = [...layers, ...(extra.roles ?? [])].map((a) => `    ${a}: ${GEMINI_MODEL}\n`).join('');
    out = out.replace(/\n {2}agents:\n/, `\n  agents:\n${agents}`).replace(/^(\s+)(review|spec): claude-[a-z0-9-]+\n/gm, (line, _indent: string, role: string) => (extra.roles?.includes(role) ? '' : line));
    const roles = extra.roles?.length ? `runners: { ${extra.roles.map((role) => `${role}: gemini`).join(', ')} }\n` : '';
    const pricing = extra.unpriced ? '' : `pricing:\n  ${GEMINI_MODEL}: { input: 5, output: 40, cacheRead: 0.5 }\n`;
    return `${out}\n${roles}agentCli:\n  gemini: { command: ${JSON.stringify(GEMINI_COMMAND)}, env: [GEMINI_API_KEY, GOOGLE_GEMINI_BASE_URL]${extra.agentCli ? `, ${extra.agentCli}` : ''} }\n${pricing}`;
  };
}

/** Gemini reads its endpoint and key from the runner's variables; a test sets them and puts them back. */
export function geminiEnvironment(url: string): { restore(): void } {
  const saved = { GOOGLE_GEMINI_BASE_URL: process.env.GOOGLE_GEMINI_BASE_URL, GEMINI_API_KEY: process.env.GEMINI_API_KEY };
  process.env.GOOGLE_GEMINI_BASE_URL = url;
  process.env.GEMINI_API_KEY = GEMINI_KEY;
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
 * Gemini's request as our routing reads it: its session context (a text part before our first
 * message) set aside, and its own system prompt too, so the agent is read from our instructions at
 * the top of the first message and each prompt starting "## " marks an attempt as our agent's do.
 */
function asOurs(req: RecordedRequest): RecordedRequest {
  const messages = req.body.messages
    .map((m) => (typeof m.content === 'string' ? m : { ...m, content: m.content.filter((b) => !(b.type === 'text' && b.text.startsWith('<session_context>'))) }))
    .filter((m) => typeof m.content === 'string' || m.content.length > 0);
  const { system: _gemini, ...body } = req.body;
  return { ...req, body: { ...body, messages: messages as RecordedRequest['body']['messages'] } };
}

/** An agent call whose request is Gemini's, as sent (`wire`: the GenerateContentRequest). */
export type GeminiCall = AgentCall & { req: GeminiRecordedRequest };

export interface GeminiServer {
  api: GeminiApiServer;
  calls: GeminiCall[];
  callsOf(agent: string): GeminiCall[];
}

/** The Gemini API server, scripted per Gemini agent and per turn like the harness's agents. */
export async function geminiServer(agents: Record<string, (call: AgentCall) => Scripted | Promise<Scripted>>): Promise<GeminiServer> {
  const { route, calls } = routeByAgent(agents);
  const api = await startGeminiApiServer((req) => {
    const scripted = route(asOurs(req));
    calls.at(-1)!.req = req;
    return scripted;
  }, { apiKey: GEMINI_KEY });
  const geminiCalls = calls as GeminiCall[];
  return { api, calls: geminiCalls, callsOf: (agent) => geminiCalls.filter((c) => c.agent === agent) };
}
