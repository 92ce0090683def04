/**
 * The runners' record on the pool's database (issue 47, docs/runners.md "The record"): a pooled
 * run's end writes its layers' outcomes here instead of one worker's data folder, so `runner:
 * auto` on any worker and `runners stats --pool` on any clone read the team's record. One database
 * may serve several repositories: a row is its repository's (remoteKey of the remote). An outcome
 * is a row per repository, run, layer and attempt; a resumed run's end replaces it. Read back
 * through the engine's schema (a row another version wrote that does not check is skipped).
 */
import * as engine from '../core/engineBundle';
import type { RunnerOutcome, RunnerRecord } from '../core/engineBundle';
import type { Query } from './poolConfirmations';

/** Created by the pool's third migration (poolSchema.ts). */
export const RECORD_TABLE = `CREATE TABLE IF NOT EXISTS pool_runner_record (
  repository TEXT NOT NULL, run_id TEXT NOT NULL, layer TEXT NOT NULL, attempt INTEGER NOT NULL, outcome JSONB NOT NULL,
  written_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(), PRIMARY KEY (repository, run_id, layer, attempt))`;

export function poolRecord(query: Query, repository: string): RunnerRecord {
  return {
    async read(filter = {}) {
      const rows = await query(
        'SELECT outcome FROM pool_runner_record WHERE repository = $1 AND ($2::text IS NULL OR layer = $2) ORDER BY written_at, run_id, layer, attempt',
        [repository, filter.layer ?? null],
      );
      return rows.flatMap((row) => {
        const checked = engine.outcomeSchema.safeParse(row.outcome);
        return checked.success ? [checked.data as RunnerOutcome] : [];
      });
    },
    async add(outcomes) {
      if (outcomes.length === 0) return;
      // One statement for the run's outcomes: all kept, or none (the run's end says why).
      await query(
        `INSERT INTO pool_runner_record (repository, run_id, layer, attempt, outcome)
         SELECT $1, o->>'runId', o->>'layer', (o->>'attempt')::int, o FROM jsonb_array_elements($2::jsonb) AS o
         ON CONFLICT (repository, run_id, layer, attempt) DO UPDATE SET outcome = EXCLUDED.outcome, written_at = clock_timestamp()`,
        [repository, JSON.stringify(engine.latestOfEach(outcomes))],
      );
    },
  };
}
