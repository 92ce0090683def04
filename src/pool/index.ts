/**
 * The pool of workers (issue 28, docs/pool.md): a host of the engine, as
 * the portal is, and its one door. dist/pool.js, loaded by the CLI only for `worker`, `--pool`,
 * `runs --pool` and the approval of pooled specs; hosts (the portal, VS Code) call these too, and
 * follow the pool live with `followPool`.
 */
import { engine, loadConfig, type RunnerStatsRow } from '../core/engineBundle';
import type { JournalEntry } from '../core/journal';
import { pooledWaitsOf, type PooledWait } from './poolGates';
import { PoolStore, type ApprovalFlags, type GateExtra, type MirroredEntry, type NoteEntry } from './poolStore';
import { poolSettings } from './settings';
import { viewOf, type PoolChange, type PoolRun, type PoolRunView } from './types';
import { remoteKey, remoteUrl } from './poolGit';

export { dispatchFollowUp, dispatchToPool, type DispatchInput } from './dispatch';
export { applyPooledRun } from './poolApply';
export { pooledBranches, type PooledBranches } from './poolQueue';
export { followPool, type PoolFollower } from './board';
export { runWorker, type WorkerOptions } from './worker';
export { PoolSetupError } from './settings';
export type { PooledWait } from './poolGates';
export type { MirroredEntry, NoteEntry } from './poolStore';
export type { PoolBoard, PoolBoardRun, PoolChange, PoolFollowUp, PoolRun, PoolRunView } from './types';
export { poolRefs } from './types';

async function withStore<T>(workspace: string, work: (store: PoolStore) => Promise<T>): Promise<T> {
  const store = await PoolStore.open(poolSettings(await loadConfig(workspace)).url, 1);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** `runs --pool`: every run of the pool, oldest first. */
export async function listPoolRuns(workspace: string): Promise<PoolRunView[]> {
  return withStore(workspace, async (store) => (await store.list()).map(viewOf));
}

/** Pooled specs waiting at the gate (for `specs`, the portal, the sidebar). */
export async function pooledSpecsWaiting(workspace: string): Promise<PoolRun[]> {
  return withStore(workspace, (store) => store.atGates());
}

/** Pooled runs waiting for a person (the portal): at the spec's gate, or at a phase's with its question; each with its journal's end as read. */
export async function pooledWaiting(workspace: string): Promise<PooledWait[]> {
  return withStore(workspace, async (store) => pooledWaitsOf(store, await store.atGates()));
}

/**
 * `approve <specId>` of a pooled run waiting at the gate, from any clone (no model call here):
 * the run is queued again with `--approve` (and `--allow-untested`, `--attempts N` when given), for any free worker. Undefined when no pooled run waits with that spec.
 */
export async function approvePooledSpec(
  workspace: string,
  specId: string,
  extra: GateExtra & ApprovalFlags = {},
): Promise<PoolRun | undefined> {
  return withStore(workspace, (store) => store.approve(specId, extra));
}

/**
 * Changes asked of a pooled spec at the gate (`/changes <what>` on its issue): the run is queued
 * again for any free worker, whose spec agent writes the spec again with the feedback; then it
 * waits at the gate again. Undefined when no pooled run waits with that spec (or, given
 * `journalEnd`, its journal moved on since it was read).
 */
export async function requestPooledChanges(
  workspace: string,
  specId: string,
  changes: { feedback: string; by: string },
  extra: GateExtra = {},
): Promise<PoolRun | undefined> {
  return withStore(workspace, (store) => store.requestChanges(specId, changes, extra));
}

/**
 * Stops a pooled run, queued, at a gate or running (`reason`: who stopped it): a worker running it
 * stops its agents and pushes nothing more. Undefined when it had ended already.
 */
export async function cancelPooledRun(
  workspace: string,
  runId: string,
  reason: string,
): Promise<{ was: PoolRun['status']; run: PoolRun } | undefined> {
  return withStore(workspace, (store) => store.cancel(runId, reason));
}

/** Confirmations of pooled runs waiting for a person (the portal): the question, since when, the run's request. */
export async function pooledConfirmations(
  workspace: string,
): Promise<Awaited<ReturnType<PoolStore['confirmations']['waiting']>>> {
  return withStore(workspace, (store) => store.confirmations.waiting());
}

/** A person's answer to a pooled run's confirmation asked `since`: false when that question is no longer waiting. */
export async function decidePooledConfirmation(
  workspace: string,
  runId: string,
  since: string,
  allowed: boolean,
  by: string,
): Promise<boolean> {
  return withStore(workspace, async (store) => {
    const decided = await store.confirmations.decide(runId, since, allowed, by);
    const run = decided ? await store.get(runId) : undefined;
    // Every open page re-reads (LISTEN/NOTIFY); the waiting worker reads the answer itself.
    if (run) await store.announce({ runId, status: run.status });
    return decided;
  });
}

/** Entries a channel adds to a pooled run's journal while no worker writes it; the journal's new end, or undefined (a worker may be writing it: later). */
export async function notePooledRun(
  workspace: string,
  runId: string,
  entries: readonly NoteEntry[],
): Promise<number | undefined> {
  return withStore(workspace, (store) => store.note(runId, entries));
}

/** A pooled run's journal as its workers mirrored it (the GitHub channel reads its matrix and runners). */
export async function pooledEvents(workspace: string, runId: string): Promise<MirroredEntry[]> {
  return withStore(workspace, (store) => store.events(runId));
}

/**
 * `events <runId>` of a pooled run: its journal as its workers mirrored it, in the lines of a
 * local run's (engine.runEvents). Undefined when the pool has no such run.
 */
export async function pooledEventLines(
  workspace: string,
  runId: string,
  format: 'cloudevents' | 'journal',
): Promise<string[] | undefined> {
  return withStore(workspace, async (store) => {
    if (!(await store.get(runId))) return undefined;
    return await engine.journalEvents(
      workspace,
      runId,
      (await store.events(runId)) as unknown as JournalEntry[],
      format,
    );
  });
}

/** `runners stats --pool`: the team's runners' record of this repository (issue 47), as the pool's database holds it. */
export async function poolRunnersStats(
  workspace: string,
  filter: Parameters<typeof engine.runnersStats>[1],
): Promise<RunnerStatsRow[]> {
  const config = await loadConfig(workspace);
  const repository = remoteKey(await remoteUrl(workspace, config.pool.remote));
  return withStore(workspace, (store) => engine.runnersStats(workspace, filter, store.runnerRecord(repository)));
}

/** The team's remote of a checkout (`pool.remote`, default origin), as dispatch and workers use it. */
export { remoteUrl as poolRemoteUrl } from './poolGit';

/** One pooled run, as the database holds it. */
export async function pooledRun(workspace: string, runId: string): Promise<PoolRun | undefined> {
  return withStore(workspace, (store) => store.get(runId));
}

/** Every change of the pool as it happens (LISTEN/NOTIFY, no polling); returns the stop. `onReconnect`: re-read then. */
export async function watchPool(
  workspace: string,
  listener: (change: PoolChange) => void,
  onReconnect?: () => void,
): Promise<() => Promise<void>> {
  const store = await PoolStore.open(poolSettings(await loadConfig(workspace)).url, 1);
  const stop = await store.watch(listener, onReconnect);
  return async () => {
    await stop();
    await store.close();
  };
}
