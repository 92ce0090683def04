/**
 * What a pull request says of its run (issue 39), from the run's journal (a local run's file, a
 * pooled run's mirror in the database): its last traceability matrix (`trace.updated`, made at
 * COMPLETE), the runners its agents used, and a line per layer tried in attempts (issue 47).
 */
import * as engine from '../core/engineBundle';
import type { UncheckedLayer } from '../core/errors';
import type { EngineEvent } from '../core/events';
import type { LayerAttempts } from '../core/engine';
import type { TraceMatrix } from '../core/traceMatrix';
import type { GithubClient } from './client';
import { pullBody, specSummary } from './comments';
import type { GithubStore, IssueLink } from './store';

export interface RunFacts {
  matrix?: TraceMatrix;
  runners: string[];
  /** `backend: 3 attempts, kept 2 — fewest retries (0, attempt 1: 1)`: plain text. */
  attempts: string[];
  /** Issue 70: what no proof test and no validate command checked, when the run accepted it. */
  unchecked?: UncheckedLayer[];
}

export function whatTheRunDid(events: readonly { type: string; [key: string]: unknown }[]): RunFacts {
  const runners = new Set<string>();
  let matrix: TraceMatrix | undefined;
  let attempts: LayerAttempts[] = [];
  let unchecked: RunFacts['unchecked'];
  for (const event of events) {
    const { agentStarted, trace, attempt, unchecked: seen } = engine.meaningOf(event as unknown as EngineEvent);
    if (seen) unchecked = seen.layers.map((l) => ({ ...l }));
    if (agentStarted) runners.add(typeof agentStarted.runner === 'string' ? agentStarted.runner : 'agent');
    if (trace) matrix = trace;
    if (attempt) attempts = engine.attemptsAfter(attempts, attempt);
  }
  return {
    ...(matrix ? { matrix } : {}),
    runners: [...runners],
    attempts: attempts.map(engine.attemptsLine),
    ...(unchecked?.length ? { unchecked } : {}),
  };
}

/**
 * The pull request of a completed run's branch, for a run of this serve and a pooled one alike:
 * the one open from that branch when there is one (serve stopped after GitHub opened it), else a
 * new one saying what the run did; remembered on the issue's link.
 */
export async function pullOfRun(
  client: GithubClient,
  store: GithubStore,
  link: IssueLink,
  run: {
    runId: string;
    branch: string;
    base: string;
    matrix: TraceMatrix;
    runners: string[];
    attempts: string[];
    unchecked?: RunFacts['unchecked'];
    spec: string;
    costUsd: number;
  },
): Promise<NonNullable<IssueLink['pull']>> {
  const body = pullBody({
    issue: link.issue,
    runId: run.runId,
    matrix: run.matrix,
    summary: specSummary(run.spec),
    costUsd: run.costUsd,
    runners: run.runners,
    attempts: run.attempts,
    ...(run.unchecked ? { unchecked: run.unchecked } : {}),
  });
  const pull =
    (await client.findPull(run.branch)) ??
    (await client.openPull({ title: run.matrix.title, head: run.branch, base: run.base, body }));
  link.pull = pull;
  store.put(link);
  return pull;
}
