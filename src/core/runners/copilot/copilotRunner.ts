/**
 * The `copilot` runner: GitHub's Copilot CLI driven through its SDK (`@github/copilot-sdk`, JSON-RPC),
 * one turn at a time: the CLI started by the SDK over its standard input and output (no listener:
 * inside the sandbox no port could be reached anyway) in the agent's worktree, ended with the
 * turn (the sandbox ends whatever it started); a session created or resumed with our system text
 * appended, the tools a role may use, a permission callback applying the owns rule and the deny
 * list before anything happens (copilotControls.ts), the provider of the user's own (BYOK) from
 * the runner's variables, and nothing the workspace or the user's ~/.copilot could add (custom
 * instructions, MCP servers, skills, hooks, memory: off). Copilot has no structured output: the
 * answer is its final message, a JSON object the machinery checks against our schema.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CopilotClient, SessionConfig, SessionEvent } from '@github/copilot-sdk';
import type { CliAdapter, CliFailure, CliFailureKind, CliTurnRequest, CliTurnResult } from '../cliAgent/cliTypes';
import { CLI_DEFAULTS } from '../cliAgent/cliDefaults';
import { runCliAgent } from '../cliAgent/cliSession';
import { endpointOf } from '../cliAgent/agentSandbox';
import { compareVersions } from '../detect/versions';
import { CLI_FACTS } from '../detect/cliFacts';
import type { AgentRunner } from '../types';
import {
  availableTools,
  permissionDecider,
  providerOf,
  serverEnvironment,
  SIGN_IN_VARIABLES,
  type PermissionAsk,
} from './copilotControls';
import { CopilotStream, failureOfError, parseAnswer } from './copilotStream';

const MIN_VERSION = CLI_FACTS.copilot.minVersion ?? '0';

const ADVICE: Record<CliFailureKind, string> = {
  missing: `install the Copilot CLI (${CLI_DEFAULTS.copilot.install}) or set agentCli.copilot.command`,
  'too-old': `update the Copilot CLI to ${MIN_VERSION} or newer (${CLI_DEFAULTS.copilot.install}), then resume`,
  'not-signed-in':
    'set COPILOT_GITHUB_TOKEN (a token allowed to use Copilot) or your own provider (COPILOT_PROVIDER_BASE_URL), list it in agentCli.copilot.env, then resume',
  'rate-limited':
    'Copilot is rate-limited or out of premium requests; wait, or switch the layer to another runner, then resume',
  'max-turns': 'it used agentCli.copilot.maxTurns (or limits.maxAgentTurns) without finishing; raise it, then resume',
  budget: "it reached the run's budget (limits.maxBudgetUsd); raise it, then resume",
  'no-answer': "it stopped without an answer; check the layer's task, then resume",
  crashed: 'run `copilot --version` to check it, then resume; the agent continues its session',
};

/** How the answer is given, in Copilot's terms (it has no structured output of its own). */
const ANSWER_RULE =
  'When you finish, your final message must be ONLY the JSON object of your answer: no prose around it, no code fence. The orchestrator parses that message as your structured output.';

type CopilotModule = typeof import('@github/copilot-sdk');
let sdk: Promise<CopilotModule> | undefined;
const loadSdk = (): Promise<CopilotModule> => (sdk ??= import('@github/copilot-sdk'));

/**
 * Copilot's state for one agent (its sessions above all, `COPILOT_HOME`) lives in the agent's
 * private home (cliAgent/privateHome.ts): not in the user's ~/.copilot (whose settings, saved
 * approvals, MCP servers and skills could loosen our controls), so nothing of it is copied in:
 * Copilot signs in through its variables. The same path serves every attempt and a resume.
 */
export function copilotHomeFor(env: Record<string, string>): string {
  const home = join(env.HOME!, '.copilot');
  mkdirSync(home, { recursive: true });
  return home;
}

/** How often a waiting turn checks that Copilot is still there. */
const ALIVE_CHECK_MS = 1000;

/** Its arguments besides the SDK's own (headless, stdio, no self-update): no telemetry; the sign-in variables kept from its shell commands. */
export function runtimeArgs(secretVariables: readonly string[]): string[] {
  return [
    '--disable-client-telemetry',
    ...(secretVariables.length > 0 ? [`--secret-env-vars=${secretVariables.join(',')}`] : []),
  ];
}

function startFailure(error: unknown): CliFailure {
  const message = (error as Error)?.message ?? String(error);
  // Over stdio the SDK checks the path itself ("Copilot CLI not found at …") before spawning it.
  if (/ENOENT|EACCES|CLI not found at/.test(message))
    return { kind: 'missing', detail: 'the program could not be started' };
  return failureOfError(undefined, message);
}

async function turn(request: CliTurnRequest): Promise<CliTurnResult> {
  const provider = providerOf(request.env);
  const model = request.model ?? request.env.COPILOT_MODEL;
  if (provider && !model)
    return {
      text: '',
      turns: 0,
      failure: {
        kind: 'crashed',
        detail:
          'a provider of your own (COPILOT_PROVIDER_BASE_URL) needs a model: set models.agents.<role> or COPILOT_MODEL',
      },
    };
  const { CopilotClient: Client, RuntimeConnection } = await loadSdk();
  const stream = new CopilotStream(request.onEvent, !provider);
  let session = request.session;
  const base = (): Pick<CliTurnResult, 'session' | 'text' | 'turns'> => ({
    ...(session ? { session } : {}),
    text: stream.text,
    turns: stream.turns,
  });

  const secretVariables = SIGN_IN_VARIABLES.filter((name) => request.env[name] !== undefined);
  const home = copilotHomeFor(request.env);
  const client: CopilotClient = new Client({
    connection: RuntimeConnection.forStdio({
      path: request.command,
      args: runtimeArgs(secretVariables),
      env: serverEnvironment(request.env, home, model),
    }),
    mode: 'empty',
    baseDirectory: home,
    logLevel: 'error',
    workingDirectory: request.cwd,
    // Signed in by its variables, as a program we start ourselves would be.
    useLoggedInUser: true,
  });
  let overTurns = false;
  let settle: () => void = () => undefined;
  const settled = new Promise<void>((resolve) => (settle = resolve));
  const onAbort = (): void => settle();
  request.signal.addEventListener('abort', onAbort, { once: true });
  // Once Copilot is gone (ended by a cancel, the budget, the time limit, or crashed), a call still
  // waiting on it would wait for ever: every call races its end, seen by the abort or by a status
  // call that fails (the SDK says nothing else when its process exits).
  let alive: ReturnType<typeof setInterval> | undefined;
  let watch: () => void = () => undefined;
  const gone = new Promise<never>((_, reject) => {
    const end = (why: string) => {
      clearInterval(alive);
      reject(new Error(why));
    };
    request.signal.addEventListener('abort', () => end('cancelled'), { once: true });
    watch = () =>
      (alive = setInterval(
        () =>
          void client
            .getStatus()
            .catch((error: unknown) => end(`it exited (${(error as Error)?.message ?? String(error)})`)),
        ALIVE_CHECK_MS,
      ));
  });
  gone.catch(() => settle());
  const whileUp = <T>(call: Promise<T>): Promise<T> => Promise.race([call, gone]);
  let live: Awaited<ReturnType<CopilotClient['createSession']>> | undefined;
  try {
    await whileUp(client.start());
    watch();
    const { version } = await whileUp(client.getStatus());
    if (compareVersions(version, MIN_VERSION) < 0)
      return { ...base(), failure: { kind: 'too-old', detail: `Copilot CLI ${version} is older than ${MIN_VERSION}` } };
    const decide = permissionDecider(request.cwd, request.owns, request.deny);
    const config: SessionConfig = {
      clientName: 'spec-orchestrator',
      ...(model ? { model } : {}),
      ...(provider ? { provider } : {}),
      workingDirectory: request.cwd,
      availableTools: availableTools(request.owns.length === 0),
      systemMessage: { mode: 'append', content: [request.system, ANSWER_RULE].filter(Boolean).join('\n\n') },
      onPermissionRequest: (ask) => decide(ask as PermissionAsk),
      skipCustomInstructions: true,
      enableConfigDiscovery: false,
      enableFileHooks: false,
      enableSkills: false,
      enableSessionStore: false,
      memory: { enabled: false },
      mcpServers: {},
      onEvent: (event: SessionEvent) => {
        stream.take(event);
        if (stream.idle || stream.failure) settle();
        if (event.type === 'assistant.usage' && stream.turns >= request.maxTurns && !overTurns) {
          overTurns = true;
          settle();
        }
      },
    };
    live = await whileUp(
      request.session ? client.resumeSession(request.session, config) : client.createSession(config),
    );
    session = live.sessionId;
    request.onEvent({ kind: 'session', session });
    await whileUp(live.send({ prompt: request.prompt }));
    await settled;
    if (request.signal.aborted) return { ...base(), failure: { kind: 'crashed', detail: 'cancelled' } };
    if (overTurns) {
      await whileUp(live.abort()).catch(() => undefined);
      return { ...base(), failure: { kind: 'max-turns', detail: `stopped after ${stream.turns} model calls` } };
    }
    if (stream.failure) return { ...base(), failure: stream.failure };
    if (!stream.idle) return { ...base(), failure: { kind: 'crashed', detail: 'it exited mid-turn' } };
    if (!stream.text.trim())
      return { ...base(), failure: { kind: 'no-answer', detail: 'Copilot ended without a final message' } };
    return { ...base(), final: parseAnswer(stream.text) };
  } catch (error) {
    if (request.signal.aborted) return { ...base(), failure: { kind: 'crashed', detail: 'cancelled' } };
    return { ...base(), failure: startFailure(error) };
  } finally {
    clearInterval(alive);
    request.signal.removeEventListener('abort', onAbort);
    // The session's events are on disk as they happen; the machinery ends the process group next.
    if (live && !request.signal.aborted) await whileUp(live.disconnect()).catch(() => undefined);
    await client.forceStop().catch(() => undefined);
  }
}

export const copilotAdapter: CliAdapter = {
  runner: 'copilot',
  defaults: CLI_DEFAULTS.copilot,
  // The repository's Copilot CLI settings (`copilot help config`: .github/copilot/settings.json and
  // settings.local.json) could pre-approve tools or paths: never in the agent's worktree.
  hidden: ['.github/copilot'],
  // A provider of the user's own, else GitHub Copilot's API (and GitHub's, where its sign-in is checked).
  network: (env) => {
    const own = endpointOf(env.COPILOT_PROVIDER_BASE_URL);
    return own
      ? [own]
      : [
          'api.githubcopilot.com:443',
          'api.individual.githubcopilot.com:443',
          'api.business.githubcopilot.com:443',
          'api.enterprise.githubcopilot.com:443',
          'api.github.com:443',
        ];
  },
  advice: (kind) => ADVICE[kind],
  turn,
};

export const copilotRunner: AgentRunner = {
  name: 'copilot',
  run: (def, env) => runCliAgent(copilotAdapter, def, env),
};
