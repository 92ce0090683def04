/**
 * What a catalogue entry says about an event: plain, host-neutral words (no ANSI, no markup, no
 * escaping: untrusted fields come as the event holds them, and each host escapes them its way).
 */
import type { EngineEvent } from '../events';
import type { Meaning } from './meaning';
import { uncheckedWhy, type UncheckedWhy } from '../text/proofWords';

export interface Words {
  /** How much it matters in a full log; `trace` is detail a debug log shows. */
  level: 'trace' | 'info' | 'warn' | 'error';
  /** Its place under the run: 0 the run itself, 1 a step of it, 2 an agent's act (a host may indent by it). */
  depth: 0 | 1 | 2;
  /** The line (several only for a list), led by its mark (▶ ✓ ✗ ↻ ⛔ …) when it has one. */
  text: string;
  /** What a full record adds below the line: a report, a command's output, a review's issues. */
  detail?: string;
  /** false: a full log's line, too chatty for a run's progress (a model call's usage, our agent's tool calls). */
  progress?: false;
}

/** The event of a type (GitHub's entries share one shape, so Extract would miss them). */
export type EventOf<K extends EngineEvent['type']> = EngineEvent extends infer E
  ? E extends { type: infer T }
    ? K extends T
      ? E
      : never
    : never
  : never;

/** One event type in the catalogue: what it means to the run state, and how it reads. */
export interface Entry<E> {
  state: (event: E) => Meaning;
  words: (event: E) => Words;
}

/** Every event type's entry, both halves: the type checker refuses a table that misses one. */
export type Catalogue = { [K in EngineEvent['type']]: Entry<EventOf<K>> };

/** A piece of the catalogue (one file's events), completed by the type checker in index.ts. */
export type Entries = Partial<Catalogue>;

export const firstLine = (text: string): string => text.split('\n')[0]!.slice(0, 160);

export const clip = (text: string, n: number): string =>
  text.length <= n ? text : `${text.slice(0, n)}… (${text.length - n} more)`;

/** Text that must stay one line whatever its fields hold: their newlines and tabs written as `\n`, `\t`. */
export const oneLine = (text: string): string => text.replace(/\n/g, '\\n').replace(/\t/g, '\\t');

export const inSeconds = (ms: number): string =>
  ms >= 120_000 ? `${Math.round(ms / 60_000)} min` : `${Math.max(0, Math.round(ms / 1000))} s`;

export const list = (items: readonly string[], none = 'none'): string => items.join(', ') || none;

/**
 * Issue 70: one line naming each layer and file nothing checked (no proof test, no validate command) or
 * whose criteria the proof could not prove, `accepted` when the run went on all the same.
 */
export function uncheckedLine(
  layers: readonly ({ layer: string; files: readonly string[] } & UncheckedWhy)[],
  accepted: boolean,
): string {
  const what = layers.map((l) => `${l.layer}: ${list(l.files)} (${uncheckedWhy(l)})`).join('; ');
  return oneLine(`⚠ unchecked${accepted ? ' (accepted: --allow-unchecked)' : ''}: ${what}`);
}
