/**
 * Folds what the audit loop's events mean (the catalogue's facets) into the run's audit view:
 * scores per iteration, open findings, the fix jobs and what they did, confirmations, tests, cost
 * per role, the report. Pure, and tolerant of journals from other versions, as the run reducer is.
 */
import type { AuditSettings } from '../../core/auditTypes';
import type { Meaning } from '../../core/catalogue';
import type { AuditActionView, AuditView, RunView } from '../../shared/viewState';

const iterationOf = (phase: string): number | undefined => {
  const n = /^(?:CLOSE GAPS|ENHANCE|TEST|RE-AUDIT) (\d+)$/.exec(phase)?.[1];
  return n === undefined ? undefined : Number(n);
};

function patchAction(audit: AuditView, job: string, patch: (a: AuditActionView) => AuditActionView): AuditView {
  return { ...audit, actions: audit.actions.map((a) => (a.job === job ? patch(a) : a)) };
}

/** The run's audit view after an event meaning `meaning`: an audit's start makes one; without one, nothing changes. */
export function applyAuditMeaning(run: RunView, meaning: Meaning): RunView {
  let audit = meaning.auditStarted ? started(run.audit, meaning.auditStarted) : run.audit;
  if (!audit) return run;
  for (const facet of Object.keys(meaning) as (keyof Meaning)[]) {
    const change = facet === 'auditStarted' ? undefined : AUDIT[facet];
    const value = meaning[facet];
    if (change && value !== undefined) audit = (change as (a: AuditView, v: typeof value) => AuditView)(audit, value);
  }
  return audit === run.audit ? run : { ...run, audit };
}

/** The audit's settings: a new view, or its budget changed (the user raised it). */
function started(audit: AuditView | undefined, s: AuditSettings): AuditView {
  if (audit) return { ...audit, budgetUsd: s.maxBudgetUsd };
  return {
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
}

/** What the facets an audit shows do to its view; the others leave it as it is. */
const AUDIT: {
  [F in Exclude<keyof Meaning, 'auditStarted'>]?: (audit: AuditView, facet: NonNullable<Meaning[F]>) => AuditView;
} = {
  phase: (audit, phase) => {
    const iteration = phase.ms === undefined ? iterationOf(phase.name) : undefined;
    return iteration === undefined || iteration === audit.iteration ? audit : { ...audit, iteration };
  },
  auditScored: (audit, scored) => ({
    ...audit,
    scores: [...audit.scores.slice(0, scored.iteration), scored.score],
    findings: scored.findings.map((f) => ({ ...f })),
  }),
  auditJobStarted: (audit, job) => {
    const action: AuditActionView = {
      job: job.job,
      iteration: job.iteration,
      layer: job.layer,
      role: job.role,
      state: 'running',
      findings: [...job.findings],
    };
    return {
      ...audit,
      actions: [...audit.actions.filter((a) => a.job !== job.job), action],
      agentRoles: { ...audit.agentRoles, [job.layer]: job.role },
    };
  },
  auditJobEnded: (audit, ended) =>
    patchAction(audit, ended.job, (a) => ({ ...a, state: ended.outcome, summary: ended.summary })),
  auditSkipped: (audit, skipped) => {
    const action: AuditActionView = {
      job: `${skipped.phase}/skipped/${skipped.findings.join(',')}`,
      iteration: skipped.iteration,
      layer: '—',
      role: 'human',
      state: 'skipped',
      findings: [...skipped.findings],
      summary: skipped.reason,
    };
    return { ...audit, actions: [...audit.actions, action] };
  },
  auditTested: (audit, tested) => ({ ...audit, tests: tested.runs.map((r) => ({ ...r })) }),
  auditReport: (audit, report) => ({ ...audit, reason: report.reason, reportPath: report.path, report: undefined }),
  agentStarted: (audit, agent) =>
    agent.mode === 'audit' ? { ...audit, agentRoles: { ...audit.agentRoles, [agent.agent]: 'audit' } } : audit,
  usage: (audit, call) => {
    const role = audit.agentRoles[call.agent];
    return role
      ? { ...audit, costByRole: { ...audit.costByRole, [role]: (audit.costByRole[role] ?? 0) + call.costUsd } }
      : audit;
  },
  confirmation: (audit, c) => ({
    ...audit,
    confirmations: [
      ...audit.confirmations,
      { question: c.question, answer: c.answer, ...(c.kind ? { kind: c.kind } : {}) },
    ],
  }),
};
