/**
 * CLOSE GAPS: the latest audit's P0 findings first, then its P1 findings, each round sent to
 * the layers owning the files and validated as in IMPLEMENT (findingJobs.ts).
 */
import type { RunContext } from '../run/runContext';
import { readAuditFacts, scoresOf } from './auditFacts';
import { runFixRound } from './findingJobs';
import { strategyNote } from './stopRule';
import type { AuditSettings } from './types';

export async function closeGapsPhase(ctx: RunContext, settings: AuditSettings, iteration: number, phase: string): Promise<void> {
  const facts = readAuditFacts(ctx.events);
  const audit = facts.audits.find((a) => a.iteration === iteration - 1);
  const strategy = strategyNote(scoresOf(facts));
  const tests = facts.tests.get(iteration - 1);
  for (const severity of ['P0', 'P1'] as const) {
    const findings = audit?.findings.filter((f) => f.severity === severity) ?? [];
    await runFixRound(ctx, settings, { iteration, phase, severities: severity, findings, work: 'fix', ...(tests ? { tests } : {}), ...(strategy ? { strategy } : {}) });
  }
}
