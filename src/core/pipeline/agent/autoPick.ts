/**
 * `runner: auto` for a layer (issue 47, docs/runners.md): the runner and model its work runs on,
 * chosen once per run when the layer's first job starts, and kept for the rest of the run (its
 * retries, a review's fixes, a block's answer) and after a resume: the choice is journaled on the
 * layer's agent.started (`runner`, `model`, `choice`), which a resumed run reads back first.
 */
import type { StateEvent } from '../../journal';
import type { AutoChoice } from '../../events';
import {
  agentRunnerName,
  autoCandidates,
  chooseAuto,
  fileRecord,
  type RunnerName,
  type RunnerPick,
  type RunnerRecord,
  runRunnerOf,
} from '../../runners';
import { ConfigurationError } from '../../errors';
import type { RunContext } from '../kernel';

/** A pick and, for auto's, why. */
export type LayerPick = RunnerPick & { choice?: AutoChoice };

const chosen = new WeakMap<RunContext, Map<string, Promise<LayerPick>>>();

/** The pick of `agent` when it is a layer on `runner: auto` (`--runner auto` too); undefined otherwise. */
export function autoPickOf(ctx: RunContext, agent: string): Promise<LayerPick | undefined> {
  if (
    !Object.hasOwn(ctx.config.layers, agent) ||
    agentRunnerName(ctx.config, agent, runRunnerOf(ctx.opts.runner, ctx.events), ctx.workflow) !== 'auto'
  )
    return Promise.resolve(undefined);
  const picks = chosen.get(ctx) ?? new Map<string, Promise<LayerPick>>();
  chosen.set(ctx, picks);
  // Asked by the layer's job and by each of its agents: one choice, and the candidates looked up once.
  let pick = picks.get(agent);
  if (!pick) {
    const journaled = journaledPick(ctx.events, agent);
    pick = journaled ? Promise.resolve(journaled) : choose(ctx, agent);
    picks.set(agent, pick);
  }
  return pick;
}

/** The record a run reads and writes: the host's (the pool's database), else the repository's file on this machine. */
export function recordOf(ctx: RunContext): RunnerRecord {
  return ctx.opts.runnerRecord ?? fileRecord(ctx.home);
}

async function choose(ctx: RunContext, layer: string): Promise<LayerPick> {
  const { candidates, skipped } = await autoCandidates(ctx.config, layer, {
    cwd: ctx.workspace,
    trusted: ctx.host.isTrusted(),
  });
  for (const line of skipped) ctx.warn(`${layer}: runner auto skips ${line}`);
  if (candidates.length === 0)
    throw new ConfigurationError(
      `${layer}: runner auto has no candidate that can run here (attemptRunners in .claude/orchestrator.yaml): install or sign in one of them, or name the layer's runner`,
    );
  let record: Awaited<ReturnType<RunnerRecord['read']>> = [];
  try {
    record = await recordOf(ctx).read({ layer });
  } catch (error) {
    ctx.warn(
      `${layer}: runner auto could not read the runners' record (${error instanceof Error ? error.message : String(error)}); choosing as if it were empty`,
    );
  }
  const { pick, choice } = chooseAuto(candidates, record, ctx.runId, layer);
  return { ...pick, choice };
}

/** The choice a run journaled for `layer` (its latest agent.started with one), which a resume keeps. */
function journaledPick(events: readonly StateEvent[], layer: string): LayerPick | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.type === 'agent.started' && e.agent === layer && e.choice)
      return { runner: (e.runner ?? 'agent') as RunnerName, ...(e.model ? { model: e.model } : {}), choice: e.choice };
  }
  return undefined;
}
