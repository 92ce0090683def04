/** The agent runtime's public surface: the loop, the guard, the tool set and final-report schemas. */
export { runAgent, NOT_CONFIRMED } from './loop/runAgent';
export { WorkspaceGuard, type GuardVerdict } from './guard/workspaceGuard';
export { checkPathSyntax } from './guard/pathSyntax';
export { buildToolSet, READ_TOOLS, WRITE_TOOLS, type AgentToolSet } from './tools/toolSet';
export {
  auditFinding,
  auditReport,
  diagnosis,
  finalToolSchemas,
  layerResult,
  reviewIssue,
  reviewReport,
  specReport,
  type AuditFinding,
  type AuditReport,
  type Diagnosis,
  type FinalReports,
  type LayerResult,
  type ReviewReport,
  type SpecReport,
} from './finalReports';
export type * from './types';
