/**
 * How the sidebar words an event in the run's activity: its own short lines (the catalogue's words
 * are the log's and the CLI's). An event type with no line here adds none; the GitHub channel's
 * lines are githubView.ts's.
 */
import type { EventOf } from '../../core/catalogue';
import type { EngineEvent } from '../../core/events';
import { budgetLabel, inSeconds, type ActivityLine, type RunView } from '../../shared/viewState';

/**
 * What a tool call worked on, for its activity line: our tools' `path`; a CLI agent's file (its
 * absolute path in its own worktree, `…/<runId>.agents/<agent>/…`, shown from the workspace on),
 * the files of a patch, or the command it ran (issue 27).
 */
function pathOf(input: unknown): string {
  const fields = (input ?? {}) as {
    path?: unknown;
    file_path?: unknown;
    filePath?: unknown;
    notebook_path?: unknown;
    command?: unknown;
    files?: unknown;
  };
  if (typeof fields.path === 'string') return ` ${fields.path}`;
  // opencode names it filePath.
  const file = fields.file_path ?? fields.filePath ?? fields.notebook_path;
  if (typeof file === 'string') return ` ${file.replace(/^.*\.agents\/[^/]+\//, '')}`;
  if (Array.isArray(fields.files)) return ` ${fields.files.filter((f) => typeof f === 'string').join(', ')}`;
  if (typeof fields.command === 'string') return ` $ ${fields.command.replace(/\s+/g, ' ').slice(0, 120)}`;
  return '';
}

const info = (text: string): ActivityLine => ({ level: 'info', text });
const warn = (text: string): ActivityLine => ({ level: 'warn', text });
const error = (text: string): ActivityLine => ({ level: 'error', text });

/** Each line from its event, and the run as the event left it. */
const LINES: { [K in EngineEvent['type']]?: (event: EventOf<K>, run: RunView) => ActivityLine | undefined } = {
  'run.started': (e) => info(`Run ${e.runId} started${e.sandbox === 'off' ? ' (sandbox: off, unconfined)' : ''}`),
  'run.completed': (_e, run) => info(`Run ${run.status}`),
  'run.stopped': (e) =>
    e.reason === 'unchecked'
      ? warn('Ended unchecked: nothing checked part of the change')
      : error(`Pipeline stopped: ${e.reason}`),
  'run.unchecked': (e) =>
    e.layers.length
      ? warn(
          `${e.accepted ? 'Accepted unchecked' : 'Unchecked'}: ${e.layers.map((l) => `${l.layer}: ${l.files.join(', ')}`).join('; ')}`,
        )
      : info('Checked since: nothing is left unchecked'),
  'run.rolled-back': (e) => info(`Rolled back: ${e.restored.length} files restored, ${e.removed.length} removed`),
  'phase.started': (e) => info(`Phase ${e.phase}`),
  'wave.started': (e) => info(`Wave ${e.wave}/${e.of}: ${e.layers.join(', ')}`),
  'agent.completed': (e) => (e.outcome === 'submitted' ? undefined : warn(`${e.agent} ended: ${e.outcome}`)),
  'agent.blocked': (e) => error(`${e.agent} is blocked: ${e.reason}`),
  'tool.called': (e) => ({
    level: e.isError ? 'warn' : 'info',
    text: `${e.agent} · ${e.tool}${pathOf(e.input)}${e.isError ? ' (refused)' : ''}`,
  }),
  'llm.retry': (e) => warn(`${e.agent}: model call retried (${e.reason}), attempt ${e.attempt}`),
  'llm.waiting': (e) =>
    warn(`${e.agent}: waiting for the API: ${e.reason}, retry ${e.attempt} in ${inSeconds(e.retryInMs)}`),
  'llm.recovered': (e) =>
    info(`${e.agent}: the API answered again (after ${e.attempts - 1} failed ${e.attempts === 2 ? 'try' : 'tries'})`),
  'llm.compacted': (e) =>
    info(
      `${e.agent}: older tool results compacted to fit the context window (~${e.tokensBefore.toLocaleString('en-US')} → ~${e.tokensAfter.toLocaleString('en-US')} tokens)`,
    ),
  // Issue 70: "passed" only when something ran.
  'validation.passed': (e) =>
    e.commands !== 0
      ? info(`${e.layer}: validation passed`)
      : e.proofTests
        ? info(`${e.layer}: its proof tests pass (no validate command)`)
        : warn(`${e.layer}: no check ran (no validate command, no proof test due)`),
  'validation.failed': (e) => warn(`${e.layer}: \`${e.command}\` failed (exit ${e.exitCode ?? 'none'})`),
  retry: (e) => warn(`${e.layer}: retry ${e.attempt}/${e.max}`),
  'review.skipped': (e) => info(`Review skipped: ${e.reason}`),
  'review.verdict': (e) => ({
    level: e.verdict === 'approved' ? 'info' : 'warn',
    text: `Review round ${e.round}: ${e.verdict} (${e.issues.length} issues)`,
  }),
  'budget.exceeded': ({ type: _type, ...budget }) => error(budgetLabel(budget)),
  'spec.saved': (e) => info(`Spec saved: ${e.path}`),
  'spec.approved': (e) => info(`Spec ${e.specId} approved`),
  'spec.changes-requested': (e) => info(`Changes requested: ${e.feedback}`),
  'spec.completed': (e) => info(`Spec moved to ${e.path}`),
  // Issue 71: the spec's lines ticked as each layer's work is accepted, taken back when it is sent back.
  'spec.ticked': (e) =>
    e.done
      ? info(`${e.layer}: ${e.items.length} ${e.items.length === 1 ? 'line' : 'lines'} of the spec ticked`)
      : warn(`${e.layer} works again: its ticks in the spec taken back`),
  'checkpoint.created': (e) => info(`Checkpoint ${e.ref}`),
  'worktree.created': (e) => info(`Worktree ${e.path}`),
  'sandbox.denied': (e) => {
    const lane = e.layer ?? e.agent;
    return warn(
      `${lane ? `${lane}: ` : ''}the sandbox refused ${e.kind} ${e.target}${e.command ? ` (\`${e.command}\`)` : ''}`,
    );
  },
  'deploy.completed': (e) => info(`Deployed: ${e.commands.join('; ')}`),
  'smoke.passed': (e) => info(`Smoke tests passed: ${e.commands.join('; ')}`),
  'smoke.failed': (e) => error(`Smoke test failed: ${e.command} (exit ${e.exitCode ?? 'timeout'})`),
  confirmation: (e) => info(`${e.question} → ${e.answer ? 'yes' : 'no'}`),
  log: (e) => ({ level: e.level, text: e.message }),
  understood: (e) =>
    info(`${e.entity ?? 'No entity'} (${e.known ? 'known' : 'new'}): layers ${e.layers.join(', ') || 'none'}`),
  diagnosis: (e) => info(`Diagnosis: ${e.rootCause}`),
  'block.reported': (e) => info(`${e.from} is blocked on ${e.to}: ${e.request}`),
  'block.resolved': (e) => info(`${e.to} resolved ${e.from}'s block`),
  // An audit run's lines (the run as its audit view was before the event; none without one).
  'audit.started': ({ settings: s }, run) =>
    info(
      run.audit
        ? `Budget now $${s.maxBudgetUsd.toFixed(2)}`
        : `Audit of ${s.target} (${s.dimension}) to ${s.targetScore}/100`,
    ),
  'audit.discovered': ({ discovery: d }, run) =>
    run.audit
      ? info(`Discovery: ${d.files} files, ${d.loc} lines of code, ${d.dependencies.length} dependencies`)
      : undefined,
  'audit.scored': (e, run) =>
    run.audit
      ? info(
          `Score ${e.score}/100 (${e.iteration === 0 ? 'baseline' : `after iteration ${e.iteration}`}), ${e.findings.length} open findings`,
        )
      : undefined,
  'audit.skipped': (e, run) =>
    run.audit ? info(`Left for a human: ${e.findings.join(', ')} (${e.reason})`) : undefined,
  'audit.report': (e, run) => (run.audit ? info(`Report: ${e.path}`) : undefined),
};

/** The sidebar's activity line for an event, if it has one; `run` is the view the event left. */
export function activityLineOf(event: EngineEvent, run: RunView): ActivityLine | undefined {
  return (LINES as Partial<Record<string, (e: EngineEvent, r: RunView) => ActivityLine | undefined>>)[event.type]?.(
    event,
    run,
  );
}
