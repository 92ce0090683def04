/**
 * The runners' record (issue 47, docs/runners.md "The record"): what each layer's agent achieved
 * in one run, read from the run's journal. One outcome per layer's work, or per attempt when the
 * layer ran attempts (attempt.started names its runner and model, attempt.judged the rest; the
 * picked attempt's own agent events, copied into the run's journal, are not counted again).
 * Pure: the run's end writes these (runners/record), `runner: auto` and `runners stats` read them.
 */
import { isLayerMode } from './meaning';
import type { EngineEvent } from '../events';
import type { EventOf } from './words';

export interface RunnerOutcome {
  runId: string;
  layer: string;
  /** 0: the layer's own work; k: its attempt k. With runId and layer, the outcome's key. */
  attempt: number;
  runner: string;
  /** The model it ran on; absent: a CLI agent on its own default. */
  model?: string;
  /** Its first validation passed (no retry). */
  firstTry: boolean;
  retries: number;
  /** Its criteria's proof tests green after its validations, of those run (0/0: no proof). */
  proofGreen: number;
  proofTotal: number;
  /** The review's verdict on its work: rejected when the review sent it back; absent without a review. */
  review?: 'approved' | 'rejected';
  costUsd: number;
  durationMs: number;
  /** When its work started (ISO 8601): `runners stats --since` reads it. */
  at: string;
}

type Timed = EngineEvent & { ts?: string };

/** Every layer's outcome in a run's journal: layers whose agent ran and whose work was validated at least once. */
export function runnerOutcomes(runId: string, events: readonly Timed[]): RunnerOutcome[] {
  const attempted = new Set(events.flatMap((e) => (e.type === 'attempt.started' ? [e.layer] : [])));
  const review = reviewOf(events);
  const layers: string[] = [];
  for (const e of events)
    if (e.type === 'agent.started' && isLayerMode(e.mode) && !attempted.has(e.agent) && !layers.includes(e.agent))
      layers.push(e.agent);
  const own = layers.flatMap((layer) => {
    const outcome = layerOutcome(runId, layer, events, review(layer));
    return outcome ? [outcome] : [];
  });
  return [...own, ...attemptOutcomes(runId, events, review)];
}

function layerOutcome(
  runId: string,
  layer: string,
  events: readonly Timed[],
  review: RunnerOutcome['review'],
): RunnerOutcome | undefined {
  const started = events.find(
    (e): e is Timed & EventOf<'agent.started'> =>
      e.type === 'agent.started' && e.agent === layer && isLayerMode(e.mode),
  );
  // `external` hands the work to someone else: nothing of a runner to record.
  if (!started || started.runner === 'external') return undefined;
  const results = events.filter(
    (e) => (e.type === 'validation.passed' || e.type === 'validation.failed') && e.layer === layer,
  );
  if (results.length === 0) return undefined;
  const green = new Map<string, boolean>();
  for (const e of events)
    if (e.type === 'proof.green' && e.layer === layer) green.set(e.criterion, e.green === 'passed');
  return {
    runId,
    layer,
    attempt: 0,
    runner: started.runner ?? 'agent',
    ...(started.model ? { model: started.model } : {}),
    firstTry: results[0]!.type === 'validation.passed',
    retries: events.filter((e) => e.type === 'retry' && e.layer === layer).length,
    proofGreen: [...green.values()].filter(Boolean).length,
    proofTotal: green.size,
    ...(review ? { review } : {}),
    costUsd: events.reduce((sum, e) => sum + (e.type === 'llm.usage' && e.agent === layer ? e.costUsd : 0), 0),
    durationMs: between(started.ts, results.at(-1)!.ts),
    at: started.ts ?? '',
  };
}

function attemptOutcomes(
  runId: string,
  events: readonly Timed[],
  review: (layer: string) => RunnerOutcome['review'],
): RunnerOutcome[] {
  const picked = new Map(events.flatMap((e) => (e.type === 'attempt.picked' ? [[e.layer, e.k] as const] : [])));
  return events.flatMap((e) => {
    if (e.type !== 'attempt.judged') return [];
    const started = events.find(
      (s): s is Timed & EventOf<'attempt.started'> =>
        s.type === 'attempt.started' && s.layer === e.layer && s.k === e.k,
    );
    if (!started) return [];
    const verdict = picked.get(e.layer) === e.k ? review(e.layer) : undefined;
    return [
      {
        runId,
        layer: e.layer,
        attempt: e.k,
        runner: started.runner,
        ...(started.model ? { model: started.model } : {}),
        firstTry: e.validate === 'passed' && e.retries === 0,
        retries: e.retries,
        proofGreen: e.proofGreen,
        proofTotal: e.proofTotal,
        ...(verdict ? { review: verdict } : {}),
        costUsd: e.costUsd,
        durationMs: e.durationMs,
        at: started.ts ?? '',
      },
    ];
  });
}

/**
 * The review's verdict on a layer: rejected when a rejection sent it back (its review-fix agent
 * started), else the run's last verdict; absent when no review ran.
 */
function reviewOf(events: readonly Timed[]): (layer: string) => RunnerOutcome['review'] {
  const verdicts = events.filter((e) => e.type === 'review.verdict');
  const last = verdicts.at(-1);
  const sentBack = new Set(
    events.flatMap((e) => (e.type === 'agent.started' && e.mode === 'review-fix' ? [e.agent] : [])),
  );
  return (layer) =>
    !last ? undefined : sentBack.has(layer) ? 'rejected' : last.type === 'review.verdict' ? last.verdict : undefined;
}

function between(from: string | undefined, to: string | undefined): number {
  const ms = Date.parse(to ?? '') - Date.parse(from ?? '');
  return Number.isFinite(ms) && ms > 0 ? ms : 0;
}
