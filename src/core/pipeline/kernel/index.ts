/**
 * The pipeline kernel's door: what every phase needs: the run context, the facts resume reads, the
 * outcome and the stop reports, the project command under the run's sandbox, the phase wrapper,
 * waves and the concurrency limit, the command files' hashes, the run's models, its changed files
 * and follow-ups.
 */
export { CommandFiles, packageScripts } from './commandFiles';
export { putBackCommitted } from './committedFiles';
export { type DiagnosisFacts, type PipelineFacts, readFacts, retriesSince, type Understanding } from './facts';
export { earlierRuns, followUpOf, type FollowUpStarted } from './followUpFacts';
export type { PipelineOutcome } from './outcome';
export { inPhase, PHASES } from './phase';
export { ownFilesStop, tidyOwnFiles, withOwnFiles } from './ownFiles';
export {
  type CommandCopy,
  journalCommand,
  journalDenials,
  type ProjectCommandRun,
  runProjectCommand,
  runSandbox,
  sandboxOption,
} from './projectCommand';
export {
  AgentUnfinished,
  agentStopped,
  apiStopped,
  blockedStopped,
  budgetStopped,
  commandStopped,
  deployStopped,
  modelStopped,
  proofTimedOut,
  reviewStopped,
  uncheckedStopped,
  untrustedStopped,
  validationStopped,
  validationTimedOut,
} from './reports';
export { runChangedFiles, runDiff } from './runChanges';
export { specWorkLayers } from './specLayers';
export { createRunContext, type RunContext } from './runContext';
export { type ChosenModel, isDemoShop, openRunModels, type RunModels } from './runModels';
export { askConfirmation, type AskedWhere } from './askConfirmation';
export { askQuestion, type QuestionPlace } from './askQuestion';
export { untilCancelled } from './untilCancelled';
export { createLimiter, type Limiter, mostImportant, runWaves, type WaveHooks } from './waves';
