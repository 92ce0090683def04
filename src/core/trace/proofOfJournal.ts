/**
 * A run's proof per criterion for a view that has the run's journal but not its workspace (the
 * portal's page of a pooled run): the criteria of its latest matrix (`trace.updated`, which folds
 * the runs before it on the branch too), each with what this run's own PROVE and GREEN journaled
 * since, else the matrix's proof. Works on the whole journal or on its proof and trace entries only.
 */
import { meaningOf } from '../catalogue';
import type { EngineEvent } from '../events';
import { type TraceProof, UNPROVEN } from '../text/proofWords';
import type { TraceMatrix } from '../traceMatrix';
import { proofOfRun, traceProofOf } from './proofOfRun';

export function proofOfJournal(events: readonly EngineEvent[]): { criterion: string; proof: TraceProof }[] {
  let matrix: TraceMatrix | undefined;
  for (const event of events) matrix = meaningOf(event).trace ?? matrix;
  const own = proofOfRun(events);
  const criteria = [...new Set([...(matrix?.rows.map((row) => row.criterion) ?? []), ...own.keys()])];
  return criteria.map((criterion) => ({
    criterion,
    proof: own.has(criterion)
      ? traceProofOf(own.get(criterion))
      : (matrix?.rows.find((row) => row.criterion === criterion)?.proof ?? { ...UNPROVEN }),
  }));
}
