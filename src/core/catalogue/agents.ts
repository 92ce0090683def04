/** Agents and what they do: turns, tools, files, model calls, validation, review, the sandbox, the worktree. */
import { isLayerMode, nothing, type Meaning } from './meaning';
import { clip, type EventOf, firstLine, inSeconds, oneLine, type Entries, type Words } from './words';

/** What a tool call works on: its file, or its command. */
function toolTarget(input: unknown): string {
  const fields = (input ?? {}) as Record<string, unknown>;
  // Claude Code's file_path, opencode's filePath, our path.
  const target =
    fields.file_path ?? fields.filePath ?? fields.path ?? fields.notebook_path ?? fields.command ?? fields.pattern;
  return typeof target === 'string' ? ` ${firstLine(target)}` : '';
}

export const agentEntries = {
  'agent.started': {
    state: (e) => ({
      agentStarted: {
        agent: e.agent,
        mode: e.mode,
        attempt: e.attempt,
        onLayer: isLayerMode(e.mode),
        runner: e.runner,
      },
    }),
    words: (e) => ({
      level: 'info',
      depth: 1,
      text: `${e.agent}: ${e.mode}${e.attempt > 1 ? ` (attempt ${e.attempt})` : ''}${onRunner(e)}`,
    }),
  },
  'agent.completed': {
    state: (e) => ({ agentEnded: { agent: e.agent, outcome: e.outcome, summary: e.summary } }),
    words: (e) => ({
      level: e.outcome === 'submitted' ? 'info' : 'warn',
      depth: 1,
      text: `${e.agent}: ${e.outcome}${e.summary ? ` — ${firstLine(e.summary)}` : ''}`,
      ...(e.summary?.includes('\n') ? { detail: clip(e.summary, 500) } : {}),
    }),
  },
  'agent.session': {
    state: nothing,
    words: (e) => ({ level: 'trace', depth: 1, text: `${e.agent}: ${e.runner} session ${e.session}`, progress: false }),
  },
  'agent.blocked': {
    state: (e) => ({ agentBlocked: { agent: e.agent, reason: e.reason } }),
    words: (e) => ({
      level: 'error',
      depth: 1,
      text: `${e.agent}: blocked — ${firstLine(e.reason)}`,
      ...(e.reason.includes('\n') ? { detail: e.reason } : {}),
    }),
  },
  // A CLI agent's calls are its progress; our own agent's show as the files they write.
  'tool.called': {
    state: nothing,
    words: (e) => ({
      level: e.isError ? 'warn' : 'trace',
      depth: 2,
      text: oneLine(`· ${e.agent} ${e.tool}${toolTarget(e.input)}${e.isError ? ' (refused)' : ''}`),
      ...(e.isError ? { detail: clip(e.result, 300) } : {}),
      ...(e.runner ? {} : { progress: false as const }),
    }),
  },
  'file.written': {
    state: (e) => ({ file: { agent: e.agent, path: e.path, deleted: false, created: e.created } }),
    words: (e) => ({
      level: 'info',
      depth: 2,
      text: `${e.created ? '+' : '~'} ${e.path}`,
      detail: `${e.agent} ${e.created ? 'created' : 'wrote'} it (${e.bytes} bytes)`,
    }),
  },
  'file.deleted': {
    state: (e) => ({ file: { agent: e.agent, path: e.path, deleted: true } }),
    words: (e) => ({
      level: 'info',
      depth: 2,
      text: `- ${e.path}`,
      detail: `${e.agent} deleted it (${e.lines} lines)`,
    }),
  },
  'llm.usage': {
    state: (e) => ({
      usage: {
        agent: e.agent,
        usage: e.usage,
        costUsd: e.costUsd,
        ms: e.ms,
        provider: e.provider ?? 'anthropic',
        priced: e.priced !== false,
      },
    }),
    words: (e) => ({
      level: 'trace',
      depth: 2,
      text: `${e.agent} ${e.model}: in ${e.usage.input}, out ${e.usage.output}, cache r/w ${e.usage.cacheRead}/${e.usage.cacheWrite}, $${e.costUsd.toFixed(4)}, ${e.ms} ms`,
      progress: false,
    }),
  },
  'llm.retry': {
    state: nothing,
    words: (e) => ({ level: 'warn', depth: 1, text: `${e.agent}: model call retried (${e.reason})` }),
  },
  'llm.waiting': {
    state: (e) => ({
      apiWait: {
        agent: e.agent,
        kind: e.kind,
        reason: e.reason,
        attempt: e.attempt,
        retryInMs: e.retryInMs,
        windowLeftMs: e.windowLeftMs,
      },
    }),
    words: (e) => ({
      level: 'warn',
      depth: 1,
      text: `${e.agent}: waiting for the API: ${e.reason}, retry ${e.attempt} in ${inSeconds(e.retryInMs)} (gives up in ${inSeconds(e.windowLeftMs)}; Ctrl-C stops, resume continues)`,
    }),
  },
  'llm.recovered': {
    state: (e) => ({ apiRecovered: { agent: e.agent } }),
    words: (e) => ({ level: 'info', depth: 1, text: `${e.agent}: the API answered again` }),
  },
  'llm.compacted': {
    state: nothing,
    words: (e) => ({
      level: 'info',
      depth: 1,
      text: `${e.agent}: older tool results compacted to fit the context window (~${e.tokensBefore} → ~${e.tokensAfter} tokens)`,
    }),
  },
  'validation.started': {
    state: (e) => ({ validation: { layer: e.layer, state: 'running', command: e.command } }),
    words: (e) => ({ level: 'info', depth: 1, text: `${e.layer}: validate ${e.command}`, progress: false }),
  },
  'validation.passed': {
    state: (e) => ({
      validation: {
        layer: e.layer,
        state: 'passed',
        filesHash: e.filesHash,
        ...(e.commands !== undefined ? { commands: e.commands } : {}),
        ...(e.proofTests !== undefined ? { proofTests: e.proofTests } : {}),
      },
    }),
    words: (e) => validatedWords(e.layer, e.commands, e.proofTests),
  },
  'validation.failed': {
    state: (e) => ({
      validation: { layer: e.layer, state: 'failed', command: e.command, output: e.output, exitCode: e.exitCode },
    }),
    words: (e) => ({
      level: 'warn',
      depth: 1,
      text: `✗ ${e.layer}: ${e.command} (exit ${e.exitCode ?? 'timeout'})`,
      detail: clip(e.output, 8000),
    }),
  },
  'validation.setAside': {
    state: nothing,
    words: (e) => ({
      level: 'warn',
      depth: 1,
      text: oneLine(
        `⚠ ${e.layer}: ${firstLine(e.command)} fails on the base too (exit ${e.exitCode ?? 'none'} before any change): not this layer's failure; set aside for this run`,
      ),
      detail: clip(e.output, 4000),
    }),
  },
  'command.ran': {
    state: nothing,
    words: (e) => ({
      level: 'trace',
      depth: 1,
      text: oneLine(
        `${e.layer ? `${e.layer}: ` : ''}${e.kind} ${firstLine(e.command)}: ` +
          `${e.timedOut ? 'timed out' : `exit ${e.exitCode ?? 'none'}`} in ${e.ms} ms`,
      ),
      ...(e.criteria ? { detail: e.criteria.join(', ') } : {}),
      progress: false,
    }),
  },
  retry: {
    state: (e) => ({ retry: { layer: e.layer, attempt: e.attempt, max: e.max } }),
    words: (e) => ({ level: 'warn', depth: 1, text: `↻ ${e.layer} retry ${e.attempt}/${e.max}` }),
  },
  'review.skipped': {
    state: (e) => ({ reviewSkipped: { reason: e.reason } }),
    words: (e) => ({ level: 'info', depth: 1, text: `review skipped: ${e.reason}` }),
  },
  'review.verdict': {
    state: (e) => ({ review: { round: e.round, verdict: e.verdict, issues: e.issues, criteria: e.criteria } }),
    words: (e) => ({
      level: e.verdict === 'approved' ? 'info' : 'warn',
      depth: 1,
      text: `review round ${e.round}: ${e.verdict}${e.issues.length ? ` (${e.issues.length} issues)` : ''}`,
      ...(e.issues.length
        ? {
            detail: e.issues
              .map((i) => `[${i.severity}] ${i.file}${i.line ? `:${i.line}` : ''} ${i.problem} → ${i.fix}`)
              .join('\n'),
          }
        : {}),
    }),
  },
  'sandbox.off': {
    state: nothing,
    words: () => ({ level: 'warn', depth: 1, text: '⚠ sandbox: off: agents and commands run unconfined' }),
  },
  'sandbox.denied': {
    state: (e) => ({ denied: { lane: e.layer ?? e.agent, what: `${e.kind} ${e.target}`, command: e.command } }),
    words: (e) => ({
      level: 'warn',
      depth: 1,
      text: oneLine(
        `⛔ ${e.layer ?? e.agent ?? 'sandbox'}: the sandbox refused ${e.kind} ${e.target}${e.command ? ` (${e.command})` : ''}`,
      ),
    }),
  },
  'worktree.created': {
    state: (e) => ({ worktreeCreated: { path: e.path, workspace: e.workspace, ref: e.ref, commit: e.commit } }),
    words: (e) => ({
      level: 'info',
      depth: 1,
      text: `worktree ${e.path} (from ${e.commit.slice(0, 12)}; your checkout is not touched)`,
    }),
  },
  'worktree.ready': {
    state: (e) => ({ worktreeReady: { linked: e.linked } }),
    words: (e) => ({
      level: 'info',
      depth: 1,
      text: `worktree ready${e.linked.length ? `, linked ${e.linked.join(', ')}` : ''}`,
    }),
  },
  'worktree.applied': {
    state: (e) => ({ worktreeSettled: { outcome: 'applied', ref: e.ref, files: e.files } }),
    words: (e) => ({
      level: 'info',
      depth: 1,
      text: `applied to your checkout: ${e.files.length} files${e.merged.length ? ` (${e.merged.length} merged)` : ''}`,
      progress: false,
    }),
  },
  'worktree.branched': {
    state: (e) => ({ worktreeSettled: { outcome: 'branched', branch: e.branch } }),
    words: (e) => ({
      level: 'info',
      depth: 1,
      text: `kept on branch ${e.branch} (${e.commit.slice(0, 12)})`,
      progress: false,
    }),
  },
  'worktree.discarded': {
    state: () => ({ worktreeSettled: { outcome: 'discarded' } }),
    words: () => ({ level: 'info', depth: 1, text: 'worktree discarded', progress: false }),
  },
} satisfies Entries;

/** What the GitHub channel did or heard (its URLs are its evidence), and what of it a run links to. */
const github = (what: string, link?: NonNullable<Meaning['github']>['link']) => ({
  state: (e: { url: string; detail?: string }): Meaning =>
    link ? { github: { link, url: e.url, detail: e.detail } } : {},
  words: (e: { url: string; by?: string; detail?: string }) => ({
    level: 'info' as const,
    depth: 1 as const,
    text: `GitHub: ${what}${e.by ? ` by ${e.by}` : ''}${e.detail ? ` (${firstLine(e.detail)})` : ''}: ${e.url}`,
    progress: false as const,
  }),
});

export const githubEntries = {
  'github.issue.linked': github('issue linked', 'issue'),
  'github.spec.posted': github('spec posted', 'spec'),
  'github.spec.decided': github('spec decided'),
  'github.decision.refused': github('decision refused'),
  'github.pushed': github('pushed', 'branch'),
  'github.pr.opened': github('pull request opened', 'pull'),
  'github.pr.updated': github('pull request updated', 'pull'),
  'github.ci.failed': github('CI failed'),
  'github.ci.fixed': github('CI fixed'),
  'github.ci.limit': github('CI fixes at their limit'),
  'github.change.requested': github('change requested'),
  'github.cancelled': github('cancelled'),
  'github.confirmation.asked': github('confirmation asked'),
  'github.confirmation.decided': github('confirmation decided'),
} satisfies Entries;

/** ` on codex`; with `runner: auto`'s choice, the model and why (` on agent:haiku — auto, by its record: 4 runs, 75 % passed`). */
function onRunner(e: EventOf<'agent.started'>): string {
  if (!e.choice) return e.runner && e.runner !== 'agent' ? ` on ${e.runner}` : '';
  const on = `${e.runner ?? 'agent'}${e.model ? `:${e.model}` : ''}`;
  return e.choice.by === 'record'
    ? ` on ${on} — auto, by its record: ${e.choice.runs} runs, ${Math.round(e.choice.passRate * 100)} % passed`
    : ` on ${on} — auto, exploring`;
}

/**
 * Issue 70: "validated" only when a check ran. A layer with no validate command says what checked it
 * (its proof tests) or that nothing did yet (its criteria's tests may still run after a later layer).
 */
function validatedWords(layer: string, commands?: number, proofTests?: number): Words {
  // Journals before issue 70 do not count: their line reads as it did.
  if (commands === undefined || commands > 0) return { level: 'info', depth: 1, text: `✓ ${layer} validated` };
  if (proofTests) return { level: 'info', depth: 1, text: `✓ ${layer}: its proof tests pass (no validate command)` };
  return { level: 'warn', depth: 1, text: `· ${layer}: no check ran (no validate command, no proof test due)` };
}
