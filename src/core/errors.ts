/**
 * How the pipeline ends early. Errors that hosts map to exit codes carry a `code`
 * (the CLI: E_CONFIG and E_USAGE exit 2); a stopped run and a cancelled run are not
 * failures of the engine but outcomes, so the runner turns them into a RunSummary.
 */

/** A missing key, an unknown model price, an untrusted workspace…: fix the setup, run again. */
export class ConfigurationError extends Error {
  readonly code = 'E_CONFIG';
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

/** The request cannot be served as asked: unknown spec, nothing to resume, a finished run. */
export class EngineUsageError extends Error {
  readonly code = 'E_USAGE';
  constructor(message: string) {
    super(message);
    this.name = 'EngineUsageError';
  }
}

/** The human declined to approve a spec (CLI: no --yes). Exit 2 in the CLI; quiet in the editor. */
export class ApprovalDeclined extends Error {
  readonly code = 'E_DECLINED';
  constructor(message: string) {
    super(message);
    this.name = 'ApprovalDeclined';
  }
}

export type StopReason =
  | 'validation'
  | 'review'
  | 'budget'
  | 'blocked'
  | 'agent'
  | 'sync'
  | 'untrusted'
  | 'error'
  | 'trace'
  | 'api'
  // A file a validate/sync command executes changed during the run (issue 8).
  | 'tampered'
  // A `worktree.setup` command failed in the run's new worktree (issue 22).
  | 'setup'
  // After COMPLETE: a `deploy:` command failed, or a `smoke:` test did.
  | 'deploy'
  | 'smoke'
  // A workflow phase's gate: a document it must leave is missing, lacks a section, or an ADR is incomplete (issue 29).
  | 'gate'
  // A confirmation was refused (issue 44): the report names what was refused.
  | 'refused'
  // Before COMPLETE (issue 70): a layer changed files that no proof test and no validate command checked.
  | 'unchecked';

/** A layer's files that the run changed and that nothing checked, or whose criteria the proof could not prove (issue 70). */
export interface UncheckedLayer {
  layer: string;
  files: string[];
  /**
   * The criteria of the layer the proof could not prove, each `REQ-1.1: why` (its tests broken on the base,
   * none written…); absent when nothing at all checked the files (no proof test, no validate command).
   */
  unproven?: string[];
  /** The layer's validate commands that ran, when each checks only style (a formatter, a linter, a license header). */
  styleOnly?: string[];
}

/** The run stops with a report for the human (seed 002 "Pipeline stopped"). Terminal. */
export class RunStop extends Error {
  constructor(
    readonly reason: StopReason,
    message: string,
    readonly report: string,
    /** A workflow gate that failed only for requirements with no test (`--allow-untested` would pass it): the phase and their ids. */
    readonly untested?: { phase: string; requirements: string[] },
    /** `unchecked`: each layer whose changed files nothing checked, and those files. */
    readonly unchecked?: UncheckedLayer[],
  ) {
    super(message);
    this.name = 'RunStop';
  }
}

/** A change request's amendment saved at its gate (RunOptions.amendmentsWait): the run ends `spec-saved` there. */
export class AmendmentSaved extends Error {
  constructor(readonly specId: string) {
    super(`The amended spec ${specId} waits for approval.`);
    this.name = 'AmendmentSaved';
  }
}

/** The host cancelled (AbortSignal): the journal stays resumable. */
export class RunCancelled extends Error {
  constructor() {
    super('The run was cancelled; continue it with resume.');
    this.name = 'RunCancelled';
  }
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new RunCancelled();
}
