/**
 * One entry of the engine contract (docs/architecture.md): a verb, which changes something (a
 * run's journal, files, git, the config), or a query, which only reads; the function every host
 * calls; and for a verb the event types it appends to a run's journal, by their names in the event
 * catalogue (src/core/catalogue). What an entry takes and returns is its function's type.
 */
import type { EngineEvent } from '../events';

export type EventType = EngineEvent['type'];
/** An engine function: every one is async, so a failure is always the call's rejection. */
type Call = (...args: never[]) => Promise<unknown>;

export interface Verb<F extends Call = Call> {
  readonly kind: 'verb';
  /** What it journals itself, or through the run it starts or continues (RUN); empty when it journals nothing. */
  readonly journals: readonly EventType[];
  readonly call: F;
}
export interface Query<F extends Call = Call> {
  readonly kind: 'query';
  readonly call: F;
}
export type Entry = Verb | Query;

/**
 * A verb that starts or continues a run journals that run: from run.started to its end (the
 * pipeline's events in between are the catalogue's, whichever phases the run's workflow has).
 */
export const RUN = ['run.started', 'run.completed', 'run.stopped'] as const satisfies readonly EventType[];

export function verb<F extends Call>(journals: readonly EventType[], call: F): Verb<F> {
  return { kind: 'verb', journals, call };
}
export function query<F extends Call>(call: F): Query<F> {
  return { kind: 'query', call };
}

/** A table's functions by name: what hosts call. */
export type EngineOf<T extends Record<string, Entry>> = { readonly [K in keyof T]: T[K]['call'] };

export function engineOf<T extends Record<string, Entry>>(table: T): EngineOf<T> {
  return Object.fromEntries(Object.entries(table).map(([name, entry]) => [name, entry.call])) as EngineOf<T>;
}
