/**
 * The conductor's door: start, resume and administer a run: its setup, its worktree (apply,
 * branch, shelve, discard), rollback, its changes and files, and a pooled run's result applied
 * here.
 */
export { applyPooledResult } from './pooledApply';
export { changesOfRun, checkpointBytes, filesOfRun, gcCheckpoints, rollbackOfRun, syncOutsideRun } from './runAdmin';
export { agentNames, applyOverrides } from './runSetup';
export { journalLaterAnswer, type LaterAnswer, parkedQuestion } from './answerLater';
export { resumeRun, startAudit, startFromSpec, startRun } from './runner';
export type { PlannedAgent } from './planAgents';
export { type PlannedLayer, planRun, type RunPlan } from './runPlan';
export {
  cleanRunPlace,
  type KeptWork,
  makeRunPlace,
  putRunWork,
  readyPooledClone,
  type RunPlace,
  type RunPlaceKind,
} from './runPlace';
export type { SavedChanges } from './savedChanges';
export {
  ApplyConflictError,
  type ApplyReport,
  applyWorktreeRun,
  branchWorktreeRun,
  discardWorktreeRun,
  shelveWorktreeRun,
} from './worktreeAdmin';
export { specsWaitingInWorktrees } from './worktreeFiles';
export type { WorktreeGcResult } from './worktreeGc';
