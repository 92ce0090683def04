/**
 * The audit loop's data (seed 001): what the journal carries for it (events.ts), what its
 * summary and report are made of (api.ts). Types and a few constants, no imports, so
 * events.ts and api.ts can name them.
 */

export type Severity = 'P0' | 'P1' | 'P2' | 'P3';
export const SEVERITIES: readonly Severity[] = ['P0', 'P1', 'P2', 'P3'];
export const SEVERITY_NAMES: Readonly<Record<Severity, string>> = {
  P0: 'critical',
  P1: 'high',
  P2: 'medium',
  P3: 'low',
};

/** A finding as journaled: the auditor's, with an id always set (its own or one we gave it). */
export interface Finding {
  id: string;
  severity: Severity;
  description: string;
  file?: string;
  line?: number;
  recommendation: string;
}

/** Roles with their own model (`models.agents.<role>`) and their own line in the cost report. */
export type AuditRole = 'audit' | 'fix' | 'enhance' | 'documentation';
export const AUDIT_ROLES: readonly AuditRole[] = ['audit', 'fix', 'enhance', 'documentation'];

/** What the audit was asked for, fixed when it starts (journaled, so a resume uses the same). */
export interface AuditSettings {
  /** Workspace-relative folder or file, posix; '.' for the whole workspace. */
  target: string;
  dimension: string;
  targetScore: number;
  minAcceptableScore: number;
  maxIterations: number;
  maxBudgetUsd: number;
  /** The dimension's template as it was read when the audit started. */
  template: { path: string; text: string };
  /**
   * Several dimensions audited at once to one target (`--dimension backend,security,tests`):
   * each scored by its own audit agent with its own template; the audit's score is the lowest,
   * so the target holds only when every dimension reaches it. `dimension` then names them all.
   */
  dimensions?: { name: string; template: { path: string; text: string } }[];
}

export interface LanguageFacts {
  language: string;
  files: number;
  loc: number;
}

export interface Dependency {
  /** Workspace-relative manifest it was read from. */
  manifest: string;
  ecosystem: 'npm' | 'nuget' | 'pypi' | 'go' | 'cargo' | 'odoo';
  name: string;
  version?: string;
  dev?: boolean;
}

/** DISCOVERY: facts about the target gathered without a model. */
export interface Discovery {
  target: string;
  files: number;
  /** Non-blank lines of the text files. */
  loc: number;
  languages: LanguageFacts[];
  dependencies: Dependency[];
  /** Files per owning layer; files no layer owns are counted under `unowned`. */
  layers: { layer: string; files: number }[];
  unowned: number;
  /** The files (with their line counts) the auditor is shown, at most a few hundred. */
  listing: { path: string; lines: number }[];
  /** More files than the walk or the listing holds. */
  truncated: boolean;
  /** Manifests that could not be read, and why (a warning, not a stop). */
  warnings: string[];
}

/** One `audit.test` command's result, parsed where the runner's output allows. */
export interface TestRun {
  command: string;
  exitCode: number | null;
  /** node:test, jest, vitest, pytest, dotnet, go; absent when no known summary was found. */
  runner?: string;
  passed?: number;
  failed?: number;
  skipped?: number;
  /** Line (or statement) coverage in percent, when the output reports a total. */
  coverage?: number;
  ms: number;
}

/** How an audit ended: its target, its iteration cap, its budget, or a loop that stopped improving. */
export type AuditStopReason = 'target' | 'max-iterations' | 'no-improvement' | 'budget' | 'stopped';

export type SeverityCounts = Record<Severity, number>;

/** The audit's part of the run summary (`--json`: scores[] and findings{}), rebuilt from the journal. */
export interface AuditSummary {
  target: string;
  dimension: string;
  targetScore: number;
  /** Baseline first, then the score after each iteration. */
  scores: number[];
  /** With several dimensions: each one's scores, baseline first. */
  dimensionScores?: Record<string, number[]>;
  iterations: { used: number; max: number };
  reason?: AuditStopReason;
  /** Whether the latest score reached targetScore: false for an audit that ended (or stopped) below it. */
  targetReached: boolean;
  findings: {
    /** Open findings per severity at the first audit and at the latest one. */
    before: SeverityCounts;
    after: SeverityCounts;
    /** Findings a fix job took and finished (its layer's validation passed), per severity. */
    worked: SeverityCounts;
    /** The latest audit's findings. */
    open: Finding[];
  };
  costByRole: Record<string, number>;
  budgetUsd: number;
  /** Time the run was running, over all its sessions (a resumed run's pause not counted). */
  durationMs: number;
  linesAdded?: number;
  linesRemoved?: number;
  tests?: TestRun[];
  reportPath?: string;
}
