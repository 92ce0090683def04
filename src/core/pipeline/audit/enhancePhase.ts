/**
 * ENHANCE: the latest audit's P2 and P3 findings, once the score is at least
 * `audit.minAcceptableScore` (below it, closing gaps comes first).
 */
import type { RunContext } from '../run/runContext';
import { readAuditFacts, scoresOf } from './auditFacts';
import { runFixRound } from './findingJobs';
import { strategyNote } from './stopRule';
import type { AuditSettings } from './types';

export async function enhancePhase(ctx: RunContext, settings: AuditSettings, iteration: number, phase: string): Promise<void> {
  const facts = readAuditFacts(ctx.events);
  const audit = facts.audits.find((a) => a.iteration === iteration - 1);
  if (!audit) return;
  if (audit.score < settings.minAcceptableScore) {
    ctx.emit({ type: 'log', level: 'info', message: `${phase} skipped: the score ${audit.score} is below audit.minAcceptableScore (${settings.minAcceptableScore}); gaps come first` });
    return;
  }
  const findings = audit.findings.filter((f) => f.severity === 'P2' || f.severity === 'P3');
  const tests = facts.tests.get(iteration - 1);
  const strategy = strategyNote(scoresOf(facts));
  await runFixRound(ctx, settings, { iteration, phase, severities: 'P2, P3', findings, work: 'enhance', ...(tests ? { tests } : {}), ...(strategy ? { strategy } : {}) });
}
