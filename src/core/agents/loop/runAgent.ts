import type { AgentOutcome } from '../../events';
import {
  addUsage,
  emptyUsage,
  LlmError,
  type Message,
  type ModelReply,
  parseModelId,
  type StopReason,
  type ToolCallPart,
  type ToolResultPart,
} from '../../llm';
import type { FinalReports } from '../finalReports';
import { WorkspaceGuard } from '../guard/workspaceGuard';
import { oneLine } from '../tools/textLines';
import { buildToolSet } from '../tools/toolSet';
import type { ToolContext } from '../tools/toolTypes';
import type { AgentDefinition, AgentEnvironment, AgentResult, FinalCheck, FinalToolName } from '../types';
import { summarizeInput, summarizeResult } from './eventSummary';
import { ContextFit } from './contextFit';
import { FileLedger } from './fileLedger';
import { LoopDetector } from './loopDetector';
import { assistantMessage } from './replyBlocks';
import { computeTurnEffects, executeWorkCall, isMutating, planCalls, type PlannedCall } from './turnCalls';

export const NOT_CONFIRMED = 'refused: not confirmed by the user';

/** Why the loop stopped, when it stopped for a reason other than a valid final answer. */
interface Stop {
  outcome: AgentOutcome;
  error?: string;
  modelError?: AgentResult['modelError'];
}

const CANCELLED: Stop = { outcome: 'cancelled', error: 'cancelled' };

/**
 * One agent: a tool-use loop on any provider's model (ModelClient) that ends at a valid final tool call,
 * at `maxTurns`, on a repeated identical call, on cancellation, on the budget, or on a
 * model error. Tool failures never end it: they go back to the model as is_error results.
 */
export async function runAgent<F extends FinalToolName>(
  def: AgentDefinition & { finalTool: F; checkFinal?: FinalCheck<FinalReports[F]> },
  env: AgentEnvironment,
): Promise<AgentResult<FinalReports[F]>> {
  const { name: agent, attempt, mode } = def;
  env.emit({ type: 'agent.started', agent, attempt, mode });

  const ledger = new FileLedger();
  let usage = emptyUsage();
  let costUsd = 0;
  let turns = 0;
  let final: FinalReports[F] | undefined;
  let stop: Stop | undefined;

  const tools = buildToolSet(def);
  const loops = new LoopDetector();
  const messages: Message[] = def.continues
    ? continued(def.continues, def.task)
    : [{ role: 'user', content: [{ type: 'text', text: def.task }] }];
  /** Results of the final turn's calls: they close the conversation a later attempt continues. */
  let lastResults: ToolResultPart[] = [];
  const provider = parseModelId(def.model).provider;
  // Keeps every request inside the model's context window (compacts older tool results).
  const fit = new ContextFit(env.client, agent, env.emit);

  const finish = (): AgentResult<FinalReports[F]> => {
    const outcome = stop?.outcome ?? 'submitted';
    const result: AgentResult<FinalReports[F]> = {
      outcome,
      ...(final !== undefined ? { final } : {}),
      turns,
      usage,
      costUsd,
      filesWritten: ledger.written,
      filesCreated: ledger.created,
      filesDeleted: ledger.deleted,
      ...(stop?.error ? { error: stop.error } : {}),
      ...(stop?.modelError ? { modelError: stop.modelError } : {}),
      ...(outcome === 'submitted' ? { conversation: [...messages, { role: 'user', content: lastResults }] } : {}),
    };
    env.emit({ type: 'agent.completed', agent, attempt, outcome, summary: completionSummary(final, stop) });
    return result;
  };

  let ctx: ToolContext;
  try {
    const guard = await WorkspaceGuard.create(env.workspace, def.owns, env.deny, def.frozen);
    ctx = {
      agent,
      guard,
      emit: env.emit,
      recordChange: (change) => ledger.record(change),
      ...(env.signal ? { signal: env.signal } : {}),
    };
  } catch (error) {
    stop = { outcome: 'error', error: `workspace unavailable: ${oneLine(String((error as Error).message ?? error))}` };
    return finish();
  }

  const cancelled = () => env.signal?.aborted === true;

  while (!stop && final === undefined) {
    if (cancelled()) {
      stop = CANCELLED;
      break;
    }
    if (turns >= def.maxTurns) {
      stop = { outcome: 'max_turns', error: `stopped after ${def.maxTurns} turns without ${def.finalTool}` };
      break;
    }
    if (!(await env.budget.admit(env.signal))) {
      stop = { outcome: 'budget', error: `budget reached: ${env.budget.describe()}` };
      break;
    }

    turns++;
    const started = Date.now();
    let reply: ModelReply;
    try {
      reply = await fit.send({
        model: def.model,
        maxTokens: def.maxTokens,
        ...(def.shared !== undefined ? { shared: def.shared } : {}),
        system: def.system,
        ...(def.context !== undefined ? { context: def.context } : {}),
        tools: tools.definitions,
        messages,
        ...(env.signal ? { signal: env.signal } : {}),
      });
    } catch (error) {
      const aborted = cancelled() || (error instanceof LlmError && error.kind === 'cancelled');
      const modelError =
        error instanceof LlmError
          ? { kind: error.kind, weatherExhausted: error.details.weatherExhausted === true }
          : undefined;
      stop = aborted
        ? CANCELLED
        : { outcome: 'error', error: oneLine(errorMessage(error)), ...(modelError ? { modelError } : {}) };
      break;
    }
    env.budget.charge(reply.costUsd);
    usage = addUsage(usage, reply.usage);
    costUsd += reply.costUsd ?? 0;
    env.emit({
      type: 'llm.usage',
      agent,
      model: reply.model,
      usage: reply.usage,
      costUsd: reply.costUsd ?? 0,
      ms: Date.now() - started,
      provider,
      ...(reply.costUsd === undefined ? { priced: false } : {}),
    });
    messages.push(assistantMessage(reply.content));

    const toolUses = reply.content.filter((p): p is ToolCallPart => p.type === 'tool_call');
    if (toolUses.length === 0) {
      messages.push({ role: 'user', content: [{ type: 'text', text: reminder(def.finalTool, reply.stopReason) }] });
      continue;
    }

    const calls = await Promise.all(planCalls(toolUses, tools).map((call) => refusedFinal(call, def.checkFinal)));
    if (env.beforeWrites && calls.some(isMutating)) {
      try {
        await env.beforeWrites();
      } catch (error) {
        stop = { outcome: 'error', error: `files cannot be changed: ${oneLine(errorMessage(error))}` };
        break;
      }
    }
    let approved = true;
    if (env.approveTurn && calls.some(isMutating)) {
      const effects = await computeTurnEffects(calls, ctx);
      if (effects) {
        try {
          approved = await env.approveTurn(effects);
        } catch (error) {
          stop = cancelled()
            ? CANCELLED
            : { outcome: 'error', error: `confirmation failed: ${oneLine(errorMessage(error))}` };
          break;
        }
      }
    }

    const results: ToolResultPart[] = [];
    for (const call of calls) {
      // Stop before starting another call: whatever already ran is complete (writes are atomic).
      if (cancelled()) {
        stop = CANCELLED;
        break;
      }
      if (loops.observe(call.block.name, call.block.input)) {
        stop = { outcome: 'loop', error: `the same ${call.block.name} call was repeated 3 times in a row` };
        break;
      }
      const { content, isError } = await runCall(call, approved, ctx);
      env.emit({
        type: 'tool.called',
        agent,
        tool: call.block.name,
        input: summarizeInput(call.block.input),
        isError,
        result: summarizeResult(content),
      });
      results.push({ type: 'tool_result', callId: call.block.id, content, ...(isError ? { isError: true } : {}) });
      if (call.kind === 'final') {
        final = call.value as FinalReports[F];
        break;
      }
    }
    if (final !== undefined) {
      // Calls after the final one in the same turn never ran; the API wants a result for each.
      for (const call of calls.slice(results.length)) {
        results.push({
          type: 'tool_result',
          callId: call.block.id,
          content: `not run: ${def.finalTool} ended the turn`,
          isError: true,
        });
      }
      lastResults = results;
    } else if (results.length === calls.length) {
      messages.push({ role: 'user', content: results });
    }
  }
  return finish();
}

/**
 * The previous conversation, then this attempt's task as the next user message: after the
 * results of the previous attempt's last tool calls when the conversation ends with them
 * (tool results first, as the APIs require), else as a message of its own.
 */
function continued(previous: readonly Message[], task: string): Message[] {
  const messages = [...previous];
  const last = messages.at(-1);
  if (last?.role === 'user') {
    messages[messages.length - 1] = { role: 'user', content: [...last.content, { type: 'text', text: task }] };
  } else {
    messages.push({ role: 'user', content: [{ type: 'text', text: task }] });
  }
  return messages;
}

/** A final call whose answer the run's own check refuses becomes a rejected call. */
async function refusedFinal<Final>(call: PlannedCall, check: FinalCheck<Final> | undefined): Promise<PlannedCall> {
  if (call.kind !== 'final' || !check) return call;
  const reason = await check(call.value as Final);
  return reason === undefined ? call : { kind: 'rejected', block: call.block, reason };
}

async function runCall(
  call: PlannedCall,
  approved: boolean,
  ctx: ToolContext,
): Promise<{ content: string; isError: boolean }> {
  if (call.kind === 'rejected') return { content: call.reason, isError: true };
  if (call.kind === 'final') return { content: 'accepted', isError: false };
  if (!approved && isMutating(call)) return { content: NOT_CONFIRMED, isError: true };
  return executeWorkCall(call, ctx);
}

function reminder(finalTool: FinalToolName, stopReason: StopReason): string {
  const cut = stopReason === 'max_tokens' ? 'Your reply was cut off at the token limit. ' : '';
  return `${cut}You did not call any tool. Continue with the tools, and when your work is finished call ${finalTool}; your work only counts once ${finalTool} is called.`;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A one-line summary for agent.completed: the gist of the final answer, or why it stopped. */
export function completionSummary(final: unknown, stop?: Stop): string | undefined {
  if (stop) return stop.error;
  if (!final || typeof final !== 'object') return undefined;
  const f = final as Record<string, unknown>;
  const gist = f.summary ?? f.verdict ?? f.title ?? f.root_cause;
  if (typeof gist === 'string') return oneLine(gist, 200);
  return typeof f.score === 'number' && Array.isArray(f.findings)
    ? `score ${f.score}/100, ${f.findings.length} findings`
    : undefined;
}
