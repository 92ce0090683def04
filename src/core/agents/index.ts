/**
 * The agent runtime's door: the tool-use loop, the workspace guard, the tool set, the final
 * reports' schemas, and the file and text helpers the runners share with the loop's tools.
 */
export {
  type AuditFinding,
  type AuditReport,
  type CriterionVerdict,
  type FinalReports,
  finalToolSchemas,
  type LayerResult,
  type ProofReport,
  type ProofTest,
  type ReviewReport,
  type SpecReport,
} from './finalReports';
export { WorkspaceGuard } from './guard/workspaceGuard';
export { summarizeInput, summarizeResult } from './loop/eventSummary';
export { completionSummary, runAgent } from './loop/runAgent';
export { writeFileAtomic } from './tools/atomicWrite';
export { walkFiles } from './tools/fileWalker';
export { inputJsonSchema } from './tools/parseToolInput';
export { countLines, looksBinary, oneLine } from './tools/textLines';
export { buildToolSet } from './tools/toolSet';
export type { AgentDefinition, AgentEnvironment, AgentResult, FinalCheck, FinalToolName, TurnEffects } from './types';
