/**
 * The change requests' door: a change request or a follow-up starts or resumes a run through
 * pipeline/run.
 */
export { type FollowUpInput, followUpRun } from './followUp';
export { type ChangeOutcome, requestChange } from './requestChange';
export { useAttempt, type UseAttemptOutcome } from './useAttempt';
