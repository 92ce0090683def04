/**
 * The journal's events in seed 003's vocabulary, as CloudEvents 1.0 (structured JSON): a layer
 * agent starting is `task.assigned`, finishing `task.completed`; the orchestrator's validation
 * and the review are `qa.passed` / `qa.failed`; blocks are `block.reported` / `block.resolved`;
 * a completed run is `project.completed`, a new one `project.created`, a stop or the budget
 * `monitor.alert`; the deploy step after COMPLETE is `devops.deployed`, its smoke tests
 * `qa.passed` / `qa.failed` (check `smoke`). Every event carries the run's `request_id` (the run id: one request, one
 * run) and links to its evidence: the spec, the diff, the validation output, the journal line.
 * A workflow's phases (issue 29) go out too: `phase.started`, `phase.closed` with its documents
 * as links, a role phase's gate failing into a retry (`phase.retry`), and a phase's human gate
 * deciding (`phase.approved`, `phase.saved`, `phase.changes-requested`: the journal's fields, as
 * the spec gate's decisions carry theirs, plus `decision`).
 */
import type { StateEvent } from '../journal/state';

export type VocabularyType =
  | 'project.created'
  | 'task.assigned'
  | 'task.completed'
  | 'qa.failed'
  | 'qa.passed'
  | 'block.reported'
  | 'block.resolved'
  | 'monitor.alert'
  | 'project.completed'
  | 'devops.deployed'
  // Workflows (issue 29): a workflow's phases, and seed 003's roles.
  | 'phase.started'
  | 'phase.closed'
  | 'phase.retry'
  | 'phase.approved'
  | 'phase.saved'
  | 'phase.changes-requested'
  | 'cto.engineer.request'
  | 'engineer.cto.response'
  | 'module.planned'
  | 'pm.cto.dependency_request';

/** Agent modes that are a layer's task (not the spec, review or diagnose agents). */
const TASK_MODES = new Set(['implement', 'retry', 'review-fix', 'fix', 'unblock']);

export interface Links {
  spec?: string;
  diff?: string;
  validation?: string;
  journal: string;
  trace?: string;
  /** A phase's documents (phase.closed, phase.saved), workspace-relative. */
  documents?: string[];
}

export interface CloudEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: VocabularyType;
  time: string;
  subject?: string;
  datacontenttype: 'application/json';
  /** CloudEvents extension attribute (lower-case letters and digits only): the run's request id. */
  requestid: string;
  data: Record<string, unknown> & { request_id: string; run_id: string; seq: number; journal_type: string; links: Links };
}

export interface Mapped {
  type: VocabularyType;
  subject?: string;
  data: Record<string, unknown>;
  /** Which evidence this event links to beyond the spec and the journal line. */
  evidence: ('diff' | 'validation' | 'trace')[];
  /** The documents this event links to (a phase's), workspace-relative. */
  documents?: string[];
}

/**
 * The vocabulary event of a journal entry, or undefined for entries outside the vocabulary.
 * `phases`: the run follows a workflow of its own (run.started names it), whose phases are sent
 * too; a default feature run's stream is the task/qa/project events it always was.
 */
export function vocabularyOf(event: StateEvent, firstStart: boolean, phases = false): Mapped | undefined {
  switch (event.type) {
    case 'phase.started':
      return phases ? { type: 'phase.started', subject: event.phase, data: { phase: event.phase }, evidence: [] } : undefined;
    case 'phase.closed':
      return phases ? { type: 'phase.closed', subject: event.phase, data: { phase: event.phase, documents: event.documents }, evidence: ['trace'], documents: event.documents } : undefined;
    // Only workflow phases retry and have human gates of their own: sent whatever the workflow is named.
    case 'phase.retry':
      return { type: 'phase.retry', subject: event.phase, data: { phase: event.phase, attempt: event.attempt, max: event.max, report: event.report.slice(0, 2000) }, evidence: [] };
    case 'phase.approved':
      return { type: 'phase.approved', subject: event.phase, data: { phase: event.phase, decision: 'approved' }, evidence: [] };
    case 'phase.saved':
      return { type: 'phase.saved', subject: event.phase, data: { phase: event.phase, decision: 'saved', documents: event.documents }, evidence: [], documents: event.documents };
    case 'phase.changes-requested':
      return { type: 'phase.changes-requested', subject: event.phase, data: { phase: event.phase, decision: 'changes-requested', feedback: event.feedback }, evidence: [] };
    case 'cto.engineer.request':
    case 'engineer.cto.response':
    case 'module.planned':
    case 'pm.cto.dependency_request': {
      const { type, seq: _seq, ts: _ts, ...data } = event;
      return { type, subject: 'squad' in event ? event.squad : event.from, data, evidence: [] };
    }
    case 'monitor.alert':
      return { type: 'monitor.alert', ...(event.subject ? { subject: event.subject } : {}), data: { alert: event.alert, message: event.message }, evidence: [] };
    case 'run.started':
      return firstStart ? { type: 'project.created', data: { kind: event.kind, request: event.request }, evidence: [] } : undefined;
    case 'agent.started':
      if (!TASK_MODES.has(event.mode)) return undefined;
      return { type: 'task.assigned', subject: event.agent, data: { layer: event.agent, mode: event.mode, attempt: event.attempt }, evidence: [] };
    case 'agent.completed':
      if (event.outcome !== 'submitted' || !isLayerAgent(event.agent)) return undefined;
      return { type: 'task.completed', subject: event.agent, data: { layer: event.agent, attempt: event.attempt, summary: event.summary ?? '' }, evidence: ['diff'] };
    case 'validation.passed':
      return { type: 'qa.passed', subject: event.layer, data: { check: 'validation', layer: event.layer }, evidence: ['validation'] };
    case 'validation.failed':
      return {
        type: 'qa.failed',
        subject: event.layer,
        data: { check: 'validation', layer: event.layer, command: event.command, exit_code: event.exitCode, output: event.output.slice(-2000) },
        evidence: ['validation'],
      };
    case 'review.verdict':
      return {
        type: event.verdict === 'approved' ? 'qa.passed' : 'qa.failed',
        subject: 'review',
        data: { check: 'review', round: event.round, issues: event.issues, ...(event.criteria ? { criteria: event.criteria } : {}) },
        evidence: ['diff', 'trace'],
      };
    case 'block.reported':
      return { type: 'block.reported', subject: event.from, data: { block: event.block, reported_by: event.from, responsible: event.to, request: event.request }, evidence: [] };
    case 'block.resolved':
      return { type: 'block.resolved', subject: event.from, data: { block: event.block, reported_by: event.from, responsible: event.to, summary: event.summary, files: event.files }, evidence: ['diff'] };
    case 'run.completed': {
      const status = (event.summary as { status?: string } | null)?.status;
      if (status !== undefined && status !== 'completed') return undefined;
      return { type: 'project.completed', data: { summary: event.summary }, evidence: ['diff', 'trace'] };
    }
    case 'deploy.completed':
      return { type: 'devops.deployed', subject: 'devops', data: { commands: event.commands, ms: event.ms }, evidence: [] };
    case 'smoke.passed':
      return { type: 'qa.passed', subject: 'smoke', data: { check: 'smoke', commands: event.commands, ms: event.ms }, evidence: [] };
    case 'smoke.failed':
      return { type: 'qa.failed', subject: 'smoke', data: { check: 'smoke', command: event.command, exit_code: event.exitCode, output: event.output.slice(-2000) }, evidence: [] };
    case 'run.stopped':
      return { type: 'monitor.alert', data: { alert: 'run.stopped', reason: event.reason, report: event.report }, evidence: ['trace'] };
    case 'budget.exceeded':
      return { type: 'monitor.alert', data: { alert: 'budget.exceeded', spent_usd: event.spentUsd, limit_usd: event.limitUsd }, evidence: [] };
    default:
      return undefined;
  }
}

// Phase agents are not tasks of a layer.
function isLayerAgent(agent: string): boolean {
  return agent !== 'spec' && agent !== 'review' && agent !== 'diagnose';
}

/** Where a run's artifacts live, workspace-relative (written by artifacts.ts). */
export function artifactPaths(runId: string, seq: number, layer?: string) {
  const base = `.claude/runs/${runId}`;
  return {
    journal: `${base}/events.jsonl#seq=${seq}`,
    diff: `${base}/artifacts/${seq}${layer ? `-${layer}` : ''}.diff`,
    validation: `${base}/artifacts/${seq}-validation${layer ? `-${layer}` : ''}.log`,
    trace: `${base}/trace.json`,
  };
}

/** The layer an event is about (its evidence files are named after it). */
export function eventLayer(entry: StateEvent, mapped: Mapped): string | undefined {
  if (typeof mapped.data.layer === 'string') return mapped.data.layer;
  return entry.type === 'block.resolved' ? entry.to : undefined;
}

/**
 * The journal line and the spec always; each other piece of evidence the event has when `has` says
 * it exists (or will); a phase's documents where `documentAt` says they are (default: as journaled).
 */
export function linksOf(
  mapped: Mapped,
  paths: ReturnType<typeof artifactPaths>,
  spec: string | undefined,
  has: (kind: Mapped['evidence'][number]) => boolean,
  documentAt: (path: string) => string = (path) => path,
): Links {
  const evidence = (kind: Mapped['evidence'][number]) => mapped.evidence.includes(kind) && has(kind);
  return {
    journal: paths.journal,
    ...(spec ? { spec } : {}),
    ...(evidence('diff') ? { diff: paths.diff } : {}),
    ...(evidence('validation') ? { validation: paths.validation } : {}),
    ...(evidence('trace') ? { trace: paths.trace } : {}),
    ...(mapped.documents?.length ? { documents: mapped.documents.map(documentAt) } : {}),
  };
}

export function toCloudEvent(entry: StateEvent & { seq: number; ts: string }, runId: string, mapped: Mapped, links: Links): CloudEvent {
  return {
    specversion: '1.0',
    id: `${runId}-${entry.seq}`,
    source: `/.claude/runs/${runId}`,
    type: mapped.type,
    time: entry.ts,
    ...(mapped.subject ? { subject: mapped.subject } : {}),
    datacontenttype: 'application/json',
    requestid: runId,
    data: { request_id: runId, run_id: runId, seq: entry.seq, journal_type: entry.type, ...mapped.data, links },
  };
}
