/**
 * The audit loop's state, rebuilt from the journal alone (as the run's state is): what it
 * was asked for, what DISCOVERY found, each iteration's score and findings, the fix jobs and
 * how they ended, the test runs, and the cost per role. Pure.
 */
import type { StateEvent } from '../../journal/state';
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
  const facts: AuditFacts = { audits: [], jobs: new Map(), skipped: [], tests: new Map(), confirmations: [], costByRole: {} };
  /** The role each layer agent is working in (its current job's). */
  const roleOf = new Map<string, AuditRole>();
  /** The open job of each layer. */
  const openJob = new Map<string, AuditJob>();
  events.forEach((event, index) => {
    const seq = event.seq ?? index + 1;
    switch (event.type) {
      case 'audit.started':
        facts.settings = event.settings;
        return;
      case 'audit.discovered':
        facts.discovery = event.discovery;
        return;
      case 'audit.scored':
        facts.audits = [...facts.audits.filter((a) => a.iteration !== event.iteration), { iteration: event.iteration, score: event.score, findings: event.findings, ...(event.dimensions ? { dimensions: event.dimensions } : {}) }].sort(
          (a, b) => a.iteration - b.iteration,
        );
        return;
      case 'audit.job.started': {
        const job: AuditJob = { job: event.job, iteration: event.iteration, phase: event.phase, layer: event.layer, role: event.role, findings: [...event.findings], seq, agentStarted: false };
        facts.jobs.set(event.job, job);
        openJob.set(event.layer, job);
        roleOf.set(event.layer, event.role);
        return;
      }
      case 'agent.started': {
        const job = openJob.get(event.agent);
        if (job) job.agentStarted = true;
        if (event.mode === 'audit') roleOf.set(event.agent, 'audit');
        return;
      }
      case 'audit.job.ended': {
        const job = facts.jobs.get(event.job);
        if (!job) return;
        job.ended = { outcome: event.outcome, summary: event.summary };
        if (openJob.get(job.layer) === job) openJob.delete(job.layer);
        return;
      }
      case 'audit.skipped':
        facts.skipped.push({ iteration: event.iteration, phase: event.phase, findings: [...event.findings], reason: event.reason });
        return;
      case 'audit.tested':
        facts.tests.set(event.iteration, event.runs);
        return;
      case 'confirmation':
        facts.confirmations.push({
          question: event.question,
          answer: event.answer,
          ...(event.kind ? { kind: event.kind } : {}),
          ...(event.agent ? { agent: event.agent } : {}),
          ...(event.paths ? { paths: event.paths } : {}),
        });
        return;
      case 'llm.usage': {
        const role = roleOf.get(event.agent);
        if (role) facts.costByRole[role] = (facts.costByRole[role] ?? 0) + event.costUsd;
        return;
      }
      case 'audit.report':
        facts.report = { reason: event.reason, path: event.path, ...(event.linesAdded !== undefined ? { linesAdded: event.linesAdded } : {}), ...(event.linesRemoved !== undefined ? { linesRemoved: event.linesRemoved } : {}) };
        return;
      default:
        return;
    }
  });
  return facts;
}

/** Baseline first, then each iteration's score. */
export const scoresOf = (facts: AuditFacts): number[] => facts.audits.map((a) => a.score);

/** Iterations whose re-audit is done (the baseline audit is not an iteration). */
export const iterationsDone = (facts: AuditFacts): number => Math.max(0, (facts.audits.at(-1)?.iteration ?? -1));

/** The latest audit's findings: what the next iteration works on. */
export const latestFindings = (facts: AuditFacts): Finding[] => facts.audits.at(-1)?.findings ?? [];

/** Every finding ever reported, by id (a later audit's version wins). */
export function findingsById(facts: AuditFacts): Map<string, Finding> {
  const byId = new Map<string, Finding>();
  for (const audit of facts.audits) for (const finding of audit.findings) byId.set(finding.id, finding);
  return byId;
}
