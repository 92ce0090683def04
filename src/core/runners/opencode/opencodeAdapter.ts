/**
 * The opencode adapter of the CLI-agent machinery (cliAgent/cliTypes.ts): one turn of opencode
 * through its documented headless mode, `opencode run --format json` (a new session, or
 * `--session <id>` to continue one), started through the machinery's spawner so it runs
 * detached in its own process group, the message on stdin, its JSON events read as they come
 * (opencodeStream.ts). Its configuration is ours alone (opencodeConfig.ts: our agent with our
 * prompt and native permission rules), and its state lives beside the agent's worktree, never
 * in the user's folders (docs/runners.md "opencode").
 *
 * Why not the SDK (`@opencode-ai/sdk`): its `createOpencodeServer` starts `opencode serve` with
 * the whole of our environment, on a fixed port (4096) and gives it 5 s to start; a runner needs
 * the minimal environment, a detached process group and no shared port. `opencode run` needs
 * none of that and streams the same events.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CliAdapter, CliFailure, CliFailureKind, CliTurnRequest, CliTurnResult } from '../cliAgent/cliTypes';
import { CLI_DEFAULTS } from '../cliAgent/cliDefaults';
import { runCliAgent } from '../cliAgent/cliSession';
import { userHomeOf, type SignIn } from '../cliAgent/privateHome';
import { endpointOf } from '../cliAgent/agentSandbox';
import type { AgentRunner } from '../types';
import { AGENT_NAME, opencodeConfig } from './opencodeConfig';
import { answerIn, OpencodeStream } from './opencodeStream';

const ADVICE: Record<CliFailureKind, string> = {
  missing: `install opencode (${CLI_DEFAULTS.opencode.install}) or set agentCli.opencode.command`,
  'too-old': `update opencode (${CLI_DEFAULTS.opencode.install}), then resume`,
  'not-signed-in':
    "run `opencode auth login`, or set your provider's key (e.g. ANTHROPIC_API_KEY) and list it in agentCli.opencode.env, then resume",
  'rate-limited':
    'the provider is rate-limited or out of credit; wait, or switch the layer to another runner, then resume',
  'max-turns': 'it used agentCli.opencode.maxTurns (or limits.maxAgentTurns) without finishing; raise it, then resume',
  budget: "it reached the run's budget (limits.maxBudgetUsd); raise it, then resume",
  'no-answer': "it stopped without an answer; check the layer's task and models.agents (provider/model), then resume",
  crashed: 'opencode exited unexpectedly; run `opencode --version` to check it, then resume',
};

/** What opencode must not do on its own in a run: update itself, fetch model lists, load others' settings. */
const QUIET: Record<string, string> = {
  OPENCODE_DISABLE_AUTOUPDATE: '1',
  OPENCODE_DISABLE_MODELS_FETCH: '1',
  OPENCODE_DISABLE_PROJECT_CONFIG: '1',
  OPENCODE_DISABLE_CLAUDE_CODE: '1',
  OPENCODE_DISABLE_EXTERNAL_SKILLS: '1',
  OPENCODE_DISABLE_DEFAULT_PLUGINS: '1',
  OPENCODE_DISABLE_LSP_DOWNLOAD: '1',
  OPENCODE_DISABLE_SHARE: '1',
  OPENCODE_PURE: '1',
};

/**
 * opencode's state for one agent (its sessions database above all) lives in the agent's private
 * home (cliAgent/privateHome.ts), in XDG folders of its own, not the user's (whose config could
 * loosen our rules). The user's `opencode auth login` file, when there is one, is copied in
 * (opencodeSignIn).
 */
export function opencodeHomeFor(env: Record<string, string>): Record<string, string> {
  const home = env.HOME!;
  const dirs = {
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
    XDG_CACHE_HOME: join(home, '.cache'),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  return dirs;
}

/** `opencode auth login`'s file, from XDG_DATA_HOME when the user moved it. */
export const opencodeSignIn: SignIn = (from) => [
  {
    from: join(from.XDG_DATA_HOME || join(userHomeOf(from), '.local', 'share'), 'opencode', 'auth.json'),
    to: '.local/share/opencode/auth.json',
  },
];

export function failureOf(text: string): CliFailure {
  const line =
    text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .at(-1) ?? text.trim();
  if (/ENOENT|spawn .* not found/i.test(text)) return { kind: 'missing', detail: line };
  if (
    /\b401\b|\b403\b|unauthori[sz]ed|invalid.?api.?key|incorrect api key|api key is missing|authentication/i.test(text)
  )
    return { kind: 'not-signed-in', detail: line };
  if (/\b429\b|rate.?limit|quota|insufficient.?credit|usage limit/i.test(text))
    return { kind: 'rate-limited', detail: line };
  if (/unknown (argument|option)|unrecognized/i.test(text)) return { kind: 'too-old', detail: line };
  return { kind: 'crashed', detail: line };
}

/** opencode has no structured output in `run`: the answer is the last message, as JSON we check. */
const answerRule = (schema: Record<string, unknown>): string =>
  `## Your final answer\nEnd your work with one last message that is only a JSON object (no other text) satisfying this JSON Schema:\n${JSON.stringify(schema)}`;

/** ANSI colours out of what opencode printed (the rest is sanitized by the machinery). */
// eslint-disable-next-line no-control-regex -- the escape sequences are what it removes
const plain = (text: string): string => text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');

async function turn(request: CliTurnRequest): Promise<CliTurnResult> {
  const dirs = opencodeHomeFor(request.env);
  const { config, model } = opencodeConfig({
    system: `${request.system}\n\n${answerRule(request.finalSchema)}`,
    owns: request.owns,
    deny: request.deny,
    maxTurns: request.maxTurns,
    env: request.env,
    ...(request.model ? { model: request.model } : {}),
  });
  const args = [
    'run',
    '--format',
    'json',
    '--agent',
    AGENT_NAME,
    ...(model ? ['--model', model] : []),
    ...(request.session ? ['--session', request.session] : ['--title', 'orchestrator']),
  ];
  const env = { ...request.env, ...dirs, ...QUIET, OPENCODE_CONFIG_CONTENT: JSON.stringify(config) };

  let overTurns = false;
  const child = request.spawn(request.command, args, { cwd: request.cwd, env });
  // opencode counts its own steps (`steps`), and we count them too: the limit holds either way.
  const stream = new OpencodeStream(request.model ?? model ?? 'opencode', request.onEvent, (steps) => {
    if (steps >= request.maxTurns && !stream.answered) {
      overTurns = true;
      child.kill('SIGKILL');
    }
  });
  const stderr: string[] = [];
  let pending = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) stream.line(line);
  });
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr.push(chunk);
    if (stderr.length > 50) stderr.shift();
  });
  child.stdin?.on('error', () => undefined);
  child.stdin?.end(request.prompt);

  const exit = await new Promise<{ code: number | null; error?: Error }>((resolve) => {
    child.once('error', (error) => resolve({ code: null, error }));
    child.once('close', (code) => resolve({ code }));
  });
  if (pending) stream.line(pending);

  const base = { ...(stream.session ? { session: stream.session } : {}), text: stream.text, turns: stream.steps };
  if (exit.error) return { ...base, failure: failureOf(exit.error.message) };
  if (request.signal.aborted) return { ...base, failure: { kind: 'crashed', detail: 'cancelled' } };
  if (overTurns)
    return { ...base, failure: { kind: 'max-turns', detail: `stopped after ${stream.steps} model replies` } };
  const said = plain([...stream.errors, stderr.join('')].join('\n'));
  if (stream.errors.length > 0 || (exit.code !== 0 && !stream.answered))
    return { ...base, failure: failureOf(said || `opencode exited with code ${exit.code}`) };
  if (!stream.answered || !stream.text.trim())
    return { ...base, failure: { kind: 'no-answer', detail: 'opencode ended without a final message' } };
  return { ...base, final: answerIn(stream.text) };
}

export const opencodeAdapter: CliAdapter = {
  runner: 'opencode',
  defaults: CLI_DEFAULTS.opencode,
  signIn: opencodeSignIn,
  // The providers its variables sign in: OPENAI_BASE_URL's (a gateway, a local server), else OpenAI's and Anthropic's APIs.
  network: (env) => [
    endpointOf(env.OPENAI_BASE_URL) ?? 'api.openai.com:443',
    ...(env.ANTHROPIC_API_KEY ? ['api.anthropic.com:443'] : []),
  ],
  advice: (kind) => ADVICE[kind],
  turn,
};

export const opencodeRunner: AgentRunner = {
  name: 'opencode',
  run: (def, env) => runCliAgent(opencodeAdapter, def, env),
};
