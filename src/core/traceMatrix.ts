/** The traceability matrix's shape (matrix.ts builds it): a leaf, so run events can carry it. */
import type { TraceProof } from './text/proofWords';

export type { ProofStatus, TraceProof } from './text/proofWords';
export type Gap = 'no-task' | 'no-file' | 'no-test' | 'unmet' | 'validation-failed';

export interface TraceRow {
  requirement: string;
  requirementTitle: string;
  /** The criterion id (`REQ-1.2`), or the requirement id when it has no criterion. */
  criterion: string;
  criterionText: string;
  /** `2. Backend: …` as in the spec. */
  tasks: string[];
  layers: string[];
  files: string[];
  /** `backend: passed`, `frontend: failed (node web/typecheck.js)`, `database: not run`. */
  validation: string[];
  /** `met`, `unmet: …`, `approved (whole change)`, `skipped: …`, `not reviewed`. */
  review: string;
  tests: string[];
  gaps: Gap[];
  /** Approved amendments that changed the requirement: `v2 2026-11-23T02:10:00.000Z` (change requests). */
  changes: string[];
  /**
   * How the source linked the requirement, when that is why it has no file: no task of the
   * source cites it (`not-linked`: the review judges it), or every task citing it was ticked
   * before import (`done-before-import`). Neither stops COMPLETE.
   */
  source?: 'not-linked' | 'done-before-import';
  /** No test, and a workflow gate waived it (`--allow-untested`): `waived at phase F (--allow-untested)`. */
  testWaiver?: string;
  /**
   * The criterion's proof from the journals (docs/proof.md): `{file, test, red, green, status}`;
   * `unproven` without a test. Every row the matrix builds has it; absent in a matrix journaled
   * before proof per criterion existed.
   */
  proof?: TraceProof;
  /** A completed spec's criterion: the commit its proof last passed at on main, as the sweep recorded it in completion.json (issue 74). */
  lastProven?: LastProven;
}

export interface LastProven {
  commit: string;
  at: string;
}

export interface TraceMatrix {
  specId: string;
  title: string;
  /** The runs whose journals it was built from, oldest first. */
  runIds: string[];
  rows: TraceRow[];
  /** Requirements whose open tasks changed no file (COMPLETE refuses to archive the spec while there is one). */
  requirementsWithoutFile: string[];
  /** Requirements no task cites ("not linked in the source"): judged by the review, shown apart, not a stop. */
  notLinked: string[];
  /** Requirements whose every task was ticked in the source before import. */
  doneBeforeImport: string[];
  /** Tasks citing no requirement, as in the spec (`3. T001 …`). */
  unlinkedTasks: string[];
  /** Groups of sub-tasks of an imported spec (Kiro's parent tasks): they do no work of their own. */
  taskGroups?: string[];
  criteriaWithoutTest: string[];
  /** Files changed by hand since the checkpoint (no agent wrote them), by the layer owning them. */
  byHand: Record<string, string[]>;
}

/**
 * The matrix as a table (trace/matrixTable.ts): column headers and each row's cells. docs/traceability.md's
 * columns by default; a workflow's matrix beside its spec has the columns of its closed phases.
 */
export interface MatrixTable {
  headers: string[];
  /** One list of cells per matrix row, in `headers` order. */
  cells: string[][];
  /** The gaps each row shows (only those of the columns shown). */
  gaps: Gap[][];
  /** The column groups shown, when not docs/traceability.md's (which show every summary line). */
  columns?: string[];
}
