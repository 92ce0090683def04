/**
 * The audit-to-target loop of seed 001:
 *
 *   DISCOVERY → AUDIT → [ CLOSE GAPS n → ENHANCE n → TEST n → RE-AUDIT n ] until the target,
 *   `maxIterations`, two iterations without improvement, or the budget.
 *
 * On the same engine as the feature pipeline: every phase is journaled and skipped once done,
 * so a killed run resumes at its iteration and phase; fixes go through the owning layers'
 * validation and retries; changes wait for the checkpoint (taken while the baseline audit,
 * which only reads, runs); confirmations are asked in code. However the loop ends, its
 * report is written to `.claude/runs/{runId}/report.md`.
 */
import { budgetStop } from '../agent';
import { checkpointThen } from '../phases';
import { inPhase, type PipelineOutcome, type RunContext, untrustedStopped } from '../kernel';
import { RunStop } from '../../errors';
import { iterationsDone, readAuditFacts, scoresOf } from './auditFacts';
import { auditPhase } from './auditPhase';
import { writeAuditReport } from './auditReport';
import { closeGapsPhase } from './closeGapsPhase';
import { discoveryPhase } from './discoveryPhase';
import { enhancePhase } from './enhancePhase';
import { AUDIT_PHASES as P, iterationPhase } from './phaseNames';
import { loopEnd } from './stopRule';
import { testPhase } from './testPhase';
import type { AuditSettings } from '../../auditTypes';

export async function auditPipeline(ctx: RunContext, settings: AuditSettings): Promise<PipelineOutcome> {
  // Journaled at the start, and again when a resume raised the budget.
  const known = readAuditFacts(ctx.events).settings;
  if (known?.maxBudgetUsd !== settings.maxBudgetUsd) ctx.emit({ type: 'audit.started', settings });
  requireTrust(ctx);
  try {
    await inPhase(ctx, P.discovery, () => discoveryPhase(ctx, settings));
    await checkpointThen(ctx, P.audit, () => auditPhase(ctx, settings, 0));
    for (;;) {
      const facts = readAuditFacts(ctx.events);
      const end = loopEnd(scoresOf(facts), settings);
      if (end) {
        await writeAuditReport(ctx, end);
        return 'completed';
      }
      const n = iterationsDone(facts) + 1;
      if (!ctx.budget.canStart()) throw budgetStop(ctx, `the audit loop, before iteration ${n}`);
      await inPhase(ctx, iterationPhase(P.closeGaps, n), () => closeGapsPhase(ctx, settings, n));
      await inPhase(ctx, iterationPhase(P.enhance, n), () => enhancePhase(ctx, settings, n));
      await inPhase(ctx, iterationPhase(P.test, n), () => testPhase(ctx, n));
      await inPhase(ctx, iterationPhase(P.reaudit, n), () => auditPhase(ctx, settings, n));
    }
  } catch (error) {
    if (!(error instanceof RunStop)) throw error;
    // A stopped audit still ends with its report (the seed's partial report); resume continues it.
    const budget = error.reason === 'budget';
    const report = await writeAuditReport(
      ctx,
      budget ? 'budget' : 'stopped',
      budget ? budgetAction(ctx) : error.report,
    ).catch((failure: unknown) => {
      ctx.warn(
        `the audit report could not be written: ${failure instanceof Error ? failure.message : String(failure)}`,
      );
      return error.report;
    });
    throw new RunStop(error.reason, error.message, report);
  }
}

/** The audit's budget is fixed when it starts: raising it means resuming with a new one. */
function budgetAction(ctx: RunContext): string {
  return [
    '## Pipeline stopped: budget reached',
    `- Spent: $${ctx.budget.spentUsd.toFixed(2)} of $${ctx.budget.limitUsd.toFixed(2)}`,
    '### Action needed',
    'Continue with a larger budget: `orchestrator resume --max-budget <USD>` (in VS Code: set Orchestrator › Limits: Max Budget Usd, then Resume Run); the finished iterations are not audited again.',
  ].join('\n');
}

/** The loop validates fixes and runs tests with the workspace's commands: refuse before any model call. */
function requireTrust(ctx: RunContext): void {
  const commands =
    Object.values(ctx.config.layers).some((layer) => layer.validate.length > 0) || ctx.config.audit.test.length > 0;
  if (commands && !ctx.host.isTrusted()) throw untrustedStopped('the audit loop (validation and audit.test commands)');
}
