/**
 * The Codex adapter of the CLI-agent machinery (cli/cliTypes.ts): one turn of OpenAI's Codex,
 * driven by its SDK (codexTurn.ts), in the agent's worktree, with Codex's own controls as well
 * as ours (a permission profile writing only the owned folders, approvals never, no network;
 * `:read-only` for review, spec, diagnose and audit), the final answer as `outputSchema`, and the
 * stream reported in our terms. The SDK starts `codex` itself, so the machinery's `spawn` is not
 * used: cancelling ends `codex` through the SDK's signal, and the commands it runs in its
 * sandbox end with it (docs/runners.md "Codex").
 */
import { mkdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Usage } from '../../llm';
import type { CliAdapter, CliFailure, CliFailureKind, CliTurnRequest, CliTurnResult } from '../cliAgent/cliTypes';
import { CLI_DEFAULTS } from '../cliAgent/cliDefaults';
import { runCliAgent } from '../cliAgent/cliSession';
import { userHomeOf, type SignIn } from '../cliAgent/privateHome';
import { endpointOf } from '../cliAgent/agentSandbox';
import type { AgentRunner } from '../types';
import { runCodexTurn, type CodexActivity } from './codexTurn';
import { endLeftoverHelpers } from './leftovers';
import { strictSchema, withoutNulls } from './strictSchema';
import type { CodexResponseUsage } from './sessionUsage';

const ADVICE: Record<CliFailureKind, string> = {
  missing: `install Codex (${CLI_DEFAULTS.codex.install}) or set agentCli.codex.command`,
  'too-old': `update Codex to 0.138.0 or newer (${CLI_DEFAULTS.codex.install}), then resume`,
  'not-signed-in': 'run `codex login`, or set OPENAI_API_KEY (and name it in agentCli.codex.env)',
  'rate-limited': 'wait and run `orchestrator resume`, or raise your OpenAI limits',
  'max-turns': 'raise agentCli.codex.maxTurns (or limits.maxAgentTurns), then `orchestrator resume`',
  budget: 'raise limits.maxBudgetUsd, then `orchestrator resume`',
  'no-answer': 'run `orchestrator resume`; the agent continues its session',
  crashed: 'run `orchestrator resume`; the agent continues its session',
};

/**
 * Codex's state for one agent (its sessions above all) lives in the agent's private home
 * (cliAgent/privateHome.ts), not in the user's ~/.codex (whose config could loosen our
 * controls). The user's ChatGPT sign-in, when there is one, is copied in (codexSignIn).
 */
export function codexHomeFor(env: Record<string, string>): string {
  const home = join(env.HOME!, '.codex');
  mkdirSync(home, { recursive: true });
  return home;
}

/** `codex login`'s file, from CODEX_HOME when the user moved it. */
export const codexSignIn: SignIn = (from) => [
  { from: join(from.CODEX_HOME || join(userHomeOf(from), '.codex'), 'auth.json'), to: '.codex/auth.json' },
];

/** Codex counts input with its cached part; ours keeps them apart. */
export const usageOf = (u: CodexResponseUsage): Usage => ({
  input: Math.max(0, u.input - u.cachedInput - u.cacheWriteInput),
  output: u.output,
  cacheRead: u.cachedInput,
  cacheWrite: u.cacheWriteInput,
});

function failureOf(message: string): CliFailure {
  const line =
    message
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim() ?? message;
  if (/ENOENT|spawn .* not found|no such file/i.test(message)) return { kind: 'missing', detail: line };
  if (/\b401\b|unauthori[sz]ed|invalid api key|incorrect api key|not logged in|login required/i.test(message))
    return { kind: 'not-signed-in', detail: line };
  if (/\b429\b|rate.?limit|quota|usage limit/i.test(message)) return { kind: 'rate-limited', detail: line };
  return { kind: 'crashed', detail: line };
}

/** The final message as our answer: its JSON, else the text itself (the machinery's check refuses it). */
function parseAnswer(text: string): unknown {
  try {
    return withoutNulls(JSON.parse(text.trim()));
  } catch {
    return text;
  }
}

export const codexAdapter: CliAdapter = {
  runner: 'codex',
  defaults: CLI_DEFAULTS.codex,
  signIn: codexSignIn,
  // Its endpoint; without one of the user's, OpenAI's API and ChatGPT's (a `codex login` sign-in).
  network: (env) => [
    endpointOf(env.OPENAI_BASE_URL) ?? 'api.openai.com:443',
    ...(env.OPENAI_BASE_URL ? [] : ['chatgpt.com:443', 'auth.openai.com:443']),
  ],
  // Its workspace-write sandbox (bubblewrap) runs inside ours.
  nestedSandbox: true,
  advice: (kind) => ADVICE[kind],

  async turn(request: CliTurnRequest): Promise<CliTurnResult> {
    const codexHome = codexHomeFor(request.env);
    // Codex has no turn limit of its own: the adapter counts model responses and stops it.
    const stop = new AbortController();
    const onAbort = (): void => stop.abort();
    request.signal.addEventListener('abort', onAbort, { once: true });
    let turns = 0;
    let overTurns = false;
    const onActivity = (activity: CodexActivity): void => {
      switch (activity.kind) {
        case 'session':
          return request.onEvent({ kind: 'session', session: activity.session });
        case 'usage':
          turns++;
          // Codex records a response's usage once it has ended, before its tools run.
          request.onEvent({
            kind: 'usage',
            model: request.model ?? 'codex',
            usage: usageOf(activity.usage),
            ends: true,
          });
          if (turns >= request.maxTurns && !stop.signal.aborted) {
            overTurns = true;
            stop.abort();
          }
          return;
        case 'command':
          if (activity.done)
            request.onEvent({
              kind: 'tool',
              tool: 'shell',
              input: { command: activity.command },
              isError: (activity.exitCode ?? 0) !== 0,
              result: `exit ${activity.exitCode ?? '?'}${activity.output ? `\n${activity.output}` : ''}`,
            });
          return;
        case 'files':
          return request.onEvent({
            kind: 'tool',
            tool: 'apply_patch',
            input: {
              files: activity.changes.map((c) => `${c.kind} ${relative(request.cwd, c.path).split(sep).join('/')}`),
            },
            isError: !activity.ok,
            result: activity.ok ? 'applied' : 'refused',
          });
        case 'tool':
          if (activity.done)
            request.onEvent({ kind: 'tool', tool: activity.name, input: {}, isError: false, result: 'done' });
          return;
        default:
          return;
      }
    };
    endLeftoverHelpers(request.cwd);
    try {
      const result = await runCodexTurn({
        command: request.command,
        worktree: request.cwd,
        codexHome,
        env: request.env,
        ...(request.model ? { model: request.model } : {}),
        instructions: request.system,
        prompt: request.prompt,
        ...(request.session ? { session: request.session } : {}),
        readOnly: request.owns.length === 0,
        owns: request.owns,
        deny: request.deny,
        outputSchema: strictSchema(request.finalSchema),
        signal: stop.signal,
        onActivity,
      });
      const base = { ...(result.session ? { session: result.session } : {}), text: result.finalText, turns };
      if (overTurns)
        return { ...base, failure: { kind: 'max-turns', detail: `stopped after ${turns} model responses` } };
      if (result.failure && !request.signal.aborted) return { ...base, failure: failureOf(result.failure) };
      if (request.signal.aborted) return { ...base, failure: { kind: 'crashed', detail: 'cancelled' } };
      if (!result.finalText.trim())
        return { ...base, failure: { kind: 'no-answer', detail: 'Codex ended without a final message' } };
      return { ...base, final: parseAnswer(result.finalText) };
    } finally {
      request.signal.removeEventListener('abort', onAbort);
      endLeftoverHelpers(request.cwd);
    }
  },
};

export const codexRunner: AgentRunner = {
  name: 'codex',
  run: (def, env) => runCliAgent(codexAdapter, def, env),
};
