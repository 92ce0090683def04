/**
 * The feature pipeline's door: its REVIEW, the review's criteria, and the traceability matrix it
 * keeps.
 */
export { criteriaCheck, criteriaTask, effectiveVerdict } from './reviewCriteria';
export { REVIEW_MAX_TOKENS, reviewPhase, ReviewPrefetch } from './reviewPhase';
export { traceGate, updateTrace } from './traceability';
