/**
 * What a pull request says of its run (issue 39), from the run's journal (a local run's file, a
 * pooled run's mirror in the database): its last traceability matrix (`trace.updated`, made at
 * COMPLETE) and the runners its agents used.
 */
import * as engine from '../core/engineBundle';
import type { EngineEvent } from '../core/events';
import type { TraceMatrix } from '../core/traceMatrix';
import type { GithubClient } from './client';
import { pullBody, specSummary } from './comments';
import type { GithubStore, IssueLink } from './store';

export function whatTheRunDid(events: readonly { type: string; [key: string]: unknown }[]): { matrix?: TraceMatrix; runners: string[] } {
  const runners = new Set<string>();
  let matrix: TraceMatrix | undefined;
  for (const event of events) {
    const { agentStarted, trace } = engine.meaningOf(event as unknown as EngineEvent);
    if (agentStarted) runners.add(typeof agentStarted.runner === 'string' ? agentStarted.runner : 'agent');
    if (trace) matrix = trace;
  }
  return { ...(matrix ? { matrix } : {}), runners: [...runners] };
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
  run: { runId: string; branch: string; base: string; matrix: TraceMatrix; runners: string[]; spec: string; costUsd: number },
): Promise<NonNullable<IssueLink['pull']>> {
  const body = pullBody({ issue: link.issue, runId: run.runId, matrix: run.matrix, summary: specSummary(run.spec), costUsd: run.costUsd, runners: run.runners });
  const pull = (await client.findPull(run.branch)) ?? (await client.openPull({ title: run.matrix.title, head: run.branch, base: run.base, body }));
  link.pull = pull;
  store.put(link);
  return pull;
}
