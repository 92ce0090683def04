/**
 * One attempt's run context (docs/attempts.md): the run's own, but working in the attempt's
 * worktree and journaling apart, in `attempts/<layer>.<k>.jsonl` beside the run's journal, so
 * that N attempts at one layer never mix in the run's state. Run-wide facts go to the run's
 * journal at once (spend, so the budget holds across a resume; the sandbox's refusals, the
 * answers to confirmations, log lines); the attempt's layer work joins it only if it is picked.
 */
import type { EngineEvent } from '../../events';
import { type Journal, rebuildState, type StateEvent } from '../../journal';
import { CommandFiles, readFacts, type RunContext } from '../kernel';
import type { AttemptPlace } from './attemptPlace';

const RUN_WIDE: ReadonlySet<EngineEvent['type']> = new Set([
  'llm.usage',
  'llm.retry',
  'llm.waiting',
  'llm.recovered',
  'llm.compacted',
  'budget.exceeded',
  'sandbox.denied',
  'confirmation',
  'log',
] satisfies EngineEvent['type'][]);

/** Events of an attempt that went to the run's journal as they happened (never copied again). */
export const isRunWide = (event: { type: string }): boolean => RUN_WIDE.has(event.type as EngineEvent['type']);

export const attemptJournalName = (layer: string, k: number): string => `attempts/${layer}.${k}.jsonl`;

export function attemptContext(
  ctx: RunContext,
  layer: string,
  k: number,
  place: AttemptPlace,
): { ctx: RunContext; journal: Journal } {
  const journal = ctx.journalBeside(attemptJournalName(layer, k));
  const events: StateEvent[] = [...ctx.events];
  const watchers = new Set<(event: StateEvent) => void>();
  const emit = (event: EngineEvent): void => {
    const entry = journal.append(event);
    events.push(entry);
    if (isRunWide(event)) ctx.emit(event);
    for (const watcher of watchers) watcher(entry);
  };
  const attempt: RunContext = {
    ...ctx,
    workspace: place.workspace,
    opts: { ...ctx.opts, workspace: place.workspace },
    attempt: { layer, k, worktree: place.worktree },
    // What the commands execute, hashed where they will run.
    commandFiles: CommandFiles.snapshot(place.workspace, ctx.config),
    events,
    emit,
    watch: (watcher) => {
      watchers.add(watcher);
      return () => watchers.delete(watcher);
    },
    state: () => rebuildState(events),
    facts: () => readFacts(events),
    warn: (message) => emit({ type: 'log', level: 'warn', message }),
  };
  return { ctx: attempt, journal };
}
