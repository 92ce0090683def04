/** The statements the pool store shares between its methods (poolStore.ts): claims, announcements, the mirrored journal's end. */

export const CHANNEL = 'orchestrator_pool';
/** Serializes claims only when a cap on runs at once must be counted (limits.poolMaxConcurrentRuns). */
export const CLAIM_LOCK = 804_029;
export const TODAY = `(now() AT TIME ZONE 'UTC')::date`;
/** Runs a worker may take ($1 its labels, $2 its repository): queued, or running under a lapsed lease. */
export const CANDIDATE = `SELECT run_id FROM pool_runs WHERE (status = 'queued' OR (status = 'running' AND lease_until < now()))
  AND labels <@ $1::text[] AND ($2::text IS NULL OR remote = $2)`;
/** Takes a run for the worker named by parameter `worker` under a lease of parameter `lease` seconds. */
export const take = (
  worker: string,
  lease: string,
): string => `UPDATE pool_runs r SET status = 'running', worker = ${worker},
  lease_until = now() + make_interval(secs => ${lease}), attempts = r.attempts + 1, reason = NULL, updated_at = clock_timestamp()`;

/**
 * A changed row's announcement, made by the statement that changed it (in its RETURNING): one
 * round trip instead of two, and sent at its commit like any NOTIFY. The payload is a PoolChange.
 */
export const announced = (
  row = '',
): string => `pg_notify('${CHANNEL}', json_strip_nulls(json_build_object('runId', ${row}run_id, 'status', ${row}status,
  'costUsd', ${row}cost_usd, 'phase', NULLIF(${row}phase, ''), 'wave', NULLIF(${row}wave, ''), 'worker', NULLIF(${row}worker, '')))::text) AS announced`;

/** For a row `r` of pool_runs at `awaiting-approval`: waiting at a gate, not set aside on a confirmation (poolConfirmations.ts). */
export const NO_CONFIRMATION =
  'NOT EXISTS (SELECT 1 FROM pool_confirmations c WHERE c.run_id = r.run_id AND c.allowed IS NULL)';
/** The last seq of a pooled run's mirrored journal (0 when empty), for a row `r` of pool_runs. */
export const LAST_SEQ = 'COALESCE((SELECT max(seq) FROM pool_events e WHERE e.run_id = r.run_id), 0)';
/** Inserts the JSON array of entries given by parameter `entries` after the journal's end (`last`) of the run in CTE `from`, each with its seq. */
export const NOTES_INSERT = (from: string, entries: string): string => `INSERT INTO pool_events (run_id, seq, entry)
  SELECT ${from}.run_id, ${from}.last + n.ord, n.entry || jsonb_build_object('seq', ${from}.last + n.ord) FROM ${from}, jsonb_array_elements(${entries}::jsonb) WITH ORDINALITY AS n(entry, ord)`;
