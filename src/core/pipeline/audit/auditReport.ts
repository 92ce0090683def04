/**
 * The seed's closing report: initial → final score, iterations used of the cap, cost of the
 * budget, duration, findings per severity before → after, files and lines changed, the key
 * actions, the tests, the cost per role and the confirmations asked. Written to
 * `.claude/runs/{runId}/report.md` (and journaled as `audit.report`) whenever the loop ends,
 * stopped runs included.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { lineStats } from '../../git';
import { filesChanged, runDir, RUNS_DIR } from '../../journal';
import type { RunContext } from '../kernel';
import { findingsById, readAuditFacts, type AuditFacts } from './auditFacts';
import { describeTests } from './auditPrompts';
import { auditSummaryOf } from './auditSummary';
import { SEVERITIES, SEVERITY_NAMES, type AuditStopReason, type AuditSummary } from '../../auditTypes';

export const REPORT_FILE = 'report.md';

/** Every way but the target ends below it, and says so first (CI reads the exit code, people read this). */
const OUTCOMES: Record<AuditStopReason, string> = {
  target: 'Target reached',
  'max-iterations': 'Target not reached: iteration cap reached',
  'no-improvement': 'Target not reached: two iterations without improvement',
  budget: 'Target not reached: budget reached',
  stopped: 'Target not reached: the run stopped',
};

/** Cents, or tenths of a cent below one cent (a cheap role's cost is still worth seeing). */
const usd = (n: number): string => `$${n.toFixed(n > 0 && n < 0.01 ? 4 : 2)}`;
const pct = (part: number, whole: number): string => (whole > 0 ? `${Math.round((100 * part) / whole)}%` : '—');
const signed = (n: number): string => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '±0');

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60
    ? `${s}s`
    : s < 3600
      ? `${Math.floor(s / 60)}m ${s % 60}s`
      : `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

export interface ReportInput {
  summary: AuditSummary;
  facts: AuditFacts;
  reason: AuditStopReason;
  costUsd: number;
  filesChanged: string[];
  /** The stop report of a run that stopped (validation, agent…), quoted at the end. */
  stopDetail?: string;
}

/** Several dimensions at once: each one's scores; the audit's score is the lowest of them. */
function dimensionTable(s: AuditSummary): string[] {
  if (!s.dimensionScores) return [];
  const names = Object.keys(s.dimensionScores);
  return [
    '### By dimension (the score above is the lowest; the target holds when every dimension reaches it)',
    '',
    `| Audit | ${names.join(' | ')} |`,
    `|---|${names.map(() => '---|').join('')}`,
    ...s.scores.map(
      (_, i) =>
        `| ${i === 0 ? 'baseline' : `after iteration ${i}`} | ${names.map((n) => `${s.dimensionScores![n]![i] ?? ''}${(s.dimensionScores![n]![i] ?? 0) >= s.targetScore ? ' ✅' : ''}`).join(' | ')} |`,
    ),
    '',
  ];
}

export function renderAuditReport(input: ReportInput): string {
  const { summary: s, facts, reason } = input;
  const first = s.scores[0];
  const last = s.scores.at(-1);
  const scoreLine =
    first === undefined || last === undefined
      ? 'not scored'
      : `${first}/100 → ${last}/100 (${signed(Math.round((last - first) * 10) / 10)}), target ${s.targetScore}`;
  const lines = [
    `# Audit report — ${s.target === '.' ? 'workspace' : s.target} (${s.dimension})`,
    '',
    `**${OUTCOMES[reason]}**${last !== undefined ? ` · score ${last}/100` : ''}`,
    '',
    '| | |',
    '|---|---|',
    `| Score | ${scoreLine} |`,
    `| Iterations | ${s.iterations.used}/${s.iterations.max} (${pct(s.iterations.used, s.iterations.max)} used) |`,
    `| Cost | ${usd(input.costUsd)}/${usd(s.budgetUsd)} (${pct(input.costUsd, s.budgetUsd)} of the budget) |`,
    `| Duration | ${formatDuration(s.durationMs)} |`,
    '',
    '## Scores',
    '',
    '| Audit | Score | Change |',
    '|---|---|---|',
    ...s.scores.map(
      (score, i) =>
        `| ${i === 0 ? 'baseline' : `after iteration ${i}`} | ${score} | ${i === 0 ? '' : signed(Math.round((score - s.scores[i - 1]!) * 10) / 10)} |`,
    ),
    '',
    ...dimensionTable(s),
    '## Findings',
    '',
    '| Severity | Before | After | Worked on |',
    '|---|---|---|---|',
    ...SEVERITIES.map(
      (sev) =>
        `| ${sev} (${SEVERITY_NAMES[sev]}) | ${s.findings.before[sev]} | ${s.findings.after[sev]}${s.findings.after[sev] === 0 ? ' ✅' : ''} | ${s.findings.worked[sev]} |`,
    ),
    '',
    '## Changes',
    '',
    `- Files changed: ${input.filesChanged.length}`,
    s.linesAdded !== undefined && s.linesRemoved !== undefined
      ? `- Lines: +${s.linesAdded} / −${s.linesRemoved} (net ${signed(s.linesAdded - s.linesRemoved)})`
      : '- Lines: not counted (no git checkpoint)',
    ...input.filesChanged.slice(0, 50).map((f) => `  - ${f}`),
    ...(input.filesChanged.length > 50 ? [`  - … and ${input.filesChanged.length - 50} more`] : []),
    '',
    '## Key actions',
    '',
    ...keyActions(facts),
    '',
    '## Tests',
    '',
    s.tests?.length ? describeTests(s.tests) : '- No `audit.test` commands ran.',
    '',
    '## Cost by role',
    '',
    ...(Object.keys(s.costByRole).length > 0
      ? Object.entries(s.costByRole).map(([role, cost]) => `- ${role}: ${usd(cost)}`)
      : ['- (no model calls)']),
  ];
  if (facts.confirmations.length > 0) {
    lines.push(
      '',
      '## Confirmations asked',
      '',
      ...facts.confirmations.map((c) => `- ${c.question} → **${c.answer ? 'yes' : 'no'}**`),
    );
  }
  if (s.findings.open.length > 0) {
    lines.push(
      '',
      '## Open findings',
      '',
      ...s.findings.open.map(
        (f) =>
          `- **${f.severity}** ${f.id} ${f.file ? `\`${f.file}${f.line ? `:${f.line}` : ''}\` ` : ''}— ${f.description} _Recommendation:_ ${f.recommendation}`,
      ),
    );
  }
  if (input.stopDetail) lines.push('', input.stopDetail.trim());
  return `${lines.join('\n')}\n`;
}

/** Each finished fix job: what it took and what its agent said it did. */
function keyActions(facts: AuditFacts): string[] {
  const byId = findingsById(facts);
  const actions = [...facts.jobs.values()]
    .filter((job) => job.ended)
    .map((job, i) => {
      const took = job.findings.map((id) => {
        const f = byId.get(id);
        return f ? `${f.severity} ${id}${f.file ? ` (${f.file}${f.line ? `:${f.line}` : ''})` : ''}` : id;
      });
      const verb = job.ended?.outcome === 'blocked' ? 'could not close' : 'worked on';
      return `${i + 1}. Iteration ${job.iteration}, ${job.layer} (${job.role}) ${verb} ${took.join(', ')}: ${job.ended?.summary ?? ''}`;
    });
  const skipped = facts.skipped.map((s) => `- Left for a human: ${s.findings.join(', ')} — ${s.reason}`);
  return actions.length + skipped.length > 0 ? [...actions, ...skipped] : ['- None.'];
}

/** Counts the lines, writes report.md, journals `audit.report`; returns the markdown. */
export async function writeAuditReport(ctx: RunContext, reason: AuditStopReason, stopDetail?: string): Promise<string> {
  const state = ctx.state();
  const changed = filesChanged(state);
  const lines = state.checkpoint
    ? await lineStats(ctx.workspace, state.checkpoint.ref, changed).catch(() => undefined)
    : undefined;
  const path = [...RUNS_DIR.split(/[\\/]/), ctx.runId, REPORT_FILE].join('/');
  ctx.emit({
    type: 'audit.report',
    reason,
    path,
    ...(lines ? { linesAdded: lines.added, linesRemoved: lines.removed } : {}),
  });
  const facts = readAuditFacts(ctx.events);
  const summary = auditSummaryOf(ctx.events, facts);
  if (!summary) throw new Error(`run ${ctx.runId} is not an audit`);
  const markdown = renderAuditReport({
    summary,
    facts,
    reason,
    costUsd: ctx.state().costUsd,
    filesChanged: changed,
    ...(stopDetail ? { stopDetail } : {}),
  });
  await writeFile(join(runDir(ctx.home, ctx.runId), REPORT_FILE), markdown);
  return markdown;
}
