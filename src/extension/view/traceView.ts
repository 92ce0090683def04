/** The traceability matrix as the sidebar shows it (issue 10); runFacets.ts folds it and the blocks into the run. */
import { proofSummary, type TraceProof } from '../../core/text/proofWords';
import type { TraceMatrix } from '../../core/trace';
import type { TraceProofView, TraceView } from '../../shared/viewState';

/** Lists are capped: the matrix of a large spec must not make every state post heavy. */
const MAX_LIST = 20;
/** A test's name and an untestable reason are the proof agent's words: bounded like a cell. */
const MAX_WORDS = 200;

export function traceViewOf(matrix: TraceMatrix): TraceView {
  const cap = (items: readonly string[]) =>
    items.length > MAX_LIST ? [...items.slice(0, MAX_LIST), `… ${items.length - MAX_LIST} more`] : [...items];
  return {
    specId: matrix.specId,
    rows: matrix.rows.map((row) => ({
      requirement: row.requirement,
      requirementTitle: row.requirementTitle,
      criterion: row.criterion,
      criterionText: row.criterionText,
      tasks: cap(row.tasks),
      files: cap(row.files),
      validation: cap(row.validation),
      review: row.review,
      tests: cap(row.tests),
      gaps: [...row.gaps],
      ...(row.changes.length > 0 ? { changes: [...row.changes] } : {}),
      ...(row.proof ? { proof: proofViewOf(row.proof) } : {}),
    })),
    requirementsWithoutFile: [...matrix.requirementsWithoutFile],
    criteriaWithoutTest: [...matrix.criteriaWithoutTest],
  };
}

function proofViewOf(proof: TraceProof): TraceProofView {
  return proofSummary(proof, MAX_WORDS);
}
