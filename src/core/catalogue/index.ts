/**
 * The event catalogue: for every engine event type, how it reads in words. The hosts (the CLI's
 * progress, VS Code's log) only style these words; adding an event is one entry here, and the
 * type checker refuses a catalogue that misses a type of EngineEvent.
 */
import type { EngineEvent } from '../events';
import { agentEntries, githubEntries } from './agents';
import { auditEntries } from './audit';
import { runEntries } from './run';
import type { Catalogue, Words } from './words';

export type { Catalogue, Words } from './words';

export const catalogue: Catalogue = { ...runEntries, ...agentEntries, ...githubEntries, ...auditEntries } satisfies Catalogue;

/**
 * The words of an event. An entry of a type this build does not know, or whose fields its entry
 * cannot read (a journal another version wrote, mirrored into a pool), reads as its type.
 */
export function wordsOf(event: EngineEvent): Words {
  const entry = (catalogue as Partial<Record<string, { words: (e: EngineEvent) => Words }>>)[event.type];
  try {
    if (entry) return entry.words(event);
  } catch {
    // Fall through to the type: words are never worth a host's crash.
  }
  return { level: 'trace', depth: 1, text: `event ${String((event as { type: unknown }).type)}`, progress: false };
}
