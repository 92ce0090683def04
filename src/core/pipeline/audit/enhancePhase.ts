/**
 * ENHANCE: the latest audit's P2 and P3 findings, once the score is at least
 * `audit.minAcceptableScore` (below it, closing gaps comes first).
 */
import type { RunContext } from '../kernel';
import { roundInputs, runFixRound } from './findingJobs';
import { AUDIT_PHASES, iterationPhase } from './phaseNames';
import type { AuditSettings } from '../../auditTypes';

export async function enhancePhase(ctx: RunContext, settings: AuditSettings, iteration: number): Promise<void> {
  const phase = iterationPhase(AUDIT_PHASES.enhance, iteration);
  const { audit, extra } = roundInputs(ctx, iteration);
  if (!audit) return;
  if (audit.score < settings.minAcceptableScore) {
    ctx.emit({
      type: 'log',
      level: 'info',
      message: `${phase} skipped: the score ${audit.score} is below audit.minAcceptableScore (${settings.minAcceptableScore}); gaps come first`,
    });
    return;
  }
  const findings = audit.findings.filter((f) => f.severity === 'P2' || f.severity === 'P3');
  await runFixRound(ctx, settings, { iteration, phase, severities: 'P2, P3', findings, work: 'enhance', ...extra });
}
