/**
 * The `claude-code` runner: Claude Code driven through the Claude Agent SDK (`query`), on the
 * program the user configured (`pathToClaudeCodeExecutable` = agentCli.claude-code.command),
 * started through our own spawner (`spawnClaudeCodeProcess`) so it runs detached in its own
 * process group. Its settings are ours alone (`settingSources: []`: no user or workspace hooks,
 * CLAUDE.md or agents), edits are accepted inside the worktree (`acceptEdits`; bypassPermissions
 * fails as root), and its final answer is the SDK's structured output in our final tool's shape.
 */
import type { HookCallback, Options, SDKMessage, SpawnedProcess } from '@anthropic-ai/claude-agent-sdk';
import type { CliAdapter, CliFailure, CliFailureKind, CliTurnRequest, CliTurnResult } from '../cliAgent/cliTypes';
import { CLI_DEFAULTS } from '../cliAgent/cliDefaults';
import { runCliAgent } from '../cliAgent/cliSession';
import { endpointOf } from '../cliAgent/agentSandbox';
import { claudeSignIn } from './claudeCodeSettings';
import type { AgentRunner } from '../types';
import { denyRules, EDIT_TOOLS, filePathOf, NEVER_TOOLS, outsideRules, writeRefusal } from './claudeCodeSettings';
import { ClaudeStream } from './claudeCodeStream';

/** The oldest Claude Code whose stream and flags this runner was written against. */
const MIN_VERSION = [2, 1, 0];

const ADVICE: Record<CliFailureKind, string> = {
  missing: `install Claude Code (${CLI_DEFAULTS['claude-code'].install}) or set agentCli.claude-code.command`,
  'too-old': `update Claude Code to ${MIN_VERSION.join('.')} or newer (${CLI_DEFAULTS['claude-code'].install}), then resume`,
  'not-signed-in':
    'sign Claude Code in (run `claude` once, or set ANTHROPIC_API_KEY and list it in agentCli.claude-code.env), then resume',
  'rate-limited':
    'Claude Code is rate-limited or out of usage; wait, or switch the layer to another runner, then resume',
  'max-turns':
    'it used agentCli.claude-code.maxTurns (or limits.maxAgentTurns) without finishing; raise it, then resume',
  budget: "it reached the run's budget (limits.maxBudgetUsd); raise it, then resume",
  'no-answer': "it stopped without an answer; check the layer's task, then resume",
  crashed: 'Claude Code exited unexpectedly; run `claude --version` to check it, then resume',
};

export const claudeCodeAdapter: CliAdapter = {
  runner: 'claude-code',
  defaults: CLI_DEFAULTS['claude-code'],
  // Claude Code keeps sessions under $HOME/.claude/projects/<cwd>: not there on another machine.
  sessionGone: /No conversation found with session ID/,
  signIn: claudeSignIn,
  // Its endpoint; without one of the user's, Anthropic's API and where a subscription's sign-in is renewed.
  network: (env) => [
    endpointOf(env.ANTHROPIC_BASE_URL) ?? 'api.anthropic.com:443',
    ...(env.ANTHROPIC_BASE_URL ? [] : ['console.anthropic.com:443', 'platform.claude.com:443']),
  ],
  advice: (kind) => ADVICE[kind],
  turn,
};

export const claudeCodeRunner: AgentRunner = {
  name: 'claude-code',
  run: (def, env) => runCliAgent(claudeCodeAdapter, def, env),
};

async function turn(request: CliTurnRequest): Promise<CliTurnResult> {
  const { query } = await import('@anthropic-ai/claude-agent-sdk');
  const stream = new ClaudeStream(request.onEvent);
  const stderr: string[] = [];
  const abortController = new AbortController();
  const onAbort = () => abortController.abort();
  request.signal.addEventListener('abort', onAbort, { once: true });
  // Refuses a write outside owns before it happens, with a reason the model reads.
  const ownsHook: HookCallback = async (input) => {
    const refused =
      input.hook_event_name === 'PreToolUse'
        ? writeRefusal(request.cwd, filePathOf(input.tool_input), request.owns)
        : undefined;
    return refused
      ? {
          hookSpecificOutput: {
            hookEventName: 'PreToolUse',
            permissionDecision: 'deny',
            permissionDecisionReason: `refused by the orchestrator: ${refused}`,
          },
        }
      : {};
  };
  const options: Options = {
    cwd: request.cwd,
    pathToClaudeCodeExecutable: request.command,
    env: {
      ...request.env,
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      CLAUDE_AGENT_SDK_CLIENT_APP: 'spec-orchestrator',
    },
    settingSources: [],
    strictMcpConfig: true,
    permissionMode: 'acceptEdits',
    systemPrompt: { type: 'preset', preset: 'claude_code', append: request.system },
    settings: { permissions: { deny: [...denyRules(request.deny), ...outsideRules(request.outside)] } },
    // Claude Code's own sandbox for its commands (no network, no way around it) when ours is off.
    // Inside ours it cannot start (its bubblewrap mounts a fresh /proc, which a nested PID namespace
    // refuses) and only degrades, after probing for it (bubblewrap, `npm root -g`, its socat and
    // proxies: ~0.4 s a start, bench row 44): not asked for there, ours confines its commands.
    sandbox: {
      enabled: !request.sandboxed,
      failIfUnavailable: false,
      autoAllowBashIfSandboxed: true,
      allowUnsandboxedCommands: false,
      network: { allowedDomains: [] },
    },
    // Commands run without asking (headless, nobody could answer); what they change passes the owns gate.
    allowedTools: ['Bash', 'Read', 'Glob', 'Grep'],
    disallowedTools: [...NEVER_TOOLS, ...(request.owns.length === 0 ? EDIT_TOOLS : [])],
    hooks: { PreToolUse: [{ matcher: EDIT_TOOLS.join('|'), hooks: [ownsHook] }] },
    outputFormat: { type: 'json_schema', schema: request.finalSchema },
    maxTurns: request.maxTurns,
    ...(request.budgetLeftUsd !== undefined && request.budgetLeftUsd > 0
      ? { maxBudgetUsd: request.budgetLeftUsd }
      : {}),
    ...(request.model ? { model: request.model } : {}),
    ...(request.session ? { resume: request.session } : {}),
    includePartialMessages: true,
    abortController,
    spawnClaudeCodeProcess: (o) =>
      request.spawn(o.command, o.args, { ...(o.cwd ? { cwd: o.cwd } : {}), env: o.env }) as SpawnedProcess,
    stderr: (data) => {
      stderr.push(data);
      if (stderr.length > 50) stderr.shift();
    },
  };
  try {
    for await (const message of query({ prompt: request.prompt, options }) as AsyncIterable<SDKMessage>) {
      stream.take(message);
      const old = stream.version && tooOld(stream.version);
      if (old)
        return {
          ...stream.outcome(),
          failure: { kind: 'too-old', detail: `Claude Code ${stream.version} is older than ${MIN_VERSION.join('.')}` },
        };
    }
  } catch (error) {
    // The SDK throws after an error result: the result itself says what went wrong.
    if (request.signal.aborted || stream.hasResult) return stream.outcome();
    return { ...stream.outcome(), failure: crashFailure(error, stderr.join('')) };
  } finally {
    request.signal.removeEventListener('abort', onAbort);
  }
  return stream.outcome();
}

function tooOld(version: string): boolean {
  const parts = version.split('.').map((p) => Number.parseInt(p, 10));
  for (let i = 0; i < MIN_VERSION.length; i++) {
    const have = parts[i] ?? 0;
    if (have !== MIN_VERSION[i]) return have < MIN_VERSION[i]!;
  }
  return false;
}

function crashFailure(error: unknown, stderr: string): CliFailure {
  const text = `${(error as Error)?.message ?? String(error)} ${stderr}`;
  if (/ENOENT|not found|no such file/i.test(text))
    return { kind: 'missing', detail: 'the program could not be started' };
  if (/unknown option|unrecognized option/i.test(text))
    return { kind: 'too-old', detail: 'it does not know the options this runner passes' };
  if (/invalid api key|authentication|not logged in|please run \/login|401/i.test(text))
    return { kind: 'not-signed-in', detail: 'it is not signed in' };
  if (/rate.?limit|429|usage limit/i.test(text)) return { kind: 'rate-limited', detail: 'rate-limited' };
  return { kind: 'crashed', detail: stderr.trim().split('\n').at(-1) ?? (error as Error)?.message ?? '' };
}
