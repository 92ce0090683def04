/**
 * Folds the audit loop's events into the run's audit view: scores per iteration, open
 * findings, the fix jobs and what they did, confirmations, tests, cost per role, the report.
 * Pure, and tolerant of journals from other versions, as the run reducer is.
 */
import type { EngineEvent } from '../../core/events';
import type { AuditActionView, AuditView, RunView } from '../../shared/viewState';

const iterationOf = (phase: string): number | undefined => {
  const n = /^(?:CLOSE GAPS|ENHANCE|TEST|RE-AUDIT) (\d+)$/.exec(phase)?.[1];
  return n === undefined ? undefined : Number(n);
};

const scoreText = (iteration: number, score: number, findings: number): string =>
  `Score ${score}/100 (${iteration === 0 ? 'baseline' : `after iteration ${iteration}`}), ${findings} open findings`;

function patchAction(audit: AuditView, job: string, patch: (a: AuditActionView) => AuditActionView): AuditView {
  return { ...audit, actions: audit.actions.map((a) => (a.job === job ? patch(a) : a)) };
}

/** The audit view after `event`, and the activity line it is worth (if any). */
export function applyAuditEvent(run: RunView, event: EngineEvent): { run: RunView; line?: string } {
  if (event.type === 'audit.started') {
    const s = event.settings;
    const audit: AuditView = run.audit
      ? { ...run.audit, budgetUsd: s.maxBudgetUsd }
      : {
        target: s.target,
        dimension: s.dimension,
        targetScore: s.targetScore,
        minAcceptableScore: s.minAcceptableScore,
        maxIterations: s.maxIterations,
        budgetUsd: s.maxBudgetUsd,
        iteration: 0,
        scores: [],
        findings: [],
        actions: [],
        confirmations: [],
        costByRole: {},
        agentRoles: {},
      };
    return { run: { ...run, audit }, line: run.audit ? `Budget now $${s.maxBudgetUsd.toFixed(2)}` : `Audit of ${s.target} (${s.dimension}) to ${s.targetScore}/100` };
  }
  const audit = run.audit;
  if (!audit) return { run };
  const next = (changed: AuditView, line?: string) => ({ run: { ...run, audit: changed }, ...(line ? { line } : {}) });
  switch (event.type) {
    case 'phase.started': {
      const iteration = iterationOf(event.phase);
      return iteration === undefined || iteration === audit.iteration ? { run } : next({ ...audit, iteration });
    }
    case 'audit.discovered': {
      const d = event.discovery;
      return { run, line: `Discovery: ${d.files} files, ${d.loc} lines of code, ${d.dependencies.length} dependencies` };
    }
    case 'audit.scored': {
      const scores = [...audit.scores.slice(0, event.iteration), event.score];
      return next({ ...audit, scores, findings: event.findings.map((f) => ({ ...f })) }, scoreText(event.iteration, event.score, event.findings.length));
    }
    case 'audit.job.started': {
      const action: AuditActionView = { job: event.job, iteration: event.iteration, layer: event.layer, role: event.role, state: 'running', findings: [...event.findings] };
      return next({ ...audit, actions: [...audit.actions.filter((a) => a.job !== event.job), action], agentRoles: { ...audit.agentRoles, [event.layer]: event.role } });
    }
    case 'audit.job.ended':
      return next(patchAction(audit, event.job, (a) => ({ ...a, state: event.outcome, summary: event.summary })));
    case 'audit.skipped': {
      const action: AuditActionView = { job: `${event.phase}/skipped/${event.findings.join(',')}`, iteration: event.iteration, layer: '—', role: 'human', state: 'skipped', findings: [...event.findings], summary: event.reason };
      return next({ ...audit, actions: [...audit.actions, action] }, `Left for a human: ${event.findings.join(', ')} (${event.reason})`);
    }
    case 'audit.tested':
      return next({ ...audit, tests: event.runs.map((r) => ({ ...r })) });
    case 'audit.report':
      return next({ ...audit, reason: event.reason, reportPath: event.path, report: undefined }, `Report: ${event.path}`);
    case 'agent.started':
      return event.mode === 'audit' ? next({ ...audit, agentRoles: { ...audit.agentRoles, [event.agent]: 'audit' } }) : { run };
    case 'llm.usage': {
      const role = audit.agentRoles[event.agent];
      return role ? next({ ...audit, costByRole: { ...audit.costByRole, [role]: (audit.costByRole[role] ?? 0) + event.costUsd } }) : { run };
    }
    case 'confirmation':
      return next({ ...audit, confirmations: [...audit.confirmations, { question: event.question, answer: event.answer, ...(event.kind ? { kind: event.kind } : {}) }] });
    default:
      return { run };
  }
}
