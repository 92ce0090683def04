import type { ModelSpend, RunSummary, SpecInfo } from '../core/api';
import type { AuditSummary, SeverityCounts } from '../core/auditTypes';
import type { TraceReport } from '../core/trace';
// From the engine bundle (dist/engine.js), so instanceof sees the classes the engine throws.
import { JournalCorruptError, ProjectFileError, wordsOf } from '../core/engineBundle';
import { isCliRunner } from '../core/text/runnerNames';
import { proofLine, UNPROVEN } from '../core/text/proofWords';
import { err, out, outJson, visibleLine } from './terminal';

/**
 * docs/cli.md "Exit codes": 0 done or spec saved; 1 run stopped or an audit that ended below its target;
 * 3 unchecked (nothing checked part of the change: issue 70); 130 interrupted.
 */
export function exitCodeFor(summary: RunSummary): number {
  switch (summary.status) {
    case 'unchecked':
      return 3;
    case 'completed':
      return summary.audit && !summary.audit.targetReached ? 1 : 0;
    case 'spec-saved':
      return 0;
    case 'cancelled':
      return 130;
    case 'stopped':
      return 1;
  }
}

/**
 * Broken project files (file:line errors) and bad usage exit 2. The engine's own errors
 * carry `code` (E_CONFIG: no key, unknown model price…; E_USAGE: unknown spec or run…;
 * E_DECLINED: a spec with work no layer owns approved without --yes).
 */
export function isConfigurationError(error: unknown): boolean {
  if (error instanceof ProjectFileError || error instanceof JournalCorruptError) return true;
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === 'E_CONFIG' || code === 'E_USAGE' || code === 'E_DECLINED';
}

export function printSummary(summary: RunSummary, json: boolean): void {
  if (json) {
    // docs/cli.md's fields first, then cost by agent and the stop report (RunSummary, api.ts).
    const {
      runId,
      status,
      specPath,
      phases,
      usage,
      costUsd,
      costByAgent,
      requests,
      unpricedRequests,
      byAgent,
      byProvider,
      filesChanged,
      retries,
      reviewRounds,
      error,
      report,
      audit,
    } = summary;
    const fields = {
      runId,
      status,
      specPath,
      phases,
      usage,
      costUsd,
      filesChanged,
      retries,
      reviewRounds,
      ...(error ? { error } : {}),
      ...(summary.unchecked ? { unchecked: summary.unchecked } : {}),
      ...(summary.uncheckedAccepted ? { uncheckedAccepted: true } : {}),
      ...(summary.sandbox ? { sandbox: summary.sandbox } : {}),
      costByAgent,
      requests,
      unpricedRequests,
      byAgent,
      byProvider,
      // An audit's figures (seed 001's report): scores[] and findings{} at the top, the rest beside them.
      ...(audit ? auditJson(audit) : {}),
      ...(report ? { report } : {}),
      ...(summary.worktree ? { worktree: summary.worktree } : {}),
    };
    outJson(fields);
    return;
  }
  const lines = [
    `run ${summary.runId}: ${summary.status}`,
    ...(summary.audit ? auditLines(summary.audit) : []),
    summary.specPath ? `spec: ${summary.specPath}` : '',
    `phases: ${summary.phases.map((p) => `${p.name} ${(p.ms / 1000).toFixed(1)}s`).join(', ')}`,
    `tokens: in ${summary.usage.input}, out ${summary.usage.output}, cache read ${summary.usage.cacheRead}, cache write ${summary.usage.cacheWrite}`,
    `cost: $${summary.costUsd.toFixed(4)}${spendList(summary.byProvider ?? {})}`,
    Object.keys(summary.byAgent ?? {}).length
      ? `by agent: ${Object.entries(summary.byAgent)
          .map(([a, s]) => `${a} ${spendText(s)}`)
          .join(', ')}`
      : '',
    summary.filesChanged.length ? `files changed: ${summary.filesChanged.join(', ')}` : '',
    Object.keys(summary.retries).length
      ? `retries: ${Object.entries(summary.retries)
          .map(([l, n]) => `${l} ${n}`)
          .join(', ')}`
      : '',
    `review rounds: ${summary.reviewRounds}`,
    // The catalogue's words for it, as the run's progress said them (issue 70).
    summary.unchecked
      ? visibleLine(
          wordsOf({ type: 'run.unchecked', layers: summary.unchecked, accepted: summary.uncheckedAccepted === true })
            .text,
        )
      : '',
    summary.error ? `error: ${summary.error}` : '',
    summary.worktree && summary.status === 'completed'
      ? `worktree: ${summary.worktree}\n  waiting for you: orchestrator apply ${summary.runId} | apply ${summary.runId} --branch | discard ${summary.runId}`
      : summary.worktree
        ? `worktree: ${summary.worktree}`
        : '',
    summary.sandbox === 'off'
      ? 'sandbox: off (agents and commands ran unconfined; sandbox: off in .claude/orchestrator.yaml)'
      : '',
  ].filter(Boolean);
  out(`${lines.join('\n')}\n`);
  if (summary.report) out(`\n${summary.report}\n`);
}

/** `reason`: why the loop ended (`target`, `no-improvement`, `max-iterations`, `budget`, `stopped`). */
function auditJson(audit: AuditSummary): Record<string, unknown> {
  const { scores, findings, ...rest } = audit;
  return {
    scores,
    findings,
    targetReached: audit.targetReached,
    ...(audit.reason ? { reason: audit.reason } : {}),
    audit: rest,
  };
}

function auditLines(a: AuditSummary): string[] {
  const sev = (counts: SeverityCounts) => `P0 ${counts.P0} · P1 ${counts.P1} · P2 ${counts.P2} · P3 ${counts.P3}`;
  return [
    `audit: ${a.target} (${a.dimension}) · score ${a.scores.join(' → ') || 'not scored'} (target ${a.targetScore})${a.reason ? ` · ${a.reason}` : ''}`,
    a.targetReached ? '' : `target not reached${a.reason && a.reason !== 'target' ? ` (${a.reason})` : ''}`,
    `iterations: ${a.iterations.used}/${a.iterations.max} · budget $${a.budgetUsd.toFixed(2)}`,
    `findings: before ${sev(a.findings.before)}; after ${sev(a.findings.after)}`,
    Object.keys(a.costByRole).length
      ? `cost by role: ${Object.entries(a.costByRole)
          .map(([role, usd]) => `${role} $${usd.toFixed(4)}`)
          .join(', ')}`
      : '',
    a.tests?.length
      ? `tests: ${a.tests.map((t) => `${t.command} → ${t.exitCode === 0 ? 'passed' : 'failed'}${t.passed !== undefined ? ` (${t.passed} passed, ${t.failed ?? 0} failed)` : ''}`).join('; ')}`
      : '',
    a.reportPath ? `report: ${a.reportPath}` : '',
  ].filter(Boolean);
}
/** "$0.0123", "12 requests (no price)", or both when an agent mixed priced and unpriced calls. */
function spendText(spend: ModelSpend): string {
  const priced = spend.requests - spend.unpricedRequests;
  const unpriced =
    spend.unpricedRequests > 0
      ? `${spend.unpricedRequests} request${spend.unpricedRequests === 1 ? '' : 's'} (no price)`
      : '';
  return [priced > 0 || !unpriced ? `$${spend.costUsd.toFixed(4)}` : '', unpriced].filter(Boolean).join(' + ');
}

/**
 * Per provider. A CLI runner (its name is the provider of its replies) whose replies had no price
 * is "not metered" (issue 27): bounded by its turns and wall-clock limit, not by dollars.
 */
export const spendList = (byProvider: Record<string, ModelSpend>): string => {
  const entries = Object.entries(byProvider);
  const text = (provider: string, spend: ModelSpend): string => {
    if (!isCliRunner(provider) || spend.unpricedRequests === 0) return spendText(spend);
    const priced = spend.requests - spend.unpricedRequests;
    return `${priced > 0 ? `$${spend.costUsd.toFixed(4)} + ` : ''}not metered (${spend.unpricedRequests} repl${spend.unpricedRequests === 1 ? 'y' : 'ies'})`;
  };
  return entries.length > 0 ? ` (${entries.map(([p, s]) => `${p} ${text(p, s)}`).join(', ')})` : '';
};

export function printTable<T extends object>(json: boolean, rows: T[], columns: (keyof T & string)[]): void {
  if (json) {
    outJson(rows);
    return;
  }
  if (rows.length === 0) {
    out('(none)\n');
    return;
  }
  // Cells are single lines: a newline or tab in a title must not forge a row.
  const cell = (row: T, column: keyof T & string) => visibleLine(String(row[column] ?? ''));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => Math.min(cell(r, c).length, 60))));
  // The last column is never cut: it holds the request or why a journal is unreadable.
  const format = (values: string[]) =>
    values
      .map((v, i) => (i === values.length - 1 ? v : v.slice(0, 60).padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  out(`${format(columns)}\n`);
  for (const row of rows) out(`${format(columns.map((c) => cell(row, c)))}\n`);
}

/** `specs`: the table, then each spec's work that no layer owns, line by line (shown before approval). */
export function printSpecs(json: boolean, specs: SpecInfo[]): void {
  if (json) {
    outJson(specs);
    return;
  }
  const rows = specs.map((spec) => ({
    ...spec,
    unowned: spec.unowned?.length ? `${spec.unowned.length} unowned` : '',
  }));
  printTable(false, rows, [
    'id',
    'kind',
    'status',
    'title',
    ...(rows.some((r) => r.unowned) ? (['unowned'] as const) : []),
  ]);
  for (const spec of specs) {
    if (!spec.unowned?.length) continue;
    const items = spec.unowned.map((item) => `  ${spec.path}:${item.line}: ${item.kind} "${item.text}"`);
    out(
      `\n${spec.id}: work no configured layer owns (approving asks first; the CLI needs --yes):\n${items.join('\n')}\n`,
    );
  }
  // The table cuts long ids; these are the folders `approve` takes, whole.
  const runnable = specs.filter((spec) => spec.mustard && !spec.mustard.refusal);
  if (runnable.length > 0)
    out(
      `\nMustard spec folders not finished (implement one with: orchestrator approve <folder>):\n${runnable.map((spec) => `  ${visibleLine(spec.id)}`).join('\n')}\n`,
    );
  const foreign = specs.filter((spec) => spec.foreign);
  if (foreign.length > 0)
    out(
      `\nKiro and Spec Kit folders not imported yet (approve imports one and implements it):\n${foreign.flatMap(foreignLines).join('\n')}\n`,
    );
}

/** Warnings shown per folder; the rest are in `specs --json`. */
const FOLDER_WARNINGS = 3;

/** A folder whole (the table cuts long ids), its counts, its next step, and what could not be read. */
function foreignLines(spec: SpecInfo): string[] {
  const f = spec.foreign!;
  const counts = [
    f.requirements !== undefined ? `${f.requirements} requirement${f.requirements === 1 ? '' : 's'}` : '',
    f.tasks !== undefined
      ? `${f.tasks} task${f.tasks === 1 ? '' : 's'}${f.doneTasks ? ` (${f.doneTasks} done)` : ''}`
      : '',
    f.counted === false ? 'not counted (past what one listing reads; approve reads it whole)' : '',
  ].filter(Boolean);
  const shown = f.warnings.slice(0, FOLDER_WARNINGS).map((w) => `      warning: ${visibleLine(w)}`);
  const more =
    f.warnings.length > FOLDER_WARNINGS
      ? [`      … ${f.warnings.length - FOLDER_WARNINGS} more warning(s): specs --json`]
      : [];
  return [
    `  ${visibleLine(spec.id)}  ${visibleLine(spec.status)}${counts.length ? ` · ${counts.join(', ')}` : ''}`,
    `      next: ${visibleLine(f.next)}`,
    ...shown,
    ...more,
  ];
}

/** `trace`: JSON with --json; else what was written, or the Markdown table when nothing was. */
export function printTrace(
  { matrix, markdown }: TraceReport,
  args: { json: boolean; xlsx?: string; md?: string },
): void {
  if (args.json) {
    outJson(matrix);
    return;
  }
  if (args.xlsx) out(`wrote ${args.xlsx} (sheet Traceability, ${matrix.rows.length} rows)\n`);
  if (args.md) out(`wrote ${args.md}\n`);
  if (!args.xlsx && !args.md) out(markdown);
  if (matrix.requirementsWithoutFile.length > 0)
    err(`requirements with no implementing file: ${matrix.requirementsWithoutFile.join(', ')}\n`);
  if (matrix.notLinked.length > 0)
    err(`not linked in the source (no task cites them; judged by the review): ${matrix.notLinked.join(', ')}\n`);
  if (matrix.criteriaWithoutTest.length > 0) err(`criteria with no test: ${matrix.criteriaWithoutTest.join(', ')}\n`);
  // A proof that fails or proves nothing is said like the gaps above; all proven or none written is the matrix's own line.
  const proofs = matrix.rows.map((row) => (row.proof ?? UNPROVEN).status);
  if (proofs.some((status) => status === 'failing' || status === 'broken' || status === 'vacuous'))
    err(`${proofLine(proofs).replace(/^Proof/, 'proof')}\n`);
}
