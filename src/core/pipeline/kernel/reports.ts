/**
 * The "Pipeline stopped" reports of seed 002, in English, one per way a run can stop.
 * Each names what stopped, the numbers that matter and the action the human has to take.
 */
import type { ReviewIssue } from '../../events';
import { RunStop, type UncheckedLayer } from '../../errors';
import { uncheckedWhy } from '../../text/proofWords';

const usd = (n: number): string => `$${n.toFixed(n >= 1 ? 2 : 4)}`;
const fence = (text: string): string => `\`\`\`\n${text.trim() || '(no output)'}\n\`\`\``;

export function validationStopped(input: {
  layer: string;
  retries: number;
  max: number;
  command: string;
  error: string;
}): RunStop {
  const report = [
    '## Pipeline stopped: validation failed',
    `### Agent: ${input.layer}`,
    `- Retries exhausted: ${input.retries}/${input.max}`,
    `- Command: \`${input.command}\``,
    '- Last error:',
    fence(input.error),
    '### Action needed',
    'Manual intervention needed. Review the error above and give guidance: fix the files yourself and run `orchestrator resume`, or roll the run back with `orchestrator rollback`.',
  ].join('\n');
  return new RunStop(
    'validation',
    `validation of ${input.layer} failed after ${input.retries}/${input.max} retries (${input.command})`,
    report,
  );
}

/**
 * A validate command that did not end within its limit: reported at once, not retried as if the
 * code were wrong (a command waiting on an open handle, a watcher, a browser or a service waits
 * the same on every retry).
 */
export function validationTimedOut(input: {
  layer: string;
  command: string;
  timeoutSec: number;
  output: string;
  measured: boolean;
}): RunStop {
  const report = [
    '## Pipeline stopped: a validate command did not end',
    `### Agent: ${input.layer}`,
    `- Command: \`${input.command}\` (stopped after ${input.timeoutSec} s, its limit${input.measured ? `: \`layers.${input.layer}.timeoutSec\`, from the time it took at \`init\`` : ': `limits.commandTimeoutSec`'})`,
    '- Its last output:',
    fence(input.output),
    '### Action needed',
    'Make the command end on its own (Jest: `--forceExit`; Vitest: `vitest run`, not watch mode; a runner that waits for keystrokes: `CI=true`), or raise its limit if the work really takes longer; then run `orchestrator resume`.',
  ].join('\n');
  return new RunStop(
    'validation',
    `validation of ${input.layer} stopped: \`${input.command}\` did not end within ${input.timeoutSec} s`,
    report,
  );
}

/**
 * A proof command that did not end within its limit in GREEN: reported at once, like a validate
 * command's (each retry would wait the whole limit again), naming the criteria, the command and
 * its last output. The same tests ended on the base (RED), so the cause is usually the new code:
 * a loop, or a handle it leaves open.
 */
export function proofTimedOut(input: {
  criteria: { id: string; text: string; test: string }[];
  command: string;
  timeoutSec: number;
  measured: boolean;
  output: string;
}): RunStop {
  const report = [
    '## Pipeline stopped: a proof command did not end',
    ...input.criteria.map((c) => `- ${c.id}: ${c.text} (test: ${c.test})`),
    `- Command: \`${input.command}\` (stopped after ${input.timeoutSec} s, its limit${input.measured ? ': `proof.timeoutSec`' : ': `limits.commandTimeoutSec`'})`,
    '- Its last output:',
    fence(input.output),
    '### Action needed',
    'The same tests ended on the base: look for a loop, a timer or a server the new code leaves running (Jest: `--detectOpenHandles` names it), fix it in the code (never in the frozen test), or raise `proof.timeoutSec` if the tests really take longer; then run `orchestrator resume`.',
  ].join('\n');
  return new RunStop(
    'validation',
    `proof of ${input.criteria.map((c) => c.id).join(', ')} stopped: \`${input.command}\` did not end within ${input.timeoutSec} s`,
    report,
  );
}

export function reviewStopped(input: {
  rounds: number;
  max: number;
  issues: ReviewIssue[];
  unrouted?: ReviewIssue[];
}): RunStop {
  const list = (issues: ReviewIssue[]) =>
    issues
      .map((i) => `- [${i.severity}] ${i.file}${i.line ? `:${i.line}` : ''}: ${i.problem} — fix: ${i.fix}`)
      .join('\n');
  const lines = [
    '## Pipeline stopped: review rejected',
    `- Review rounds: ${input.rounds}`,
    `- Fix rounds exhausted: ${Math.min(input.rounds - 1, input.max)}/${input.max}`,
    '### Open issues',
    list(input.issues),
  ];
  if (input.unrouted?.length) lines.push('### Issues no layer owns', list(input.unrouted));
  lines.push(
    '### Action needed',
    'Manual intervention needed. Fix the issues above, or accept the change as it is; then run `orchestrator resume` or roll back.',
  );
  const why =
    input.unrouted?.length && input.rounds <= input.max
      ? 'the review raised issues in files no layer owns'
      : `the review still rejects after ${input.max} fix rounds`;
  return new RunStop('review', why, lines.join('\n'));
}

export function budgetStopped(input: {
  spentUsd: number;
  limitUsd: number;
  where: string;
  done: string[];
  pending: string[];
  requests?: { used: number; max: number };
  shared?: string;
}): RunStop {
  const { requests, shared } = input;
  if (shared) return sharedBudgetStopped({ ...input, shared });
  const report = [
    '## Pipeline stopped: budget reached',
    `- Spent: ${usd(input.spentUsd)} of ${usd(input.limitUsd)} (limits.maxBudgetUsd)`,
    ...(requests ? [`- Requests without a known price: ${requests.used} of ${requests.max} (limits.maxRequests)`] : []),
    `- Stopped during: ${input.where}`,
    `- Layers done: ${input.done.join(', ') || 'none'}`,
    `- Layers not done: ${input.pending.join(', ') || 'none'}`,
    '### Action needed',
    `Raise ${requests ? 'limits.maxRequests' : 'limits.maxBudgetUsd'} in .claude/orchestrator.yaml and run \`orchestrator resume\` to continue from here, or roll the run back.`,
  ].join('\n');
  const why = requests
    ? `request limit of ${requests.max} reached (models without a price)`
    : `budget of ${usd(input.limitUsd)} reached (${usd(input.spentUsd)} spent)`;
  return new RunStop('budget', why, report);
}

/** A host's shared budget (the pool's team budget per UTC day) refused the next model call. */
function sharedBudgetStopped(input: {
  spentUsd: number;
  where: string;
  done: string[];
  pending: string[];
  shared: string;
}): RunStop {
  const report = [
    '## Pipeline stopped: the team budget is spent',
    `- Limit: ${input.shared} (shared by every worker of the pool)`,
    `- This run spent: ${usd(input.spentUsd)}`,
    `- Stopped during: ${input.where}`,
    `- Layers done: ${input.done.join(', ') || 'none'}`,
    `- Layers not done: ${input.pending.join(', ') || 'none'}`,
    '### Action needed',
    `Raise ${input.shared} or wait for the next UTC day, then resume the run.`,
  ].join('\n');
  return new RunStop('budget', `the team budget is spent (${input.shared})`, report);
}

export function blockedStopped(input: { agent: string; summary: string }): RunStop {
  const report = [
    '## Pipeline stopped: agent blocked',
    `### Agent: ${input.agent}`,
    `- Reason: ${input.summary}`,
    '### Action needed',
    'Manual intervention needed. Resolve what blocks the agent (or edit the spec), then run `orchestrator resume`.',
  ].join('\n');
  return new RunStop('blocked', `${input.agent} is blocked: ${input.summary}`, report);
}

/** An agent that ended without its final answer: the run's stop, saying how it ended (a phase may take it otherwise). */
export class AgentUnfinished extends RunStop {
  constructor(
    readonly agent: string,
    readonly outcome: string,
    message: string,
    report: string,
  ) {
    super('agent', message, report);
  }
}

export function agentStopped(input: { agent: string; outcome: string; error?: string }): AgentUnfinished {
  const why =
    input.outcome === 'max_turns'
      ? 'reached limits.maxAgentTurns without finishing'
      : input.outcome === 'loop'
        ? 'repeated the same call (loop detected)'
        : `failed: ${input.error ?? 'unknown error'}`;
  const report = [
    '## Pipeline stopped: agent did not finish',
    `### Agent: ${input.agent}`,
    `- Outcome: ${input.outcome}`,
    `- Detail: ${why}`,
    '### Action needed',
    input.outcome === 'error'
      ? 'Check the error above (API key, network, model id), then run `orchestrator resume`.'
      : "Manual intervention needed. Check the agent's work and the spec, then run `orchestrator resume`.",
  ].join('\n');
  return new AgentUnfinished(input.agent, input.outcome, `${input.agent} ${why}`, report);
}

export function apiStopped(input: { agent: string; error: string; windowSec: number }): RunStop {
  const report = [
    '## Pipeline stopped: the API is unavailable',
    `### Agent: ${input.agent}`,
    `- Waited: the whole retry window (limits.apiRetryWindowSec: ${input.windowSec} s)`,
    `- Last error: ${input.error}`,
    '### Action needed',
    'Nothing is lost: run `orchestrator resume` once the API answers again; finished layers are not run again. ' +
      'Raise limits.apiRetryWindowSec in .claude/orchestrator.yaml to wait longer next time.',
  ].join('\n');
  return new RunStop(
    'api',
    `the API stayed unavailable for ${input.windowSec} s while ${input.agent} was working`,
    report,
  );
}

const MODEL_ACTIONS: Record<string, (key: string) => string> = {
  unsupported: (key) => `Choose a model that supports tool calls in ${key}, then run \`orchestrator resume\`.`,
  'not-found': (key) =>
    `Check the model id in ${key} (the endpoint does not know it), then run \`orchestrator resume\`.`,
  'spend-limit': () => 'The account has no credit or quota left; raise it, then run `orchestrator resume`.',
};

/** The model an agent is configured with cannot serve it (no tool calls, unknown, no credit). */
export function modelStopped(input: {
  agent: string;
  model: string;
  key: string;
  kind: string;
  error: string;
}): RunStop {
  const report = [
    '## Pipeline stopped: the model cannot be used',
    `### Agent: ${input.agent}`,
    `- Model: ${input.model} (${input.key})`,
    `- Error: ${input.error}`,
    '### Action needed',
    (MODEL_ACTIONS[input.kind] ?? MODEL_ACTIONS['not-found']!)(input.key),
  ].join('\n');
  return new RunStop(
    'agent',
    `the model of the ${input.agent} agent (${input.key}: ${input.model}) cannot be used: ${input.kind}`,
    report,
  );
}

export function commandStopped(input: {
  phase: string;
  command: string;
  output: string;
  exitCode: number | null;
}): RunStop {
  const report = [
    `## Pipeline stopped: ${input.phase} failed`,
    `- Command: \`${input.command}\` (exit ${input.exitCode ?? 'timeout or killed'})`,
    '- Output:',
    fence(input.output),
    '### Action needed',
    'Fix the command or the project files it reads, then run the command again.',
  ].join('\n');
  return new RunStop('sync', `${input.phase} command failed: ${input.command}`, report);
}

/** A `deploy:` command or a `smoke:` test failed after COMPLETE: the change itself is done; resume deploys and tests again. */
export function deployStopped(input: {
  step: 'deploy' | 'smoke';
  command: string;
  exitCode: number | null;
  output: string;
  deployedBy: readonly string[];
}): RunStop {
  const what = input.step === 'deploy' ? 'the deploy' : 'a smoke test';
  const report = [
    `## Pipeline stopped: ${what} failed`,
    `- Command: \`${input.command}\` (exit ${input.exitCode ?? 'timeout or killed'})`,
    ...(input.deployedBy.length > 0 ? [`- Deployed by: ${input.deployedBy.map((c) => `\`${c}\``).join(', ')}`] : []),
    '- Output:',
    fence(input.output),
    '### Action needed',
    `The change is implemented, reviewed and completed. Fix what ${what} reports (the code, the environment or the command), then run \`orchestrator resume\` (in VS Code: Resume Run): it deploys and runs the smoke tests again.`,
  ].join('\n');
  return new RunStop(input.step, `${what} failed: ${input.command}`, report);
}

export function untrustedStopped(what: string): RunStop {
  const report = [
    '## Pipeline stopped: workspace not trusted',
    `- ${what} would run the workspace's own commands, which only happens in a trusted workspace.`,
    '### Action needed',
    'Trust the workspace, then run `orchestrator resume`.',
  ].join('\n');
  return new RunStop('untrusted', `the workspace is not trusted: ${what} cannot run its commands`, report);
}

/**
 * Issue 70: the run's work is done, validated and reviewed, but part of it nothing checked (no proof
 * test of a criterion its layer cites passed, and its layer has no validate command). It ends
 * `unchecked` before COMPLETE, never `completed`: the user adds a check, or accepts it as it is.
 */
export function uncheckedStopped(layers: readonly UncheckedLayer[], runId: string): RunStop {
  const files = layers.reduce((n, l) => n + l.files.length, 0);
  const report = [
    '## Run ended unchecked: nothing checked part of the change',
    'Nothing showed that these files do what the spec asks (the agents wrote them):',
    ...layers.map(
      (l) =>
        `- **${l.layer}**: ${l.files.map((f) => `\`${f}\``).join(', ')}: ${l.unproven?.length ? `not proven (${l.unproven.join('; ')})` : l.styleOnly?.length ? `only style checks ran (${l.styleOnly.map((c) => `\`${c}\``).join(', ')}): nothing ran the changed code` : 'no proof test and no validate command checked them'}`,
    ),
    '### Action needed',
    `Give each layer a check: a \`validate\` command in \`.claude/orchestrator.yaml\` (\`orchestrator init --force\` proposes them from your manifests and CI), or proof per criterion (\`proof:\`), then run \`orchestrator resume ${runId}\`: the layers that now have a check are validated, and the spec completes when they pass. To accept the change as it is, unchecked: \`orchestrator resume ${runId} --allow-unchecked\` (in VS Code: Accept unchecked… on this report).`,
  ].join('\n');
  return new RunStop(
    'unchecked',
    `nothing checked ${files} changed file(s) of ${layers.map((l) => l.layer).join(', ')}: ${layers.map(uncheckedWhy).join('; ')}`,
    report,
    undefined,
    layers.map((l) => ({ ...l, files: [...l.files] })),
  );
}
