/**
 * The one door every phase calls for an agent (layers, spec, review, diagnose, audit): it
 * picks the runner (a pick given for this agent: an attempt's, `runner: auto`'s; else
 * runners/choose.ts: `--runner`, `layers.<name>.runner`, `runners.<role>`, else our own `agent`)
 * and runs the agent on it, journaling the runner and model on agent.started. Then it turns every way it can end other than a valid final
 * answer into the run's outcome: cancelled, budget reached (with the partial report), the API
 * unavailable for the whole retry window, or an agent that did not finish. The budget is
 * checked before the agent starts, so no call starts once the cap is reached. The agent's
 * calls wait out API weather (limits.apiRetryWindowSec), each wait journaled as llm.waiting.
 */
import type { FinalReports, FinalToolName } from '../../agents';
import { doneLayers, type StateEvent } from '../../journal';
import { type LlmErrorKind, type ModelClient, withApiWeather } from '../../llm';
import { confirmTurn } from './confirmations';
import { RunCancelled, RunStop, throwIfCancelled } from '../../errors';
import { modelKeyFor } from '../../project/config';
import { agentStopped, apiStopped, budgetStopped, modelStopped, type RunContext } from '../kernel';
import type { EngineEvent } from '../../events';
import {
  agentRunnerName,
  isCliRunner,
  loadRunner,
  type RunnerDefinition,
  type RunnerName,
  type RunnerResult,
  runRunnerOf,
} from '../../runners';
import { autoPickOf, type LayerPick } from './autoPick';

/** The proof agent's name (role `proof`): the one agent that writes inside `proof.tests`. */
export const PROOF_AGENT = 'proof';

/**
 * Failures no retry or resume fixes without a change of model or account. (A rejected key is not
 * one of them: it fails the run as such, so a host can ask for another key, as the editor does.)
 */
const MODEL_UNUSABLE: ReadonlySet<LlmErrorKind> = new Set(['unsupported', 'not-found', 'spend-limit']);

/**
 * `client`: the agent's model client, by default ctx.clientFor(def.name); API weather is waited out
 * around it. `pick`: the runner and model for this agent instead of its configured ones (an
 * attempt's; issue 47), else `runner: auto`'s choice for a layer on it; the model is ours
 * `def.model`, a CLI agent's cliModel.
 */
export async function runPipelineAgent<F extends FinalToolName>(
  ctx: RunContext,
  def: RunnerDefinition<F>,
  client: ModelClient = ctx.clientFor(def.name),
  given?: LayerPick,
): Promise<RunnerResult<FinalReports[F]> & { final: FinalReports[F] }> {
  throwIfCancelled(ctx.signal);
  if (!ctx.budget.canStart()) throw budgetStop(ctx, `${def.name} (${def.mode})`);
  const pick = given ?? (await autoPickOf(ctx, def.name));
  const name = pick?.runner ?? runnerOf(ctx, def.name);
  const runner = await loadRunner(name);
  // A CLI agent killed mid-work (kill -9, a crash) continues its own journaled session (on the same runner).
  const interrupted =
    def.session === undefined && isCliRunner(name) ? interruptedSession(ctx.events, def.name, name) : undefined;
  // Proof tests are the proof agent's alone: every other agent's change to them is refused (docs/proof.md).
  const frozen = def.name === PROOF_AGENT ? [] : ctx.config.proof.tests;
  const model = pick?.model ?? def.model;
  const cliModel =
    pick?.model ??
    (Object.hasOwn(ctx.config.models.agents, def.name) ? ctx.config.models.agents[def.name]! : undefined);
  // Which runner and model did the work, and why auto chose them, on the agent's agent.started: the record reads it, a resume keeps it.
  const ranOn = isCliRunner(name) ? cliModel : model;
  const stamp = { ...(ranOn ? { model: ranOn } : {}), ...(pick?.choice ? { choice: pick.choice } : {}) };
  const emit = (event: EngineEvent): void =>
    ctx.emit(event.type === 'agent.started' && event.agent === def.name ? { ...event, ...stamp } : event);
  const result = await runner.run(
    { ...def, model, ...(interrupted ? { session: interrupted } : {}), ...(frozen.length > 0 ? { frozen } : {}) },
    {
      runId: ctx.runId,
      home: ctx.home,
      config: ctx.config,
      ...(cliModel !== undefined ? { cliModel } : {}),
      workspace: ctx.workspace,
      deny: ctx.config.privacy.deny,
      client: withApiWeather(client, {
        agent: def.name,
        windowMs: ctx.config.limits.apiRetryWindowSec * 1000,
        emit: ctx.emit,
      }),
      budget: ctx.budget,
      emit,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      ...(def.owns.length > 0
        ? { approveTurn: confirmTurn(ctx), beforeWrites: () => ctx.writesAllowed ?? Promise.resolve() }
        : {}),
    },
  );
  switch (result.outcome) {
    case 'submitted':
      return result as RunnerResult<FinalReports[F]> & { final: FinalReports[F] };
    case 'cancelled':
      throw new RunCancelled();
    case 'budget':
      throw budgetStop(ctx, `${def.name} (${def.mode})`);
    default:
      if (ctx.signal?.aborted) throw new RunCancelled();
      if (result.modelError?.weatherExhausted)
        throw apiStopped({
          agent: def.name,
          error: result.error ?? 'the API did not answer',
          windowSec: ctx.config.limits.apiRetryWindowSec,
        });
      if (result.modelError && MODEL_UNUSABLE.has(result.modelError.kind)) {
        throw modelStopped({
          agent: def.name,
          model,
          key: pick?.model ? 'attemptRunners' : modelKeyFor(ctx.config, def.name, ctx.opts.overrides?.models),
          kind: result.modelError.kind,
          error: result.error ?? '',
        });
      }
      throw agentStopped({
        agent: def.name,
        outcome: result.outcome,
        ...(result.error ? { error: result.error } : {}),
      });
  }
}

/** The runner that does `agent`'s work in this run, when nothing picked one for it (an attempt, `runner: auto`: autoPick.ts). */
export function runnerOf(ctx: RunContext, agent: string): RunnerName {
  // A workflow role's own `runner:` (issue 29) wins for that role (the run's start checked it is there).
  const name = agentRunnerName(ctx.config, agent, runRunnerOf(ctx.opts.runner, ctx.events), ctx.workflow);
  // Every door to a layer's agent asks autoPickOf first: an unresolved `auto` here is a bug, not a runner.
  if (name === 'auto') throw new Error(`${agent}: runner auto was not chosen before its agent ran`);
  return name;
}

/** The session of `agent`'s latest run on CLI `runner` journaled after `sinceSeq` (what a retry resumes). */
export function lastSession(
  events: readonly StateEvent[],
  agent: string,
  runner: RunnerName,
  sinceSeq = 0,
): string | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if ((e.seq ?? 0) <= sinceSeq) return undefined;
    if (e.type === 'agent.session' && e.agent === agent && e.runner === runner) return e.session;
  }
  return undefined;
}

/** The session of `agent`'s latest run on CLI `runner` when that run never answered (its process died, was cancelled or capped). */
function interruptedSession(events: readonly StateEvent[], agent: string, runner: RunnerName): string | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.type === 'agent.completed' && e.agent === agent && e.outcome === 'submitted') return undefined;
    if (e.type === 'agent.session' && e.agent === agent && e.runner === runner) return e.session;
  }
  return undefined;
}

/** Journals `budget.exceeded` (once per session) and builds the partial report. */
export function budgetStop(ctx: RunContext, where: string): RunStop {
  const state = ctx.state();
  const { spentUsd, limitUsd, maxRequests, unpricedRequests } = ctx.budget;
  // The request cap applies to calls without a price (limits.maxRequests); say which cap it was.
  const requests =
    ctx.budget.exhausted() === 'requests' && maxRequests !== undefined
      ? { used: unpricedRequests, max: maxRequests }
      : undefined;
  if (!ctx.events.some((e, i) => e.type === 'budget.exceeded' && i >= sessionStart(ctx))) {
    ctx.emit({
      type: 'budget.exceeded',
      spentUsd,
      limitUsd,
      ...(requests ? { unpricedRequests: requests.used, maxRequests: requests.max } : {}),
    });
  }
  const done = doneLayers(state);
  const pending = Object.keys(state.layers).filter((layer) => !done.includes(layer));
  const shared = ctx.budget.sharedLimit;
  return budgetStopped({
    spentUsd,
    limitUsd,
    where,
    done,
    pending,
    ...(requests ? { requests } : {}),
    ...(shared ? { shared } : {}),
  });
}

/** Index of this session's run.started (a resumed run appends another one). */
function sessionStart(ctx: RunContext): number {
  let at = 0;
  ctx.events.forEach((e, i) => {
    if (e.type === 'run.started') at = i;
  });
  return at;
}
