/**
 * The extension's door to the pool of workers (issue 28): its bundle, loaded only for a workspace
 * with a pool, and whether the workspace has one. Shared by the sidebar's Pool section, dispatch
 * and the chat's run status. No vscode import: the chat's status data is unit-tested on PostgreSQL.
 */
import type * as PoolBundle from '../../pool/index';
import { loadEngine } from '../engine';

export function poolBundle(): typeof PoolBundle {
  // scripts/build.mjs turns this require into `require("./pool.js")` (dist/pool.js, the pool's own bundle).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../../pool/index') as typeof PoolBundle;
}

/** The pool shares the queue's PostgreSQL: `queue.url` (or ORCHESTRATOR_QUEUE_URL) names a postgres:// server. */
export async function hasPool(workspace: string): Promise<boolean> {
  const config = await loadEngine()
    .loadConfig(workspace)
    .catch(() => undefined);
  return /^postgres(ql)?:\/\//.test(config?.queue.url ?? process.env.ORCHESTRATOR_QUEUE_URL ?? '');
}
