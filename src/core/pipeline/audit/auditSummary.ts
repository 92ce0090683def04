/**
 * The audit's summary (the run summary's `audit`: `--json`'s scores[] and findings{}, the
 * sidebar, the report), rebuilt from the journal alone.
 */
import type { StateEvent } from '../../journal';
import { findingsById, iterationsDone, readAuditFacts, scoresOf, type AuditFacts } from './auditFacts';
import type { AuditSummary, Finding, SeverityCounts } from '../../auditTypes';

export function countBySeverity(findings: readonly Finding[] | undefined): SeverityCounts {
  const counts: SeverityCounts = { P0: 0, P1: 0, P2: 0, P3: 0 };
  for (const finding of findings ?? []) counts[finding.severity]++;
  return counts;
}

/** undefined for a run that is not an audit. */
export function auditSummaryOf(
  events: readonly StateEvent[],
  facts: AuditFacts = readAuditFacts(events),
): AuditSummary | undefined {
  const settings = facts.settings;
  if (!settings) return undefined;
  const latest = facts.audits.at(-1);
  const byId = findingsById(facts);
  const worked = new Map<string, Finding>();
  for (const job of facts.jobs.values()) {
    if (job.ended?.outcome !== 'done') continue;
    for (const id of job.findings) {
      const finding = byId.get(id);
      if (finding) worked.set(id, finding);
    }
  }
  const lastTests = [...facts.tests.entries()].sort(([a], [b]) => a - b).at(-1)?.[1];
  const report = facts.report;
  const scores = scoresOf(facts);
  const latestScore = scores.at(-1);
  return {
    target: settings.target,
    dimension: settings.dimension,
    targetScore: settings.targetScore,
    scores,
    ...(settings.dimensions
      ? {
          dimensionScores: Object.fromEntries(
            settings.dimensions.map((d) => [d.name, facts.audits.map((a) => a.dimensions?.[d.name] ?? a.score)]),
          ),
        }
      : {}),
    iterations: { used: iterationsDone(facts), max: settings.maxIterations },
    ...(report ? { reason: report.reason } : {}),
    targetReached: latestScore !== undefined && latestScore >= settings.targetScore,
    findings: {
      before: countBySeverity(facts.audits[0]?.findings),
      after: countBySeverity(latest?.findings),
      worked: countBySeverity([...worked.values()]),
      open: latest?.findings ?? [],
    },
    costByRole: Object.fromEntries(
      Object.entries(facts.costByRole).map(([role, usd]) => [role, Math.round(usd * 1e8) / 1e8]),
    ),
    budgetUsd: settings.maxBudgetUsd,
    durationMs: activeMs(events),
    ...(report?.linesAdded !== undefined ? { linesAdded: report.linesAdded } : {}),
    ...(report?.linesRemoved !== undefined ? { linesRemoved: report.linesRemoved } : {}),
    ...(lastTests ? { tests: lastTests } : {}),
    ...(report ? { reportPath: report.path } : {}),
  };
}

/** Time the run ran: each session from its run.started to its last event (pauses between sessions not counted). */
export function activeMs(events: readonly StateEvent[]): number {
  let total = 0;
  let start: number | undefined;
  let last: number | undefined;
  const close = () => {
    if (start !== undefined && last !== undefined) total += Math.max(0, last - start);
  };
  for (const event of events) {
    const at = event.ts ? Date.parse(event.ts) : Number.NaN;
    if (Number.isNaN(at)) continue;
    if (event.type === 'run.started') {
      close();
      start = at;
    }
    last = at;
  }
  close();
  return total;
}
