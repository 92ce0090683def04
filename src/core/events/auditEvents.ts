// The events of the audit loop, the trace matrix and blocks between layers, split from events.ts by family.

import type { AuditRole, AuditSettings, AuditStopReason, Discovery, Finding, TestRun } from '../auditTypes';
import type { TraceMatrix } from '../traceMatrix';

export type AuditEvent =
  // Audit to target (seed 001, issue 9): the loop's facts, so a resumed audit continues at its
  // iteration and phase, and its report and summary are rebuilt from the journal alone.
  | { type: 'audit.started'; settings: AuditSettings }
  | { type: 'audit.discovered'; discovery: Discovery }
  | {
      type: 'audit.scored';
      iteration: number;
      score: number;
      findings: Finding[];
      /** Each dimension's score when several are audited at once; `score` is the lowest. */ dimensions?: Record<
        string,
        number
      >;
    }
  /** A layer's agent takes findings of one phase (`job` names it uniquely in the run). */
  | {
      type: 'audit.job.started';
      job: string;
      iteration: number;
      phase: string;
      layer: string;
      role: AuditRole;
      findings: string[];
    }
  /** The job's agent answered (done, or blocked: it could close none) and the layer's validation passed. */
  | { type: 'audit.job.ended'; job: string; outcome: 'done' | 'blocked'; summary: string }
  /** Findings no layer can take (no file, or a file no layer owns): left for the human. */
  | { type: 'audit.skipped'; iteration: number; phase: string; findings: string[]; reason: string }
  | { type: 'audit.tested'; iteration: number; runs: TestRun[] }
  | { type: 'audit.report'; reason: AuditStopReason; path: string; linesAdded?: number; linesRemoved?: number }
  // Traceability and blocks (issue 10, seeds 000 and 003): the matrix after each phase; a layer
  // that needs another layer's work reports a block, the owning layer resolves it in FIX mode.
  // `repeated`: its counts are those the run's last trace.updated said; the views take the matrix, the line is not said again.
  | { type: 'trace.updated'; specId: string; matrix: TraceMatrix; repeated?: true }
  // Files changed by hand since the checkpoint that COMPLETE's check counted, by owning layer.
  | { type: 'trace.by-hand'; files: Record<string, string[]> }
  // A workflow gate's `trace` check found requirements with no test and the run allows it
  // (`--allow-untested`): the waiver, which the matrix shows in their Tests cells.
  | { type: 'trace.waived'; phase: string; requirements: string[] }
  | { type: 'block.reported'; block: number; from: string; to: string; request: string }
  | { type: 'block.resolved'; block: number; from: string; to: string; summary: string; files: string[] };
