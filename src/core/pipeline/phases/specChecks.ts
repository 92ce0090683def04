/**
 * Every reason `submit_spec` is refused, each its own check (one function, one file), so new
 * rules compose: the spec agent gets all the reasons at once in one is_error result.
 */
import type { FinalCheck, SpecReport } from '../../agents';
import type { RunContext } from '../kernel';
import { unownedWorkCheck } from './specOwnership';
import { traceabilityCheck } from './specTraceability';

export function specChecks(ctx: RunContext): FinalCheck<SpecReport> {
  const checks: FinalCheck<SpecReport>[] = [unownedWorkCheck(ctx.config), traceabilityCheck(ctx.config)];
  return (report) => {
    const reasons = checks.map((check) => check(report)).filter((reason): reason is string => reason !== undefined);
    return reasons.length > 0 ? reasons.join('\n\n') : undefined;
  };
}
