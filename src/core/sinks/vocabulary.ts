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
import type { EventOf } from '../catalogue';
import type { EngineEvent } from '../events';
import type { StateEvent } from '../journal';

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
  data: Record<string, unknown> & {
    request_id: string;
    run_id: string;
    seq: number;
    journal_type: string;
    links: Links;
  };
}

export interface Mapped {
  type: VocabularyType;
  subject?: string;
  data: Record<string, unknown>;
  /** Which evidence this event links to beyond the spec and the journal line. */
  evidence: ('diff' | 'validation' | 'trace')[];
  /** The documents this event links to (a phase's), workspace-relative. */
  documents?: string[];
  /** The layer whose evidence it links when its data names none. */
  layer?: string;
}

/** What the run tells an entry: its first start (a resume's start is not a new project), and a workflow of its own. */
interface RunSoFar {
  firstStart: boolean;
  /** The run follows a workflow of its own (run.started names it): its phases are sent too. */
  phases: boolean;
}

type Journaled<E> = E & { seq?: number; ts?: string };
type Squad = EventOf<'cto.engineer.request' | 'engineer.cto.response' | 'module.planned' | 'pm.cto.dependency_request'>;

/** Seed 003's roles speak the vocabulary already: their entries go out as they are journaled. */
function squad(event: Journaled<Squad>): Mapped {
  const { type, seq: _seq, ts: _ts, ...data } = event;
  return { type, subject: 'squad' in event ? event.squad : event.from, data, evidence: [] };
}

/**
 * Each journal type's vocabulary event. A type without an entry is outside seed 003's vocabulary
 * (most are: the vocabulary is a closed list), so a new event type needs only its catalogue entry.
 */
const VOCABULARY: { [K in EngineEvent['type']]?: (event: Journaled<EventOf<K>>, run: RunSoFar) => Mapped | undefined } =
  {
    // A default feature run's stream is the task/qa/project events it always was.
    'phase.started': (e, run) =>
      run.phases ? { type: 'phase.started', subject: e.phase, data: { phase: e.phase }, evidence: [] } : undefined,
    'phase.closed': (e, run) =>
      run.phases
        ? {
            type: 'phase.closed',
            subject: e.phase,
            data: { phase: e.phase, documents: e.documents },
            evidence: ['trace'],
            documents: e.documents,
          }
        : undefined,
    // Only workflow phases retry and have human gates of their own: sent whatever the workflow is named.
    'phase.retry': (e) => ({
      type: 'phase.retry',
      subject: e.phase,
      data: { phase: e.phase, attempt: e.attempt, max: e.max, report: e.report.slice(0, 2000) },
      evidence: [],
    }),
    'phase.approved': (e) => ({
      type: 'phase.approved',
      subject: e.phase,
      data: { phase: e.phase, decision: 'approved' },
      evidence: [],
    }),
    'phase.saved': (e) => ({
      type: 'phase.saved',
      subject: e.phase,
      data: { phase: e.phase, decision: 'saved', documents: e.documents },
      evidence: [],
      documents: e.documents,
    }),
    'phase.changes-requested': (e) => ({
      type: 'phase.changes-requested',
      subject: e.phase,
      data: { phase: e.phase, decision: 'changes-requested', feedback: e.feedback },
      evidence: [],
    }),
    'cto.engineer.request': squad,
    'engineer.cto.response': squad,
    'module.planned': squad,
    'pm.cto.dependency_request': squad,
    'monitor.alert': (e) => ({
      type: 'monitor.alert',
      ...(e.subject ? { subject: e.subject } : {}),
      data: { alert: e.alert, message: e.message },
      evidence: [],
    }),
    'run.started': (e, run) =>
      run.firstStart
        ? { type: 'project.created', data: { kind: e.kind, request: e.request }, evidence: [] }
        : undefined,
    'agent.started': (e) =>
      TASK_MODES.has(e.mode)
        ? {
            type: 'task.assigned',
            subject: e.agent,
            data: { layer: e.agent, mode: e.mode, attempt: e.attempt },
            evidence: [],
          }
        : undefined,
    'agent.completed': (e) =>
      e.outcome === 'submitted' && isLayerAgent(e.agent)
        ? {
            type: 'task.completed',
            subject: e.agent,
            data: { layer: e.agent, attempt: e.attempt, summary: e.summary ?? '' },
            evidence: ['diff'],
          }
        : undefined,
    'validation.passed': (e) => ({
      type: 'qa.passed',
      subject: e.layer,
      data: { check: 'validation', layer: e.layer },
      evidence: ['validation'],
    }),
    'validation.failed': (e) => ({
      type: 'qa.failed',
      subject: e.layer,
      data: {
        check: 'validation',
        layer: e.layer,
        command: e.command,
        exit_code: e.exitCode,
        output: e.output.slice(-2000),
      },
      evidence: ['validation'],
    }),
    'review.verdict': (e) => ({
      type: e.verdict === 'approved' ? 'qa.passed' : 'qa.failed',
      subject: 'review',
      data: { check: 'review', round: e.round, issues: e.issues, ...(e.criteria ? { criteria: e.criteria } : {}) },
      evidence: ['diff', 'trace'],
    }),
    'block.reported': (e) => ({
      type: 'block.reported',
      subject: e.from,
      data: { block: e.block, reported_by: e.from, responsible: e.to, request: e.request },
      evidence: [],
    }),
    // Its evidence is the responsible layer's diff.
    'block.resolved': (e) => ({
      type: 'block.resolved',
      subject: e.from,
      data: { block: e.block, reported_by: e.from, responsible: e.to, summary: e.summary, files: e.files },
      evidence: ['diff'],
      layer: e.to,
    }),
    'run.completed': (e) => {
      const status = (e.summary as { status?: string } | null)?.status;
      return status === undefined || status === 'completed'
        ? { type: 'project.completed', data: { summary: e.summary }, evidence: ['diff', 'trace'] }
        : undefined;
    },
    'deploy.completed': (e) => ({
      type: 'devops.deployed',
      subject: 'devops',
      data: { commands: e.commands, ms: e.ms },
      evidence: [],
    }),
    'smoke.passed': (e) => ({
      type: 'qa.passed',
      subject: 'smoke',
      data: { check: 'smoke', commands: e.commands, ms: e.ms },
      evidence: [],
    }),
    'smoke.failed': (e) => ({
      type: 'qa.failed',
      subject: 'smoke',
      data: { check: 'smoke', command: e.command, exit_code: e.exitCode, output: e.output.slice(-2000) },
      evidence: [],
    }),
    'run.stopped': (e) => ({
      type: 'monitor.alert',
      data: { alert: 'run.stopped', reason: e.reason, report: e.report },
      evidence: ['trace'],
    }),
    'budget.exceeded': (e) => ({
      type: 'monitor.alert',
      data: { alert: 'budget.exceeded', spent_usd: e.spentUsd, limit_usd: e.limitUsd },
      evidence: [],
    }),
  };

/**
 * The vocabulary event of a journal entry, or undefined for entries outside the vocabulary.
 * `phases`: the run follows a workflow of its own (run.started names it), whose phases are sent
 * too; a default feature run's stream is the task/qa/project events it always was.
 */
export function vocabularyOf(event: StateEvent, firstStart: boolean, phases = false): Mapped | undefined {
  // Own keys only: a journal is a file anyone could edit, and `constructor` is no type of ours.
  if (!Object.hasOwn(VOCABULARY, event.type)) return undefined;
  const entry = (VOCABULARY as Record<string, (e: StateEvent, run: RunSoFar) => Mapped | undefined>)[event.type]!;
  return entry(event, { firstStart, phases });
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
export function eventLayer(mapped: Mapped): string | undefined {
  return typeof mapped.data.layer === 'string' ? mapped.data.layer : mapped.layer;
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

export function toCloudEvent(
  entry: StateEvent & { seq: number; ts: string },
  runId: string,
  mapped: Mapped,
  links: Links,
): CloudEvent {
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
