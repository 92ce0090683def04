/**
 * Pooled specs at the gate in the portal (issue 28): a pooled run that wrote its spec waits in the
 * pool's database holding no worker; the Specs page lists it beside the workspace's own specs, and
 * a supervisor's or admin's approval queues it again for any free worker (no model call here).
 * The pool's bundle (dist/pool.js, with its PostgreSQL client) is loaded only when a pool is configured.
 */
import type { GateSpec } from '../core/engine';
import type { QueueService } from '../core/queue/queueService';
import { hasPool, poolBundle } from './poolBoard';

/** A pooled spec as the Specs page shows it: which pool run waits on it. */
export type PooledGateSpec = GateSpec & { pool: { runId: string } };

export async function pooledSpecs(queue: QueueService): Promise<PooledGateSpec[]> {
  if (!hasPool(queue)) return [];
  return (await poolBundle().pooledSpecsWaiting(queue.workspace)).filter((run) => run.specId).map((run) => ({
    id: run.specId!, title: /^title:\s*["']?(.+?)["']?\s*$/m.exec(run.spec?.markdown ?? '')?.[1] ?? run.request, kind: run.kind === 'bugfix' ? 'bugfix' : 'feature',
    status: 'awaiting-approval', path: run.spec?.path ?? '', created: run.createdAt, markdown: run.spec?.markdown ?? '', pool: { runId: run.runId },
  }));
}

/** Approves a pooled spec: its run is queued again with --approve; undefined when no pooled run waits on it. */
export async function approvePooled(queue: QueueService, specId: string): Promise<string | undefined> {
  if (!hasPool(queue)) return undefined;
  return (await poolBundle().approvePooledSpec(queue.workspace, specId))?.runId;
}
