/**
 * The matrix as a table: its column headers and each row's cells. `orchestrator trace`, the run
 * folder's trace.md and a plain feature run show docs/traceability.md's columns (Requirement, Criterion, Tasks,
 * Files, Validation, Review, Tests). A workflow's matrix beside its spec shows the columns of the
 * phases closed so far (seed 000: "each phase adding its columns"): Requirement and Criterion from
 * the spec, then design (the design documents citing the requirement), code (Tasks, Files),
 * validation, review, tests (with the proof's columns) and UAT (the sign-off), in that order. Pure: the documents' text
 * and the gate decisions come from pipeline/workflow/traceBesideSpec.ts.
 */
import type { TraceColumn } from '../project/workflows';
import type { Gap, MatrixTable, TraceMatrix, TraceRow } from '../traceMatrix';
import { rowCells } from './renderMatrix';
import { mentionsId } from './requirements';

/** What a closed phase brings to the matrix. */
export interface ClosedPhase {
  phase: string;
  columns: readonly TraceColumn[];
  /** Its documents (workspace-relative) and their text; a document that cannot be read is left out. */
  documents: { path: string; text: string }[];
  /** When it closed, and whether a human approved it at its gate. */
  closedAt?: string;
  approved?: boolean;
}

/** Which column shows a gap: a gap is shown once its column is. */
const GAP_COLUMN: Record<Gap, TraceColumn> = {
  'no-task': 'code',
  'no-file': 'code',
  'validation-failed': 'validation',
  unmet: 'review',
  'no-test': 'tests',
};
const ORDER: readonly TraceColumn[] = ['design', 'code', 'validation', 'review', 'tests', 'uat'];

export function phasedTable(matrix: TraceMatrix, closed: readonly ClosedPhase[]): MatrixTable {
  const shown = new Set(closed.flatMap((phase) => phase.columns));
  const columns = ORDER.filter((column) => shown.has(column));
  const by = (column: TraceColumn) => closed.filter((phase) => phase.columns.includes(column));
  const headers = ['Requirement', 'Criterion', ...columns.flatMap((column) => HEADERS[column])];
  const cells = matrix.rows.map((row) => {
    const plain = rowCells(row);
    return [plain[0]!, plain[1]!, ...columns.flatMap((column) => cellsOf(column, row, plain, by(column)))];
  });
  return {
    headers,
    cells,
    gaps: matrix.rows.map((row) => row.gaps.filter((gap) => shown.has(GAP_COLUMN[gap]))),
    columns,
  };
}

// The proof's columns go with the tests: a proof is a test, written before the code (docs/proof.md).
const HEADERS: Record<TraceColumn, string[]> = {
  design: ['Design'],
  code: ['Tasks', 'Files'],
  validation: ['Validation'],
  review: ['Review'],
  tests: ['Tests', 'Proof', 'Red on base', 'Green after', 'Strength'],
  uat: ['UAT'],
};

function cellsOf(column: TraceColumn, row: TraceRow, plain: string[], phases: ClosedPhase[]): string[] {
  const cited = citations(row, phases);
  switch (column) {
    case 'design':
      return [cited.join('\n') || '(none)'];
    case 'code':
      return [plain[2]!, plain[3]!];
    case 'validation': {
      // The layers' validation results, then the validation documents that speak of the requirement.
      return [[...row.validation, ...cited].join('\n') || '(none)'];
    }
    case 'review':
      return [plain[5]!];
    case 'tests':
      return plain.slice(6, 11);
    case 'uat': {
      const decisions = phases.map(
        (phase) =>
          `${phase.phase} ${phase.approved ? 'signed off' : 'closed'}${phase.closedAt ? ` ${phase.closedAt}` : ''}`,
      );
      return [[...decisions, ...cited].join('\n')];
    }
  }
}

/** `path:line` of each document of these phases that cites the criterion or its requirement (first mention). */
function citations(row: TraceRow, phases: readonly ClosedPhase[]): string[] {
  const result: string[] = [];
  for (const phase of phases) {
    for (const document of phase.documents) {
      const lines = document.text.split(/\r?\n/);
      const at = lines.findIndex((line) => mentionsId(line, row.criterion) || mentionsId(line, row.requirement));
      if (at >= 0) result.push(`${document.path}:${at + 1}`);
    }
  }
  return result;
}
