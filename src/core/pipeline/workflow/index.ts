/**
 * The workflow room's door: a workflow (.claude/workflows/<name>.yaml) run through the engine's
 * steps, its agents, the workflow a run follows, and its phases' human gates.
 */
export {
  type PhaseGate,
  PhaseGateError,
  phaseGatesWaiting,
  type RecordedPhaseDecision,
  recordPhaseDecision,
} from './phaseGateRecord';
export { type WorkflowAgent, workflowAgents } from './workflowAgents';
export { journaledWorkflow, workflowOfRun } from './workflowOfRun';
export { runWorkflow } from './workflowRun';
