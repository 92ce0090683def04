/**
 * The phases' door: the phases the pipelines share, in order: sync, understand, spec (with its
 * gate and the layers' proposal), checkpoint, implement, complete, and the deploy step.
 */
export { checkpointThen } from './checkpointPhase';
export { proveStep } from './proveStep';
export { completePhase } from './completePhase';
export {
  blobIdOf,
  COMPLETION_FILE,
  completedRef,
  type CompletionRecord,
  lastProvenOf,
  proofFilesOf,
  readCompletionRecord,
  type RecordedProof,
  type RecordedRequirement,
  recordedRequirements,
} from './completionRecord';
export { deployPhase, hasDeployStep, requireTrustForDeploy } from './deployPhase';
export { gatePlacement } from './folderSpec';
export { requireTrustForValidation, specGate, syncAndUnderstand, syncStep, understandStep } from './frontPhases';
export {
  focusOf,
  implementLayers,
  markImplementing,
  parallelWithDatabase,
  runSpec,
  specLayers,
} from './implementPhase';
export { type ProposalUsage, takeProposalCosts, tasksAssigned, type TasksAssigned } from './layerProposal';
export { approvalDeclined, confirmUnownedWork } from './specOwnership';
export { askHuman, decide, runSpecAgent } from './specPhase';
export { runSyncCommands } from './syncPhase';
export { describeUnderstanding } from './understand';
