import type { ToolDefinition } from '../../llm';
import { finalToolDescriptions, finalToolSchemas } from '../finalReports';
import type { AgentDefinition, FinalToolName } from '../types';
import { toToolDefinition } from './parseToolInput';
import { listFilesTool, readFileTool, searchFilesTool } from './readTools';
import type { WorkTool } from './toolTypes';
import { deleteFileTool, editFileTool, writeFileTool } from './writeTools';

export const READ_TOOLS: readonly WorkTool[] = [readFileTool, listFilesTool, searchFilesTool] as WorkTool[];
export const WRITE_TOOLS: readonly WorkTool[] = [writeFileTool, editFileTool, deleteFileTool] as WorkTool[];

/** The tools one agent is offered: read tools, write tools only with `owns`, and its one final tool. */
export interface AgentToolSet {
  work: Map<string, WorkTool>;
  finalTool: FinalToolName;
  definitions: ToolDefinition[];
}

export function buildToolSet(def: Pick<AgentDefinition, 'owns' | 'finalTool'>): AgentToolSet {
  const work = new Map<string, WorkTool>();
  for (const tool of [...READ_TOOLS, ...(def.owns.length > 0 ? WRITE_TOOLS : [])]) work.set(tool.name, tool);
  const definitions = [...work.values()].map((tool) => toToolDefinition(tool.name, tool.description, tool.schema));
  definitions.push(
    toToolDefinition(def.finalTool, finalToolDescriptions[def.finalTool], finalToolSchemas[def.finalTool]),
  );
  return { work, finalTool: def.finalTool, definitions };
}
