import type { ToolCallPart } from '../../llm';
import type { TurnEffects } from '../types';
import { parseToolInput } from '../tools/parseToolInput';
import type { AgentToolSet } from '../tools/toolSet';
import { WRITE_TOOLS } from '../tools/toolSet';
import { oneLine } from '../tools/textLines';
import { ToolError, type ToolContext, type ToolOutcome, type WorkTool } from '../tools/toolTypes';
import { finalToolSchemas } from '../finalReports';

/** One tool_use of a model turn, classified and input-checked before anything runs. */
export type PlannedCall =
  | { kind: 'work'; block: ToolCallPart; tool: WorkTool; input: unknown }
  | { kind: 'final'; block: ToolCallPart; value: unknown }
  | { kind: 'rejected'; block: ToolCallPart; reason: string };

export function planCalls(blocks: ToolCallPart[], tools: AgentToolSet): PlannedCall[] {
  return blocks.map((block): PlannedCall => {
    if (block.name === tools.finalTool) {
      const parsed = parseToolInput<unknown>(block.name, finalToolSchemas[tools.finalTool], block.input);
      return parsed.ok
        ? { kind: 'final', block, value: parsed.value }
        : { kind: 'rejected', block, reason: parsed.reason };
    }
    const tool = tools.work.get(block.name);
    if (!tool) return { kind: 'rejected', block, reason: unknownToolReason(block.name, tools) };
    const parsed = parseToolInput(block.name, tool.schema, block.input);
    return parsed.ok
      ? { kind: 'work', block, tool, input: parsed.value }
      : { kind: 'rejected', block, reason: parsed.reason };
  });
}

function unknownToolReason(name: string, tools: AgentToolSet): string {
  const shown = JSON.stringify(oneLine(name, 60));
  if (WRITE_TOOLS.some((t) => t.name === name)) return `refused: ${shown} is not available to this read-only agent`;
  return `unknown tool ${shown}; available: ${[...tools.work.keys(), tools.finalTool].join(', ')}`;
}

export const isMutating = (call: PlannedCall): call is Extract<PlannedCall, { kind: 'work' }> =>
  call.kind === 'work' && call.tool.mutating;

/** What the turn's mutating calls would change; undefined when they would change nothing. */
export async function computeTurnEffects(calls: PlannedCall[], ctx: ToolContext): Promise<TurnEffects | undefined> {
  const paths = new Set<string>();
  const created = new Set<string>();
  const after: Record<string, string | null> = {};
  let deletedLines = 0;
  for (const call of calls) {
    if (!isMutating(call) || !call.tool.preview) continue;
    const preview = await call.tool.preview(call.input, ctx);
    if (!preview) continue;
    // Two changes to one file in a turn: the text after both is unknown here, so it is not given.
    if (preview.after !== undefined && !paths.has(preview.path)) after[preview.path] = preview.after;
    else delete after[preview.path];
    paths.add(preview.path);
    if (preview.created) created.add(preview.path);
    deletedLines += preview.removedLines;
  }
  return paths.size > 0
    ? { agent: ctx.agent, paths: [...paths].sort(), created: [...created].sort(), deletedLines, after }
    : undefined;
}

/** Runs a work tool; every failure becomes a one-line is_error result so the loop goes on. */
export async function executeWorkCall(
  call: Extract<PlannedCall, { kind: 'work' }>,
  ctx: ToolContext,
): Promise<ToolOutcome> {
  try {
    return await call.tool.run(call.input, ctx);
  } catch (error) {
    if (error instanceof ToolError) return { content: oneLine(error.message), isError: true };
    return { content: `error: ${oneLine(error instanceof Error ? error.message : String(error))}`, isError: true };
  }
}
