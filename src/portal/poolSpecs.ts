/**
 * Pooled specs at the gate in the portal (issue 28): a pooled run that wrote its spec waits in the
 * pool's database holding no worker; the Specs page lists it beside the workspace's own specs, and
 * a supervisor's or admin's approval (or changes asked of it) queues it again for any free worker (no model call here).
 * A pooled run waiting at a workflow phase's gate (issue 29) is listed with the phase gates instead.
 * The pool's bundle (dist/pool.js, with its PostgreSQL client) is loaded only when a pool is configured.
 */
import type { QueueService } from '../core/queue';
import type { PortalConfirmation, PortalGate, PortalSpec } from '../shared/portalApi';
import { hasPool, poolBundle } from './poolBoard';

/** A pooled spec as the Specs page shows it: which pool run waits on it, and its journal's end when read (an approval holds only while it still is). */
export type PooledGateSpec = PortalSpec & Required<Pick<PortalSpec, 'pool'>>;

export async function pooledSpecs(queue: QueueService): Promise<PooledGateSpec[]> {
  if (!hasPool(queue)) return [];
  return (await poolBundle().pooledWaiting(queue.workspace))
    .filter(({ run, gate }) => run.specId && !gate)
    .map(({ run, journalEnd }) => ({
      id: run.specId!,
      title: /^title:\s*["']?(.+?)["']?\s*$/m.exec(run.spec?.markdown ?? '')?.[1] ?? run.request,
      kind: run.kind === 'bugfix' ? 'bugfix' : 'feature',
      status: 'awaiting-approval',
      path: run.spec?.path ?? '',
      created: run.createdAt,
      markdown: run.spec?.markdown ?? '',
      pool: { runId: run.runId, journalEnd },
    }));
}

/** Pooled runs at a workflow phase's gate: the documents are those the run stored at the gate (each under its `<!-- document: path -->` line). */
export async function pooledGates(queue: QueueService): Promise<PortalGate[]> {
  if (!hasPool(queue)) return [];
  return (await poolBundle().pooledWaiting(queue.workspace)).flatMap(({ run, journalEnd, gate }) =>
    gate && run.specId
      ? [
          {
            runId: run.runId,
            specId: run.specId,
            phase: gate.phase,
            request: run.request,
            ...(run.flags.workflow ? { workflow: run.flags.workflow } : {}),
            state: 'pooled' as const,
            asked: gate.asked,
            journalEnd,
            at: run.updatedAt,
            documents: splitDocuments(run.spec?.markdown ?? '', gate.documents),
          },
        ]
      : [],
  );
}

/** What an approval in the portal carries: the journal's end as read, the run's attempts per layer when given (docs/attempts.md), who approved. */
export interface PortalApproval {
  journalEnd?: number;
  attempts?: number;
  by?: string;
}

/** Approves a pooled spec: its run is queued again with --approve (and `attempts` in its flags); undefined when no pooled run waits on it (or, given `journalEnd`, its journal moved on since). */
export async function approvePooled(
  queue: QueueService,
  specId: string,
  approval: PortalApproval = {},
): Promise<string | undefined> {
  if (!hasPool(queue)) return undefined;
  return (await poolBundle().approvePooledSpec(queue.workspace, specId, approval))?.runId;
}

/** Changes asked of a pooled spec: its run is queued again for its spec agent to write it again; undefined as for approvePooled. */
export async function changePooled(
  queue: QueueService,
  specId: string,
  changes: { feedback: string; by: string },
  journalEnd?: number,
): Promise<string | undefined> {
  if (!hasPool(queue)) return undefined;
  return (
    await poolBundle().requestPooledChanges(
      queue.workspace,
      specId,
      changes,
      journalEnd !== undefined ? { journalEnd } : {},
    )
  )?.runId;
}

/** Pooled runs' confirmations waiting for a person (poolConfirmations.ts), as the gates list them. */
export async function pooledConfirmations(queue: QueueService): Promise<PortalConfirmation[]> {
  if (!hasPool(queue)) return [];
  return (await poolBundle().pooledConfirmations(queue.workspace)).map((c) => ({
    runId: c.runId,
    request: c.request,
    ...(c.specId ? { specId: c.specId } : {}),
    since: c.since,
    ...c.asked,
  }));
}

/** A supervisor's or admin's answer to one: false when that question no longer waits (answered, or asked anew). */
export async function decidePooledConfirmation(
  queue: QueueService,
  runId: string,
  since: string,
  allowed: boolean,
  by: string,
): Promise<boolean> {
  return hasPool(queue) && poolBundle().decidePooledConfirmation(queue.workspace, runId, since, allowed, by);
}

/** The Pool page's Stop: the run stopped in the pool, queued, waiting or running (its worker stops its agents); undefined when it had ended. */
export async function cancelPooled(queue: QueueService, runId: string, by: string): Promise<string | undefined> {
  if (!hasPool(queue)) return undefined;
  return (await poolBundle().cancelPooledRun(queue.workspace, runId, `cancelled by ${by} in the portal`))?.was;
}

function splitDocuments(markdown: string, paths: readonly string[]): { path: string; markdown: string }[] {
  const parts = markdown.split(/^<!-- document: (.+?) -->\n/m);
  const found = new Map<string, string>();
  for (let i = 1; i + 1 < parts.length; i += 2) found.set(parts[i]!, parts[i + 1]!.replace(/\n\n$/, '\n'));
  return paths.map((path) => ({ path, markdown: found.get(path) ?? '(not stored)' }));
}
