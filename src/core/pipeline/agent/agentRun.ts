/**
 * Runs one agent for the pipeline and turns every way it can end other than a valid final
 * answer into the run's outcome: cancelled, budget reached (with the partial report), or
 * an agent that did not finish. The budget is checked before the agent starts, so no call
 * starts once the cap is reached.
 */
import { runAgent } from '../../agents';
import type { FinalReports } from '../../agents/finalReports';
import type { AgentDefinition, AgentResult, FinalCheck, FinalToolName } from '../../agents/types';
import { doneLayers } from '../../journal/state';
import type { ModelClient } from '../../llm/types';
import { confirmTurn } from './confirmations';
import { RunCancelled, RunStop, throwIfCancelled } from '../run/errors';
import { agentStopped, budgetStopped } from '../run/reports';
import type { RunContext } from '../run/runContext';

/** `client`: the agent's model client, by default ctx.clientFor(def.name). */
export async function runPipelineAgent<F extends FinalToolName>(
  ctx: RunContext,
  def: AgentDefinition & { finalTool: F; checkFinal?: FinalCheck<FinalReports[F]> },
  client: ModelClient = ctx.clientFor(def.name),
): Promise<AgentResult<FinalReports[F]> & { final: FinalReports[F] }> {
  throwIfCancelled(ctx.signal);
  if (!ctx.budget.canStart()) throw budgetStop(ctx, `${def.name} (${def.mode})`);
  const result = await runAgent(def, {
    workspace: ctx.workspace,
    deny: ctx.config.privacy.deny,
    client,
    budget: ctx.budget,
    emit: ctx.emit,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    ...(def.owns.length > 0 ? { approveTurn: confirmTurn(ctx), beforeWrites: () => ctx.writesAllowed ?? Promise.resolve() } : {}),
  });
  switch (result.outcome) {
    case 'submitted':
      return result as AgentResult<FinalReports[F]> & { final: FinalReports[F] };
    case 'cancelled':
      throw new RunCancelled();
    case 'budget':
      throw budgetStop(ctx, `${def.name} (${def.mode})`);
    default:
      if (ctx.signal?.aborted) throw new RunCancelled();
      throw agentStopped({ agent: def.name, outcome: result.outcome, ...(result.error ? { error: result.error } : {}) });
  }
}

/** Journals `budget.exceeded` (once per session) and builds the partial report. */
export function budgetStop(ctx: RunContext, where: string): RunStop {
  const state = ctx.state();
  const spentUsd = ctx.budget.spentUsd;
  const limitUsd = ctx.budget.limitUsd;
  if (!ctx.events.some((e, i) => e.type === 'budget.exceeded' && i >= sessionStart(ctx))) {
    ctx.emit({ type: 'budget.exceeded', spentUsd, limitUsd });
  }
  const done = doneLayers(state);
  const pending = Object.keys(state.layers).filter((layer) => !done.includes(layer));
  return budgetStopped({ spentUsd, limitUsd, where, done, pending });
}

/** Index of this session's run.started (a resumed run appends another one). */
function sessionStart(ctx: RunContext): number {
  let at = 0;
  ctx.events.forEach((e, i) => {
    if (e.type === 'run.started') at = i;
  });
  return at;
}
