// The real Codex CLI (from npm, pinned) as a layer's or role's runner, pointed at the Responses
// API test server through the runner's variables (OPENAI_BASE_URL becomes Codex's own model
// provider). Our own agents keep talking to the harness's Messages API server; Codex's requests
// are routed per agent the same way (its developer text carries our "You are the X SPECIALIST").
import { resolve } from 'node:path';
import type { Harness } from '../engine/harness';
import { routeByAgent, type AgentCall } from '../agentCalls';
import type { RecordedRequest, Scripted } from '../messagesApiServer';
import { onRunner, runnerWorld, withEnvironment, type OnRunnerOptions } from './runnerWorld';
import { startResponsesApiServer, type ResponsesApiServer, type ResponsesRecordedRequest } from '../responsesApiServer';

/** Codex CLI 0.163.0 from @openai/codex (its launcher; the platform binary comes with it). */
export const CODEX_COMMAND = resolve(__dirname, '../../../node_modules/.bin/codex');
export const CODEX_KEY = 'sk-test-codex-not-a-real-key-0000';
/** A model Codex knows (its apply_patch tool comes with it), priced in the test config. */
export const CODEX_MODEL = 'gpt-5.5';

/** The config lines that put `layers` (and `roles`) on codex, with the npm program as its command and a priced model (a model Codex knows has apply_patch). */
export const onCodex = (
  layers: string[],
  extra: Pick<OnRunnerOptions, 'roles' | 'agentCli'> = {},
): ((yaml: string) => string) =>
  onRunner(
    'codex',
    {
      command: CODEX_COMMAND,
      env: ['OPENAI_API_KEY', 'OPENAI_BASE_URL'],
      model: CODEX_MODEL,
      pricing: `pricing:\n  ${CODEX_MODEL}: { input: 5, output: 40, cacheRead: 0.5 }\n`,
    },
    layers,
    extra,
  );

/** Codex reads its endpoint and key from the runner's variables; a test sets them and puts them back. */
export const codexEnvironment = (url: string): { restore(): void } => withEnvironment(codexVariables(url));
const codexVariables = (url: string): Record<string, string> => ({ OPENAI_BASE_URL: url, OPENAI_API_KEY: CODEX_KEY });

/**
 * Codex's request as our routing reads it: its environment context (a text block before each
 * prompt) set aside, so each prompt starting "## " marks an attempt as our own agent's do.
 */
function withoutEnvironmentContext(req: RecordedRequest): RecordedRequest {
  const messages = req.body.messages
    .map((m) =>
      typeof m.content === 'string'
        ? m
        : {
            ...m,
            content: m.content.filter((b) => !(b.type === 'text' && b.text.startsWith('<environment_context>'))),
          },
    )
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
export async function codexServer(
  agents: Record<string, (call: AgentCall) => Scripted | Promise<Scripted>>,
): Promise<CodexServer> {
  const { route, calls } = routeByAgent(agents);
  const api = await startResponsesApiServer(
    (req) => {
      const scripted = route(withoutEnvironmentContext(req));
      calls.at(-1)!.req = req;
      return scripted;
    },
    { apiKey: CODEX_KEY },
  );
  const codexCalls = calls as CodexCall[];
  return { api, calls: codexCalls, callsOf: (agent) => codexCalls.filter((c) => c.agent === agent) };
}

/** The usual world: our agents on the harness's server, Codex's on its own. */
export async function codexWorld(
  ours: Parameters<typeof runnerWorld>[2],
  codex: Parameters<typeof codexServer>[0],
  config: (yaml: string) => string,
  files?: Record<string, string>,
): Promise<{ h: Harness; cx: CodexServer; done(): Promise<void> }> {
  const w = await runnerWorld(await codexServer(codex), codexVariables, ours, config, files);
  return { h: w.h, cx: w.server, done: w.done };
}
