/**
 * CLOSE GAPS: the latest audit's P0 findings first, then its P1 findings, each round sent to
 * the layers owning the files and validated as in IMPLEMENT (findingJobs.ts).
 */
import type { RunContext } from '../kernel';
import { roundInputs, runFixRound } from './findingJobs';
import { AUDIT_PHASES, iterationPhase } from './phaseNames';
import type { AuditSettings } from '../../auditTypes';

export async function closeGapsPhase(ctx: RunContext, settings: AuditSettings, iteration: number): Promise<void> {
  const phase = iterationPhase(AUDIT_PHASES.closeGaps, iteration);
  const { audit, extra } = roundInputs(ctx, iteration);
  for (const severity of ['P0', 'P1'] as const) {
    const findings = audit?.findings.filter((f) => f.severity === severity) ?? [];
    await runFixRound(ctx, settings, { iteration, phase, severities: severity, findings, work: 'fix', ...extra });
  }
}
