/**
 * What a pull request says of its run (issue 39), from the run's journal (a local run's file, a
 * pooled run's mirror in the database): its last traceability matrix (`trace.updated`, made at
 * COMPLETE) and the runners its agents used.
 */
import type { TraceMatrix } from '../core/trace/matrixTypes';

export function whatTheRunDid(events: readonly { type: string; [key: string]: unknown }[]): { matrix?: TraceMatrix; runners: string[] } {
  const runners = new Set<string>();
  let matrix: TraceMatrix | undefined;
  for (const event of events) {
    if (event.type === 'agent.started') runners.add(typeof event.runner === 'string' ? event.runner : 'agent');
    if (event.type === 'trace.updated') matrix = event.matrix as TraceMatrix;
  }
  return { ...(matrix ? { matrix } : {}), runners: [...runners] };
}
