/**
 * The door of one agent for a phase: its run (our loop or a CLI runner), its context assembled,
 * the prompts, the cache turns a wave shares, and its refusals.
 */
export { budgetStop, lastSession, PROOF_AGENT, runnerOf, runPipelineAgent } from './agentRun';
export { autoPickOf, type LayerPick, recordOf } from './autoPick';
export { type CacheTurns, waveCacheTurns } from './cacheTurns';
export { assembleContext, assembleLayerContext } from './contextAssembly';
export {
  diagnoseSystem,
  diagnoseTask,
  layerRetryMessage,
  layerSystem,
  layerTask,
  RESUMED_SECTION,
  type RetryInput,
  retrySection,
  reviewBrief,
  reviewSystem,
  reviewTask,
  specSystem,
  specTask,
} from './prompts';
export { refusalsOf, refusalStopped } from './refusals';
export type { EntityFocus } from './registryContext';
