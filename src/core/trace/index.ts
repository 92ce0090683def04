/**
 * The traceability room's door: a spec's requirements and their links, the matrix of a spec's
 * runs, its markdown and .xlsx exports, and orchestrator trace.
 */
export { writeMatrixMarkdown, writeMatrixXlsx, writeMatrixXlsxWith } from './exportMatrix';
export { DEFERRED_IN_SOURCE, DONE_BEFORE_IMPORT, groupLine, NOT_IMPLEMENTABLE, NOT_LINKED } from './linkMarks';
export type { TraceMatrix } from './matrix';
export { type ClosedPhase, phasedTable } from './matrixTable';
export {
  citedCriteria,
  citedRequirements,
  type Criterion,
  mentionsId,
  parseRequirements,
  type Requirement,
} from './requirements';
export { proofOfJournal } from './proofOfJournal';
export {
  type CriterionProof,
  proofOfRun,
  type ProofStatus,
  strengthOfRun,
  type StrengthOfRun,
  traceProofOf,
} from './proofOfRun';
export { hasProblems, specLinkProblems, type SpecLinkProblems, type TraceProblem } from './specLinks';
export { withLastProven } from './renderMatrix';
export { type TraceExport, type TraceReport, traceSpecMatrix } from './traceCommand';
export { matrixOf, readTestFiles, runsOfSpec, traceOfSpec } from './traceOfSpec';
export { untestedRequirements } from './untested';
