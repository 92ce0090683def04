/**
 * Drift (docs/drift.md): what a completed spec recorded when it
 * completed, and what `verify` finds today. A leaf module: the CLI, the sidebar protocol and
 * the workbook take their types from here.
 */

import type { ProofStatus } from '../text/proofWords';

export type { CompletionRecord, RecordedRequirement } from '../pipeline/phases';

export type DriftStatus = 'holds' | 'changed' | 'broken';

export interface FileChange {
  path: string;
  status: 'added' | 'modified' | 'deleted';
}

export interface CheckResult {
  /** `proof`: a run of proof tests (reported per criterion in RequirementDrift.proof, not among its checks). */
  kind: 'validate' | 'test' | 'proof';
  /** The layer whose validate command it is (validate checks only). */
  layer?: string;
  command: string;
  /** 'passed' | 'failed' | why it did not run. */
  outcome: 'passed' | 'failed' | 'not-run';
  exitCode?: number | null;
  /** The failure's output (trimmed), or why it did not run. */
  detail?: string;
}

/** One proof test run again today. */
export interface ProofTestNow {
  file: string;
  test?: string;
  outcome: 'passed' | 'failed' | 'not-run';
  command?: string;
  exitCode?: number | null;
  /** The output that concerns it when it failed (trimmed), or why it did not run. */
  detail?: string;
  /** It failed, then passed when run again on the same commit (issue 74): flaky, not red; `detail` keeps the failure. */
  flaky?: true;
}

/**
 * A criterion's proof run again (docs/drift.md): the tests that were red on the base when the spec
 * completed. `failing` is drift (the requirement is broken); `not-run` says why in its tests.
 */
export interface CriterionProofNow {
  criterion: string;
  /** Its proof's status when the spec completed. */
  then: ProofStatus;
  /** `flaky`: a test failed once and passed on its retry (quarantined in completion.json, to be strengthened). */
  now: 'proven' | 'flaky' | 'failing' | 'not-run';
  tests: ProofTestNow[];
  /** The commit its proof last passed at, as completion.json records it after this verify (the sweep records HEAD's). */
  lastProven?: { commit: string; at: string };
  /** At a probed commit: its proof tests are not there (its spec came later), so it cannot be red there. */
  absent?: true;
  /** `--affected`: a criterion failing on the head, run on the base too; failing there as well, it is drift already on the base. */
  base?: { commit: string; now: 'proven' | 'flaky' | 'failing' | 'not-run' };
}

export interface RequirementDrift {
  requirement: string;
  title: string;
  criteria: string[];
  status: DriftStatus;
  /** `--affected`: broken, but only by proofs red on the range's base too: drift already there, not the change's (exit 0). */
  brokenOnBase?: true;
  layers: string[];
  files: string[];
  tests: string[];
  changedFiles: FileChange[];
  checks: CheckResult[];
  /** Its criteria's proof tests run again (criteria with a test red on the base only); verify always sets it. */
  proof?: CriterionProofNow[];
  /** One line per fact behind the status, for people. */
  evidence: string[];
  /** `verify --explain`: the review agent's verdict on each criterion of a changed requirement. */
  explanation?: string;
}

export interface SpecDrift {
  specId: string;
  title: string;
  /** Where the basis came from: the completion record, or (specs completed before it existed) the journals. */
  basis: { source: 'record' | 'journal'; commit: string | null; completed?: string; note?: string };
  status: DriftStatus;
  counts: Record<DriftStatus, number>;
  requirements: RequirementDrift[];
  warnings: string[];
  /** `verify --strength` only. */
  strength?: SpecStrength;
}

/** `verify --strength`: each criterion's proof tests against mutants of the lines changed since `base` (the run's checkpoint). */
export interface SpecStrength {
  /** The checkpoint commit the spec's first run journaled; absent when none is left (`error` says so). */
  base?: string;
  criteria: {
    criterion: string;
    tried: number;
    killed: number;
    survived: number;
    score?: number;
    survivors: { id: string; file: string; line: number; change: string }[];
    error?: string;
  }[];
  /** Why nothing (or not everything) was measured. */
  error?: string;
}

/** `verify --affected <base>..<head>`: which completed specs the change touches, and through which of their files. */
export interface AffectedSpecs {
  range: string;
  /** Paths that differ between the two commits. */
  changed: number;
  /** The specs verified: each with the changed paths among its recorded files, tests and proof tests. */
  specs: { specId: string; files: string[] }[];
  /** Completed specs the change touches nothing of: not verified. */
  untouched: number;
}

/** `verify --all --since <commit>` (issue 74): each completed spec's proof on HEAD, a red one bisected. */
export interface SweepReport {
  since: string;
  head: string;
  specs: { specId: string; criteria: SweptCriterion[] }[];
  /** The distinct commits whose proofs ran besides HEAD (the bisections' probes, the base's). */
  commitsProbed?: number;
}

export interface SweptCriterion {
  criterion: string;
  now: CriterionProofNow['now'];
  /** The last commit it was proven at, as completion.json recorded it before this sweep (HEAD is recorded when proven now). */
  lastProven?: string;
  /** A red criterion: the commits bisected (after `from`, up to HEAD), and what the probes found. */
  bisect?: {
    /** The later of `--since` and the last commit it was proven at: the range starts after it. */
    from: string;
    commits: number;
    /** The first commit it is red at; absent when the range could not be narrowed to one (`note` says why). */
    firstRed?: string;
    /** The last commit probed green before it (`from` when none was). */
    lastGreen?: string;
    probes: number;
    note?: string;
  };
}

export interface VerifyReport {
  specs: SpecDrift[];
  /** With `affected`: what the change touched. */
  affected?: AffectedSpecs;
  /** With `since`: the sweep's bisection of each red criterion. */
  sweep?: SweepReport;
  /** 0 when nothing is broken (and, with --strict, nothing changed); else 1. */
  exitCode: 0 | 1;
  /** What `--explain`'s reviews cost (absent without it). */
  explainCostUsd?: number;
}
