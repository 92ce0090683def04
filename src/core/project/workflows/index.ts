/**
 * The workflows' door: .claude/workflows/<name>.yaml listed, loaded and checked against its
 * schema, the shipped ones, and the schema as JSON Schema for the editor (scripts/workflow-schema.mjs).
 */
export { checkWorkflowFile } from './workflowCheck';
export type { Workflow } from './workflowFile';
export { workflowJsonSchema } from './workflowJsonSchema';
export type {
  TraceColumn,
  WorkflowDocument,
  WorkflowFile,
  WorkflowPhase,
  WorkflowRole,
  WorkflowStep,
} from './workflowSchema';
export { DEFAULT_WORKFLOW, listWorkflows, loadWorkflow, shippedWorkflowsDir, type WorkflowListing } from './workflows';
