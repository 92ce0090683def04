/** The traceability matrix's shape (matrix.ts builds it): a leaf, so run events can carry it. */
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
}

export interface TraceMatrix {
  specId: string;
  title: string;
  /** The runs whose journals it was built from, oldest first. */
  runIds: string[];
  rows: TraceRow[];
  /** Requirements no file implements (COMPLETE refuses to archive the spec while there is one). */
  requirementsWithoutFile: string[];
  criteriaWithoutTest: string[];
  /** Files changed by hand since the checkpoint (no agent wrote them), by the layer owning them. */
  byHand: Record<string, string[]>;
}
