/** Where the pool is: the database (`queue.url` or ORCHESTRATOR_QUEUE_URL), the lease, a worker's folder. */
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type { OrchestratorConfig } from '../core/project/config';
import { redactUrl } from '../core/queue/pgStore';

/** A worker's lease when `queue.leaseSec` is not set (docs/pool.md "Settings"). */
export const POOL_LEASE_SEC = 60;

/** The pool is not set up (no PostgreSQL URL): a configuration error, exit 2. */
export class PoolSetupError extends Error {
  readonly code = 'E_CONFIG';
}

export function poolUrl(config: OrchestratorConfig): string | undefined {
  return config.queue.url ?? (process.env.ORCHESTRATOR_QUEUE_URL || undefined);
}

export function poolSettings(config: OrchestratorConfig): { url: string; shownUrl: string; leaseSec: number } {
  const url = poolUrl(config);
  if (!url)
    throw new PoolSetupError(
      'the pool needs PostgreSQL: set queue.url in .claude/orchestrator.yaml or ORCHESTRATOR_QUEUE_URL',
    );
  if (!/^postgres(ql)?:\/\//.test(url))
    throw new PoolSetupError(
      `the pool runs on PostgreSQL: queue.url must be a postgres:// URL (got ${redactUrl(url)})`,
    );
  return { url, shownUrl: redactUrl(url), leaseSec: config.queue.leaseSec ?? POOL_LEASE_SEC };
}

/** Workers' clones and worktrees when `pool.dir` is not set: the per-user cache, as run worktrees. */
export function defaultPoolRoot(env: NodeJS.ProcessEnv = process.env): string {
  const cache = env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : join(homedir(), '.cache');
  return join(cache, 'orchestrator', 'pool');
}
