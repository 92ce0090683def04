// The real Gemini CLI (from npm, pinned) as a layer's or role's runner, pointed at the Gemini API
// test server through the runner's variables (GOOGLE_GEMINI_BASE_URL, GEMINI_API_KEY). Our own
// agents keep talking to the harness's Messages API server; Gemini's requests are routed per agent
// the same way (our instructions open its first message, with "# You are the X SPECIALIST").
import { resolve } from 'node:path';
import type { Harness } from '../engine/harness';
import { routeByAgent, type AgentCall } from '../agentCalls';
import { onRunner, runnerWorld, withEnvironment, type OnRunnerOptions } from './runnerWorld';
import { startGeminiApiServer, type GeminiApiServer, type GeminiRecordedRequest } from '../geminiApiServer';
import type { RecordedRequest, Scripted } from '../messagesApiServer';

/** Gemini CLI 0.61.0 from @google/gemini-cli. */
export const GEMINI_COMMAND = resolve(__dirname, '../../../node_modules/.bin/gemini');
export const GEMINI_KEY = 'test-gemini-key-not-a-real-one-0000';
export const GEMINI_MODEL = 'gemini-2.5-pro';

/** The config lines that put `layers` (and `roles`) on gemini, with the npm program as its command and, unless `unpriced`, a priced model. */
export const onGemini = (
  layers: string[],
  extra: Pick<OnRunnerOptions, 'roles' | 'agentCli'> & { unpriced?: boolean } = {},
): ((yaml: string) => string) =>
  onRunner(
    'gemini',
    {
      command: GEMINI_COMMAND,
      env: ['GEMINI_API_KEY', 'GOOGLE_GEMINI_BASE_URL'],
      model: GEMINI_MODEL,
      pricing: extra.unpriced ? '' : `pricing:\n  ${GEMINI_MODEL}: { input: 5, output: 40, cacheRead: 0.5 }\n`,
    },
    layers,
    extra,
  );

/** Gemini reads its endpoint and key from the runner's variables; a test sets them and puts them back. */
export const geminiEnvironment = (url: string): { restore(): void } => withEnvironment(geminiVariables(url));
const geminiVariables = (url: string): Record<string, string> => ({
  GOOGLE_GEMINI_BASE_URL: url,
  GEMINI_API_KEY: GEMINI_KEY,
});

/**
 * Gemini's request as our routing reads it: its session context (a text part before our first
 * message) set aside, and its own system prompt too, so the agent is read from our instructions at
 * the top of the first message and each prompt starting "## " marks an attempt as our agent's do.
 */
function asOurs(req: RecordedRequest): RecordedRequest {
  const messages = req.body.messages
    .map((m) =>
      typeof m.content === 'string'
        ? m
        : { ...m, content: m.content.filter((b) => !(b.type === 'text' && b.text.startsWith('<session_context>'))) },
    )
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
export async function geminiServer(
  agents: Record<string, (call: AgentCall) => Scripted | Promise<Scripted>>,
): Promise<GeminiServer> {
  const { route, calls } = routeByAgent(agents);
  const api = await startGeminiApiServer(
    (req) => {
      const scripted = route(asOurs(req));
      calls.at(-1)!.req = req;
      return scripted;
    },
    { apiKey: GEMINI_KEY },
  );
  const geminiCalls = calls as GeminiCall[];
  return { api, calls: geminiCalls, callsOf: (agent) => geminiCalls.filter((c) => c.agent === agent) };
}

/** The usual world: our agents on the harness's server, Gemini's on its own. */
export async function geminiWorld(
  ours: Parameters<typeof runnerWorld>[2],
  gemini: Parameters<typeof geminiServer>[0],
  config: (yaml: string) => string,
  files?: Record<string, string>,
): Promise<{ h: Harness; gm: GeminiServer; done(): Promise<void> }> {
  const w = await runnerWorld(await geminiServer(gemini), geminiVariables, ours, config, files);
  return { h: w.h, gm: w.server, done: w.done };
}
