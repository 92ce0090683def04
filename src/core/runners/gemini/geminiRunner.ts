/**
 * The `gemini` runner: Google's Gemini CLI in its documented headless mode (`--prompt` with the
 * message on stdin, `--output-format stream-json`), started through the machinery's spawner so it
 * runs detached in its own process group. Its home is ours (geminiHome.ts: settings, sign-in, an
 * admin policy refusing writes outside `owns`), the project's own `.gemini/` is kept out of the
 * worktree, edits and commands run without asking (`--approval-mode yolo`, the policy still
 * refuses) and a read-only role gets the default mode, which in a headless run refuses whatever
 * would ask. Gemini has no structured-output flag and no way to append to its system prompt: our
 * instructions open the session's first message, and the final answer is the last message's JSON,
 * checked by the machinery. Usage comes from its session file per response (geminiSessionUsage.ts).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Usage } from '../../llm';
import { CLI_DEFAULTS } from '../cliAgent/cliDefaults';
import { runCliAgent } from '../cliAgent/cliSession';
import { endpointOf } from '../cliAgent/agentSandbox';
import type { CliAdapter, CliFailure, CliFailureKind, CliTurnRequest, CliTurnResult } from '../cliAgent/cliTypes';
import type { AgentRunner } from '../types';
import { geminiSignIn, prepareGeminiHome } from './geminiHome';
import { SessionTokensFollower, type GeminiResponseTokens } from './geminiSessionUsage';
import { GeminiStream, parseAnswer, type ModelStats } from './geminiStream';

/** The Gemini CLI whose flags and stream this runner was written against (docs/runners.md). */
export const GEMINI_MIN_VERSION = '0.61.0';

const ADVICE: Record<CliFailureKind, string> = {
  missing: `install the Gemini CLI (${CLI_DEFAULTS.gemini.install}) or set agentCli.gemini.command`,
  'too-old': `update the Gemini CLI to ${GEMINI_MIN_VERSION} or newer (${CLI_DEFAULTS.gemini.install}), then resume`,
  'not-signed-in':
    'set GEMINI_API_KEY (and list it in agentCli.gemini.env), or run `gemini` once and log in with Google, then resume',
  'rate-limited':
    'the Gemini CLI is rate-limited or out of quota; wait, or switch the layer to another runner, then resume',
  'max-turns': 'it used agentCli.gemini.maxTurns (or limits.maxAgentTurns) without finishing; raise it, then resume',
  budget: "it reached the run's budget (limits.maxBudgetUsd); raise it, then resume",
  'no-answer': "it stopped without an answer; check the layer's task, then resume",
  crashed: 'the Gemini CLI exited unexpectedly; run `gemini --version` to check it, then resume',
};

/** Gemini counts its prompt with the cached part and its thoughts apart from the answer; ours keeps cached input apart and bills thoughts as output. */
export const usageOf = (t: Pick<GeminiResponseTokens, 'input' | 'output' | 'cached' | 'thoughts' | 'tool'>): Usage => ({
  input: Math.max(0, t.input - t.cached) + t.tool,
  output: t.output + t.thoughts,
  cacheRead: t.cached,
  cacheWrite: 0,
});

const statsUsage = (s: ModelStats): Usage =>
  usageOf({
    input: s.input_tokens ?? 0,
    output: s.output_tokens ?? 0,
    cached: s.cached ?? 0,
    thoughts: s.thoughts ?? 0,
    tool: s.tool ?? 0,
  });

/** One line of what went wrong, in the machinery's terms. */
export function failureOf(text: string, exitCode: number | null): CliFailure {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^at |^\s*[{}[\]]|256-color|YOLO mode|Ripgrep/.test(l));
  const detail =
    lines.find((l) => /error|denied|invalid|quota|exhausted|unknown|must|failed/i.test(l)) ??
    lines[0] ??
    `exit code ${exitCode}`;
  if (/Unknown arguments?:|Invalid values:|Not enough arguments/i.test(text)) return { kind: 'too-old', detail };
  if (
    exitCode === 41 ||
    /API key not valid|API_KEY_INVALID|must specify the GEMINI_API_KEY|Please set an Auth method|UNAUTHENTICATED|PERMISSION_DENIED|\b401\b/i.test(
      text,
    )
  )
    return { kind: 'not-signed-in', detail };
  if (/\b429\b|RESOURCE_EXHAUSTED|quota|rate.?limit/i.test(text)) return { kind: 'rate-limited', detail };
  if (exitCode === 53) return { kind: 'max-turns', detail };
  return { kind: 'crashed', detail };
}

/** Its endpoint; without one of the user's, the Gemini API, Vertex AI in the user's region, and Login with Google's. */
function geminiEndpoints(env: Record<string, string>): string[] {
  const own = endpointOf(env.GOOGLE_GEMINI_BASE_URL);
  if (own) return [own];
  if (env.GOOGLE_GENAI_USE_VERTEXAI === 'true')
    return [
      'aiplatform.googleapis.com:443',
      ...(env.GOOGLE_CLOUD_LOCATION ? [`${env.GOOGLE_CLOUD_LOCATION}-aiplatform.googleapis.com:443`] : []),
      'oauth2.googleapis.com:443',
    ];
  return ['generativelanguage.googleapis.com:443', 'cloudcode-pa.googleapis.com:443', 'oauth2.googleapis.com:443'];
}

export const geminiAdapter: CliAdapter = {
  runner: 'gemini',
  defaults: CLI_DEFAULTS.gemini,
  // The project's Gemini settings, commands, agents, skills and extensions: never in the worktree.
  hidden: ['.gemini'],
  signIn: geminiSignIn,
  network: geminiEndpoints,
  advice: (kind) => ADVICE[kind],
  turn,
};

export const geminiRunner: AgentRunner = {
  name: 'gemini',
  run: (def, env) => runCliAgent(geminiAdapter, def, env),
};

async function turn(request: CliTurnRequest): Promise<CliTurnResult> {
  const readOnly = request.owns.length === 0;
  const { home, policy } = prepareGeminiHome(request.cwd, request.env, request.owns);
  // A `.gemini/` the agent made in an earlier turn would be read as the project's settings now.
  rmSync(join(request.cwd, '.gemini'), { recursive: true, force: true });
  const args = [
    '--output-format',
    'stream-json',
    '--skip-trust',
    '--approval-mode',
    readOnly ? 'default' : 'yolo',
    '--admin-policy',
    policy,
    ...(request.model ? ['--model', request.model] : []),
    ...(request.session ? ['--resume', request.session] : []),
    // The message comes on stdin (no length limit); `--prompt ''` makes the run headless.
    '--prompt',
    '',
  ];
  const prompt = request.session || !request.system ? request.prompt : `${request.system}\n\n${request.prompt}`;
  const env = { ...request.env, GEMINI_CLI_HOME: home, NO_COLOR: '1' };

  let turns = 0;
  let overTurns = false;
  let child: ReturnType<CliTurnRequest['spawn']> | undefined;
  const endGroup = (): void => {
    try {
      if (child?.pid !== undefined) process.kill(process.platform === 'win32' ? child.pid : -child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const follower = new SessionTokensFollower(home, (tokens) => {
    // A response cut off before its usage came (a dropped stream) is recorded with no tokens.
    if (tokens.input + tokens.output + tokens.cached + tokens.thoughts + tokens.tool === 0) return;
    turns++;
    request.onEvent({
      kind: 'usage',
      model: tokens.model || request.model || 'gemini',
      usage: usageOf(tokens),
      ends: true,
    });
    // Gemini has no turn limit of its own: the runner counts model responses and stops it.
    if (turns >= request.maxTurns && !overTurns) {
      overTurns = true;
      endGroup();
    }
  });
  let following: Promise<void> = Promise.resolve();
  // One read at a time (they share the file offsets): every 100 ms, and at once when the stream
  // says a response asked for tools, so the turn cap ends Gemini before its next request leaves.
  let reading: Promise<void> = Promise.resolve();
  const readNow = (): void =>
    void (reading = reading
      .then(() => following)
      .then(() => follower.poll())
      .catch(() => undefined));
  const stream = new GeminiStream((event) => {
    if (event.kind === 'session') following = follower.follow(event.session, event.session === request.session);
    request.onEvent(event);
  }, readNow);
  const polling = setInterval(readNow, 100);
  const stderr: string[] = [];
  let spawnError: Error | undefined;
  let exitCode: number | null = null;
  try {
    child = request.spawn(request.command, args, { cwd: request.cwd, env });
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(prompt);
    child.stderr?.setEncoding('utf8').on('data', (data: string) => {
      stderr.push(data);
      if (stderr.length > 50) stderr.shift();
    });
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => stream.take(line));
    exitCode = await new Promise<number | null>((resolve) => {
      child!.once('error', (error) => {
        spawnError = error;
        resolve(null);
      });
      child!.once('close', (code) => resolve(code));
    });
  } finally {
    clearInterval(polling);
  }
  await reading;
  await following;
  await follower.poll();
  // No session file to follow (a CLI that keeps none): the stream's totals count, once, at the end.
  if (turns === 0 && stream.result) {
    for (const [model, stats] of Object.entries(stream.result.models)) {
      turns++;
      request.onEvent({ kind: 'usage', model, usage: statsUsage(stats), ends: true });
    }
  }

  const base = { ...(stream.session ? { session: stream.session } : {}), text: stream.text, turns };
  if (spawnError)
    return {
      ...base,
      failure: /ENOENT/.test(spawnError.message)
        ? { kind: 'missing', detail: 'the program could not be started' }
        : { kind: 'crashed', detail: spawnError.message },
    };
  if (overTurns) return { ...base, failure: { kind: 'max-turns', detail: `stopped after ${turns} model responses` } };
  if (request.signal.aborted) return { ...base, failure: { kind: 'crashed', detail: 'cancelled' } };
  if (stream.result?.status !== 'success' || exitCode !== 0) {
    const said = stream.result?.error?.message ?? '';
    const failure = failureOf([said, stream.warning, stderr.join('')].join('\n'), exitCode);
    // What the stream's result said is the line to show, when it says something.
    const line = said.trim().split('\n')[0]!;
    // Gemini retries a 5xx or 429 itself, but not a stream cut after it began (`[API Error: terminated]`).
    const detail = /\bterminated\b|ECONNRESET|socket hang up/i.test(line)
      ? `the connection to the model API was cut mid-stream (${line})`
      : line;
    return { ...base, failure: line ? { ...failure, detail } : failure };
  }
  if (!stream.text.trim())
    return { ...base, failure: { kind: 'no-answer', detail: 'the Gemini CLI ended without a final message' } };
  return { ...base, final: parseAnswer(stream.text) };
}
