/**
 * Pooled runs waiting for a person: at the spec's gate (issue 28), or at a workflow phase's human
 * gate (issue 29). A worker answers a phase's gate as it answers the spec's (saved for later
 * without `--approve`), so the run waits in the database
 * holding no worker. Which gate, and which question of it, the run's mirrored journal says; the
 * phase's documents are what the run stored at the gate (its request's markdown). Approving it
 * (`approvePooledSpec`) queues it again with that gate's approval only (`flags.approval`) for
 * any free worker, which journals `phase.approved` and goes on; a later gate asks again.
 */
import * as engine from '../core/engineBundle';
import type { PoolStore } from './poolStore';
import type { PoolRun } from './types';

/** A pooled run waiting for a person, at the spec's gate or at a workflow phase's. */
export interface PooledWait {
  run: PoolRun;
  /** The mirrored journal's last seq when read: an approval given on this read holds only while it still is. */
  journalEnd: number;
  /** The phase whose human gate it waits at; absent: the spec's gate. */
  gate?: {
    phase: string;
    /** The mirrored journal's seq of the gate's question (`phase.awaiting`, else `phase.saved`). */
    asked: number;
    /** The phase's documents, workspace-relative. */
    documents: string[];
  };
}

export async function pooledWaitsOf(store: PoolStore, runs: readonly PoolRun[]): Promise<PooledWait[]> {
  return Promise.all(
    runs.map(async (run): Promise<PooledWait> => {
      const events = await store.events(run.runId);
      const journalEnd = events.at(-1)?.seq ?? 0;
      const phase = engine.rebuildState(events as never).waitingGate;
      if (phase === undefined) return { run, journalEnd };
      const ofPhase = events.filter((event) => event.phase === phase);
      const question =
        ofPhase.filter((event) => event.type === 'phase.awaiting').at(-1) ??
        ofPhase.filter((event) => event.type === 'phase.saved').at(-1);
      const documents = Array.isArray(question?.documents)
        ? question.documents.filter((d): d is string => typeof d === 'string')
        : [];
      return { run, journalEnd, gate: { phase, asked: question?.seq ?? 0, documents } };
    }),
  );
}
