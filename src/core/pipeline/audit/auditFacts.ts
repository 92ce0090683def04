/**
 * The audit loop's state, rebuilt from the journal alone (as the run's state is): what it
 * was asked for, what DISCOVERY found, each iteration's score and findings, the fix jobs and
 * how they ended, the test runs, and the cost per role. Pure.
 */
import { meaningOf, type Meaning } from '../../catalogue';
import type { StateEvent } from '../../journal';
import type { AuditRole, AuditSettings, AuditStopReason, Discovery, Finding, TestRun } from '../../auditTypes';

export interface ScoredAudit {
  iteration: number;
  score: number;
  findings: Finding[];
  dimensions?: Record<string, number>;
}

export interface AuditJob {
  job: string;
  iteration: number;
  phase: string;
  layer: string;
  role: AuditRole;
  findings: string[];
  /** seq of its `audit.job.started`. */
  seq: number;
  /** Its layer's agent started after the job did (a resume continues it rather than start afresh). */
  agentStarted: boolean;
  ended?: { outcome: 'done' | 'blocked'; summary: string };
}

export interface ConfirmationAsked {
  question: string;
  answer: boolean;
  kind?: string;
  agent?: string;
  paths?: string[];
}

export interface AuditFacts {
  settings?: AuditSettings;
  discovery?: Discovery;
  /** By iteration, baseline (0) first. */
  audits: ScoredAudit[];
  jobs: Map<string, AuditJob>;
  skipped: { iteration: number; phase: string; findings: string[]; reason: string }[];
  tests: Map<number, TestRun[]>;
  confirmations: ConfirmationAsked[];
  costByRole: Partial<Record<AuditRole, number>>;
  /** The latest report written (a resumed run writes another). */
  report?: { reason: AuditStopReason; path: string; linesAdded?: number; linesRemoved?: number };
}

export function readAuditFacts(events: readonly StateEvent[]): AuditFacts {
  const fold: Fold = {
    facts: { audits: [], jobs: new Map(), skipped: [], tests: new Map(), confirmations: [], costByRole: {} },
    roleOf: new Map(),
    openJob: new Map(),
    seq: 0,
  };
  events.forEach((event, index) => {
    fold.seq = event.seq ?? index + 1;
    const meaning = meaningOf(event);
    for (const facet of Object.keys(meaning) as (keyof Meaning)[]) {
      const read = AUDIT[facet];
      const value = meaning[facet];
      if (read && value !== undefined) (read as (f: Fold, v: typeof value) => void)(fold, value);
    }
  });
  return fold.facts;
}

interface Fold {
  facts: AuditFacts;
  /** The role each layer agent is working in (its current job's). */
  roleOf: Map<string, AuditRole>;
  /** The open job of each layer. */
  openJob: Map<string, AuditJob>;
  /** The event's seq (its place in the journal when it has none). */
  seq: number;
}

/** What the facets the audit loop reads tell it. */
const AUDIT: { [F in keyof Meaning]?: (fold: Fold, facet: NonNullable<Meaning[F]>) => void } = {
  auditStarted: ({ facts }, settings) => {
    facts.settings = settings;
  },
  auditDiscovered: ({ facts }, discovery) => {
    facts.discovery = discovery;
  },
  auditScored: ({ facts }, scored) => {
    const audit: ScoredAudit = {
      iteration: scored.iteration,
      score: scored.score,
      findings: scored.findings as Finding[],
      ...(scored.dimensions ? { dimensions: scored.dimensions } : {}),
    };
    facts.audits = [...facts.audits.filter((a) => a.iteration !== scored.iteration), audit].sort(
      (a, b) => a.iteration - b.iteration,
    );
  },
  auditJobStarted: ({ facts, openJob, roleOf, seq }, started) => {
    const job: AuditJob = {
      job: started.job,
      iteration: started.iteration,
      phase: started.phase,
      layer: started.layer,
      role: started.role,
      findings: [...started.findings],
      seq,
      agentStarted: false,
    };
    facts.jobs.set(started.job, job);
    openJob.set(started.layer, job);
    roleOf.set(started.layer, started.role);
  },
  agentStarted: ({ openJob, roleOf }, started) => {
    const job = openJob.get(started.agent);
    if (job) job.agentStarted = true;
    if (started.mode === 'audit') roleOf.set(started.agent, 'audit');
  },
  auditJobEnded: ({ facts, openJob }, ended) => {
    const job = facts.jobs.get(ended.job);
    if (!job) return;
    job.ended = { outcome: ended.outcome, summary: ended.summary };
    if (openJob.get(job.layer) === job) openJob.delete(job.layer);
  },
  auditSkipped: ({ facts }, skipped) => {
    facts.skipped.push({
      iteration: skipped.iteration,
      phase: skipped.phase,
      findings: [...skipped.findings],
      reason: skipped.reason,
    });
  },
  auditTested: ({ facts }, tested) => {
    facts.tests.set(tested.iteration, tested.runs as TestRun[]);
  },
  confirmation: ({ facts }, c) => {
    facts.confirmations.push({
      question: c.question,
      answer: c.answer,
      ...(c.kind ? { kind: c.kind } : {}),
      ...(c.agent ? { agent: c.agent } : {}),
      ...(c.paths ? { paths: c.paths as string[] } : {}),
    });
  },
  usage: ({ facts, roleOf }, call) => {
    const role = roleOf.get(call.agent);
    if (role) facts.costByRole[role] = (facts.costByRole[role] ?? 0) + call.costUsd;
  },
  auditReport: ({ facts }, report) => {
    facts.report = {
      reason: report.reason,
      path: report.path,
      ...(report.linesAdded !== undefined ? { linesAdded: report.linesAdded } : {}),
      ...(report.linesRemoved !== undefined ? { linesRemoved: report.linesRemoved } : {}),
    };
  },
};

/** Baseline first, then each iteration's score. */
export const scoresOf = (facts: AuditFacts): number[] => facts.audits.map((a) => a.score);

/** Iterations whose re-audit is done (the baseline audit is not an iteration). */
export const iterationsDone = (facts: AuditFacts): number => Math.max(0, facts.audits.at(-1)?.iteration ?? -1);

/** The latest audit's findings: what the next iteration works on. */
export const latestFindings = (facts: AuditFacts): Finding[] => facts.audits.at(-1)?.findings ?? [];

/** Every finding ever reported, by id (a later audit's version wins). */
export function findingsById(facts: AuditFacts): Map<string, Finding> {
  const byId = new Map<string, Finding>();
  for (const audit of facts.audits) for (const finding of audit.findings) byId.set(finding.id, finding);
  return byId;
}
