/**
 * The event catalogue: for every engine event type, what it means to the run state and how it reads
 * in words. The journal's run state and the sidebar fold the meaning, the hosts (the CLI's progress,
 * VS Code's log, the chat, the portal) only style the words; adding an event is one entry here, and
 * the type checker refuses a catalogue that misses a type of EngineEvent or half of an entry.
 */
import type { EngineEvent } from '../events';
import { agentEntries, githubEntries } from './agents';
import { attemptEntries } from './attempts';
import { auditEntries } from './audit';
import { proofEntries } from './proof';
import { runEntries } from './run';
import type { Meaning } from './meaning';
import type { Catalogue, Entry, Words } from './words';

export type { Catalogue, EventOf, Words } from './words';
export { endStatusOf, type EndStatus, type Meaning } from './meaning';
export { runnerOutcomes, type RunnerOutcome } from './record';

export const catalogue: Catalogue = {
  ...runEntries,
  ...agentEntries,
  ...githubEntries,
  ...auditEntries,
  ...proofEntries,
  ...attemptEntries,
} satisfies Catalogue;

/**
 * The words of an event. An entry of a type this build does not know, or whose fields its entry
 * cannot read (a journal another version wrote, mirrored into a pool), reads as its type.
 */
export function wordsOf(event: EngineEvent): Words {
  const entry = entryOf(event);
  try {
    if (entry) return entry.words(event);
  } catch {
    // Fall through to the type: words are never worth a host's crash.
  }
  return { level: 'trace', depth: 1, text: `event ${String((event as { type: unknown }).type)}`, progress: false };
}

/**
 * What an event means to the run state. A type this build does not know means nothing to it (a
 * journal another version wrote replays as far as this build understands it).
 */
export function meaningOf(event: EngineEvent): Meaning {
  const entry = entryOf(event);
  return entry ? entry.state(event) : {};
}

/** An event's entry; own keys only, for a journal anyone could edit may hold a `constructor` entry. */
function entryOf(event: EngineEvent): Entry<EngineEvent> | undefined {
  const type = (event as { type: unknown }).type;
  return typeof type === 'string' && Object.hasOwn(catalogue, type)
    ? (catalogue as unknown as Record<string, Entry<EngineEvent>>)[type]
    : undefined;
}
