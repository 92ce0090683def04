/**
 * A layer's work as N attempts (docs/attempts.md): from one base, each in its own worktree, in
 * parallel within `limits.concurrency`, each validated and retried within its own limits, as a
 * layer is (layers/runLayer). Each is judged by the evidence its journal holds: its proof tests
 * green, its validation, its retries, its cost and time; one is picked and joins the run, the
 * others stay as refs. No attempt starts once the budget is spent. None passing stops the run
 * with a report naming each attempt.
 */
import { isLayerDone, type StateEvent } from '../../journal';
import { RunCancelled, RunStop, throwIfCancelled } from '../../errors';
import { type LayerJob, runLayer } from '../layers';
import { mostImportant, type RunContext } from '../kernel';
import { layerProofCriteria } from '../proof';
import { attemptContext } from './attemptContext';
import { attemptPick } from './attemptSettings';
import { attemptBase, type AttemptBase, keepAttempt, makeAttemptPlace, removeAttemptPlace } from './attemptPlace';
import { bringInAttempt } from './attemptApply';
import { type JudgedAttempt, pickAttempt } from './attemptPick';
import { attemptsStopped } from './attemptReport';

/** Runs `job`'s layer as `of` attempts and brings the picked one into the run. */
export async function runLayerAttempts(ctx: RunContext, job: LayerJob, of: number): Promise<void> {
  const { layer } = job;
  job.onStep?.('agent');
  let cleanup: Promise<unknown> = Promise.resolve();
  try {
    if (isLayerDone(ctx.state(), layer)) return;
    // Killed after the pick: the same attempt joins the run, nothing runs again.
    let picked = pendingPick(ctx.events, layer);
    if (picked === undefined) {
      // The base is the work tree as it is now, taken beside the checkpoint (it writes nothing); the
      // attempts' agents still wait for the checkpoint before they write, as every agent does.
      const base = await attemptBase(ctx, layer);
      const proofCriteria = await layerProofCriteria(ctx, layer);
      // Worktrees go once every attempt is judged, beside the pick: nobody waits for their removal.
      const removals: Promise<void>[] = [];
      const settled = await Promise.allSettled(
        Array.from({ length: of }, (_, i) =>
          ctx.limit(() => oneAttempt(ctx, job, base, i + 1, of, proofCriteria, removals)),
        ),
      );
      cleanup = Promise.allSettled(removals);
      const failures = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
      if (failures.length > 0) throw mostImportant(failures);
      const judged = settled.flatMap((s) => (s.status === 'fulfilled' && s.value ? [s.value] : []));
      const pick = pickAttempt(judged);
      if (!pick) throw attemptsStopped(ctx, layer, judged, of);
      const ran = judged.length < of ? `; ${judged.length} of ${of} attempts ran, the budget allowed no more` : '';
      ctx.emit({ type: 'attempt.picked', layer, k: pick.k, why: pick.why + ran, by: 'judged' });
      picked = pick.k;
    }
    job.onStep?.('validate');
    await bringInAttempt(ctx, layer, picked);
  } finally {
    await cleanup;
    job.onStep?.('done');
    job.cacheTurns?.release(layer);
  }
}

const CAPS = { usd: 'limits.maxBudgetUsd', requests: 'limits.maxRequests', shared: 'the shared budget' } as const;

/** Attempt `k`: undefined when the budget let it not start. A cancellation is rethrown; any other end is its verdict. */
async function oneAttempt(
  ctx: RunContext,
  job: LayerJob,
  base: AttemptBase,
  k: number,
  of: number,
  proofCriteria: readonly string[],
  removals: Promise<void>[],
): Promise<JudgedAttempt | undefined> {
  const { layer } = job;
  throwIfCancelled(ctx.signal);
  if (!ctx.budget.canStart()) {
    ctx.emit({ type: 'attempt.skipped', layer, k, reason: `the budget is spent (${CAPS[ctx.budget.exhausted()!]})` });
    return undefined;
  }
  const pick = attemptPick(ctx, layer, k, job.pick);
  // Our agent's model when the pick names none: the layer's (a CLI agent's own default is its to say).
  const model = pick.model ?? (pick.runner === 'agent' ? job.brief.model : undefined);
  const started = Date.now();
  ctx.emit({ type: 'attempt.started', layer, k, of, runner: pick.runner, ...(model ? { model } : {}) });
  const place = await makeAttemptPlace(ctx, base, layer, k);
  const attempt = attemptContext(ctx, layer, k, place);
  const since = attempt.ctx.events.length;
  let error: string | undefined;
  let cancelled: RunCancelled | undefined;
  try {
    await runLayer(attempt.ctx, {
      layer,
      mode: job.mode,
      brief: job.brief,
      resume: false,
      sinceSeq: ctx.events.at(-1)?.seq ?? 0,
      pick,
    });
  } catch (caught) {
    if (caught instanceof RunCancelled) cancelled = caught;
    else error = caught instanceof RunStop ? caught.message : String((caught as Error)?.message ?? caught);
  } finally {
    attempt.journal.close();
  }
  const finishedAt = Date.now();
  try {
    // Cancelled: nothing to judge or keep (a resume tries again); its worktree goes all the same.
    if (cancelled) throw cancelled;
    const kept = await keepAttempt(ctx, base, place, layer, k);
    const own = attempt.ctx.events.slice(since);
    const judged: JudgedAttempt = {
      k,
      runner: pick.runner,
      ...(model ? { model } : {}),
      ...evidence(own, layer, proofCriteria),
      validate: error === undefined ? 'passed' : 'failed',
      durationMs: finishedAt - started,
      finishedAt,
      ref: kept.ref,
      diff: kept.diff,
      ...(error !== undefined ? { error } : {}),
    };
    ctx.emit({
      type: 'attempt.judged',
      layer,
      k,
      proofGreen: judged.proofGreen,
      proofTotal: judged.proofTotal,
      validate: judged.validate,
      retries: judged.retries,
      costUsd: judged.costUsd,
      durationMs: judged.durationMs,
      ref: kept.ref,
      diff: kept.diff,
      ...(error !== undefined ? { error } : {}),
    });
    return judged;
  } finally {
    removals.push(
      removeAttemptPlace(base, place).catch((error: unknown) =>
        ctx.warn(
          `attempt ${k}'s worktree ${place.worktree} was not removed (orchestrator gc removes it): ${(error as Error).message}`,
        ),
      ),
    );
  }
}

/** What an attempt's own events show: its retries, its spend, and the criteria whose proof tests it last ran green. */
function evidence(
  events: readonly StateEvent[],
  layer: string,
  proofCriteria: readonly string[],
): Pick<JudgedAttempt, 'proofGreen' | 'proofTotal' | 'retries' | 'costUsd'> {
  const green = new Map<string, boolean>();
  let retries = 0;
  let costUsd = 0;
  for (const e of events) {
    if (e.type === 'retry' && e.layer === layer) retries++;
    else if (e.type === 'llm.usage') costUsd += e.costUsd;
    else if (e.type === 'proof.green') green.set(e.criterion, e.green === 'passed');
  }
  return {
    proofGreen: proofCriteria.filter((c) => green.get(c) === true).length,
    proofTotal: proofCriteria.length,
    retries,
    costUsd,
  };
}

/** The attempt picked for `layer` whose work has not joined the run yet (the run was killed in between). */
function pendingPick(events: readonly StateEvent[], layer: string): number | undefined {
  let pending: number | undefined;
  for (const e of events) {
    if (e.type === 'attempt.picked' && e.layer === layer) pending = e.k;
    else if (e.type === 'attempt.started' && e.layer === layer) pending = undefined;
    else if (pending !== undefined && e.type === 'agent.started' && e.agent === layer) pending = undefined;
  }
  return pending;
}
