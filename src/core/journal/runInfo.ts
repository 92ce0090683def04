/** What the journal says of a run, for summaries and run lists (api.ts re-exports it). */
import type { RunKind } from '../events';

/** `unchecked` (issue 70): the run ended before COMPLETE because nothing checked part of its change. */
export type RunStatus = 'completed' | 'spec-saved' | 'stopped' | 'cancelled' | 'unchecked';

export interface PhaseTiming {
  name: string;
  ms: number;
}

export interface RunInfo {
  runId: string;
  /** Absent when the journal cannot be read. */
  kind?: RunKind;
  request: string;
  /** `unreadable`: the journal is there but cannot be read (`problem` says why). */
  status: RunStatus | 'running' | 'interrupted' | 'rolled-back' | 'unreadable';
  started: string;
  problem?: string;
  /** The spec the run wrote or implements. */
  specId?: string;
  /** The workflow it follows when not its kind's default (issue 29). */
  workflow?: string;
  /** A `spec-saved` run waiting at a workflow phase's human gate (issue 29): that phase's name. */
  gate?: string;
  /** A run in its own worktree: waiting for Apply / Create branch / Discard (`pending`), or what was done. */
  worktree?: { path: string; outcome: 'pending' | 'applied' | 'branched' | 'discarded'; branch?: string };
  /** A run started from a GitHub issue (issue 39): the issue's and its pull request's addresses. */
  github?: { issue: string; pull?: string };
}
