/**
 * What the journal says about a run's change requests: which were picked up, approved or
 * declined, and which layers an approved amendment still owes a FIX run (none of their agents
 * started since it was approved: a crash between approval and the re-run). Pure.
 */
import type { StateEvent } from '../../journal';

export interface ApprovedChange {
  changeId: string;
  version: number;
  requirements: string[];
  layers: string[];
  seq: number;
  ts?: string;
  request: string;
}

export interface ChangeFacts {
  /** Ids journaled as `change.requested`. */
  seen: Set<string>;
  approved: ApprovedChange[];
  /** A request picked up but neither approved nor declined yet (the gate was interrupted). */
  open?: { changeId: string; request: string };
}

export function readChangeFacts(events: readonly StateEvent[]): ChangeFacts {
  const facts: ChangeFacts = { seen: new Set(), approved: [] };
  const requests = new Map<string, string>();
  events.forEach((event, index) => {
    if (event.type === 'change.requested') {
      facts.seen.add(event.changeId);
      requests.set(event.changeId, event.request);
      facts.open = { changeId: event.changeId, request: event.request };
    } else if (event.type === 'change.approved') {
      facts.approved.push({
        ...event,
        seq: event.seq ?? index + 1,
        request: requests.get(event.changeId) ?? '',
        ...(event.ts ? { ts: event.ts } : {}),
      });
      if (facts.open?.changeId === event.changeId) delete facts.open;
    } else if (event.type === 'change.declined' && facts.open?.changeId === event.changeId) delete facts.open;
  });
  return facts;
}

/**
 * Layers an approved change affects whose agent ran before it (their work predates it) and
 * not since, each with the changes it has not worked on yet (oldest first).
 */
export function layersOwedFix(
  events: readonly StateEvent[],
  facts: ChangeFacts = readChangeFacts(events),
): { layer: string; changes: ApprovedChange[] }[] {
  // A follow-up run's kept layers worked before it (in the runs it continues).
  const started = (layer: string, test: (seq: number) => boolean) =>
    events.some(
      (e, i) =>
        ((e.type === 'agent.started' && e.agent === layer) ||
          (e.type === 'followup.started' && e.kept.some((k) => k.layer === layer))) &&
        test(e.seq ?? i + 1),
    );
  const owed = new Map<string, ApprovedChange[]>();
  for (const change of facts.approved) {
    for (const layer of change.layers) {
      if (started(layer, (seq) => seq < change.seq) && !started(layer, (seq) => seq > change.seq))
        owed.set(layer, [...(owed.get(layer) ?? []), change]);
    }
  }
  return [...owed].map(([layer, changes]) => ({ layer, changes }));
}

/**
 * A follow-up run's layer sent back with an error found outside (a CI job's log), until its work
 * passed validation in this run (a run interrupted or stopped before that sends it back again).
 */
export function followUpFixOwed(
  events: readonly StateEvent[],
): { layer: string; command: string; output: string } | undefined {
  const at = events.findIndex((e) => e.type === 'followup.started');
  const started = events[at];
  if (started?.type !== 'followup.started' || !started.fix) return undefined;
  const { fix } = started;
  return events.slice(at + 1).some((e) => e.type === 'validation.passed' && e.layer === fix.layer) ? undefined : fix;
}
