/**
 * Everything one run needs, in one object handed to every phase: the project files read
 * up front, the journal every event goes to, the budget and the model clients. The run's
 * state is never kept on the side: `state()` rebuilds it from the events, exactly as a
 * resume does from the file.
 */
import type { RunOptions } from '../../api';
import type { EngineEvent, RunKind } from '../../events';
import type { Host } from '../../host';
import { type Journal, rebuildState, type RunState, type StateEvent } from '../../journal';
import type { Budget, ModelClient } from '../../llm';
import type { MustardProject } from '../../mustard';
import type { ProjectFiles } from '../../project/registry';
import { readFacts, type PipelineFacts } from './facts';
import type { Limiter } from './waves';
import type { CommandFiles } from './commandFiles';
import type { Workflow } from '../../project/workflows';

export interface RunContext extends ProjectFiles {
  readonly runId: string;
  readonly kind: RunKind;
  readonly request: string;
  /** Where the run works: the checkout, or the run's place in its own worktree. */
  readonly workspace: string;
  /** The checkout whose `.claude/runs/` holds the journal (the workspace itself for an in-place run). */
  readonly home: string;
  readonly opts: RunOptions;
  readonly host: Host;
  /** Mustard's files: the spec language, the grain model (project map) and CLAUDE.md guards. */
  readonly mustard: MustardProject;
  readonly budget: Budget;
  /** The host's cancellation, or the run set aside on a question its host parked (setAside): the run stops, resumable. */
  readonly signal?: AbortSignal;
  /** Stops the run, resumable, as a cancel does: a question it waits on was parked (askConfirmation.ts); `why` is said. */
  setAside(why: string): void;
  /** At most `limits.concurrency` agents in flight, across a wave and its retries. */
  readonly limit: Limiter;
  /**
   * Settles when agents may change files: the CHECKPOINT snapshot runs while the first
   * agents of IMPLEMENT (or FIX) start reading, and no write happens before it is taken.
   */
  writesAllowed?: Promise<void>;
  /**
   * The matrix being written into the run's folder beside a phase (issue 70): our files are formatted as the
   * project's formatter writes them before a gate reads them, once this write has landed.
   */
  tracing?: Promise<unknown>;
  /** What the configured commands execute, hashed at run start (in the worktree, once made); checked before each command runs. */
  commandFiles?: CommandFiles;
  /** One model client per agent, so SDK retries are journaled under the agent's name. */
  clientFor(agent: string): ModelClient;
  /** A journal beside the run's own, for a part of the run kept apart until it joins it (an attempt). */
  journalBeside(name: string): Journal;
  /**
   * Set when this context is one attempt at a layer (docs/attempts.md): it works in the attempt's
   * own worktree, whose root its commands' sandbox writes instead of the run's.
   */
  readonly attempt?: { layer: string; k: number; worktree: string };
  /** Appends to the journal, then tells the host and the watchers. */
  emit(event: EngineEvent): void;
  /** Calls `watcher` with every event emitted from now on (a workflow's Monitor); returns how to stop. */
  watch(watcher: (event: StateEvent) => void): () => void;
  /** The workflow the run follows (feature runs included), set when it starts. */
  workflow?: Workflow;
  /** Every event of the run so far, earlier sessions included (resume). */
  readonly events: readonly StateEvent[];
  state(): RunState;
  facts(): PipelineFacts;
  warn(message: string): void;
}

export interface RunContextParts extends ProjectFiles {
  runId: string;
  kind: RunKind;
  request: string;
  workspace: string;
  home: string;
  opts: RunOptions;
  mustard: MustardProject;
  budget: Budget;
  limit: Limiter;
  journal: Journal;
  previousEvents: StateEvent[];
  commandFiles?: CommandFiles;
  clientFor(agent: string): ModelClient;
}

export function createRunContext(parts: RunContextParts): RunContext {
  const events: StateEvent[] = [...parts.previousEvents];
  const { opts, journal } = parts;
  const watchers = new Set<(event: StateEvent) => void>();
  // The run's own signal: the host's cancel and a parked question stop it alike.
  const stopping = new AbortController();
  const follow = () => stopping.abort(opts.signal?.reason);
  if (opts.signal?.aborted) follow();
  else opts.signal?.addEventListener('abort', follow, { once: true });
  const emit = (event: EngineEvent): void => {
    const entry = journal.append(event);
    events.push(entry);
    try {
      opts.host.onEvent(entry);
    } catch {
      // A host that fails to render an event must not break the run.
    }
    for (const watcher of watchers) watcher(entry);
  };
  return {
    runId: parts.runId,
    kind: parts.kind,
    request: parts.request,
    workspace: parts.workspace,
    home: parts.home,
    opts,
    host: opts.host,
    mustard: parts.mustard,
    config: parts.config,
    registry: parts.registry,
    memory: parts.memory,
    ...(parts.memoryFile !== undefined ? { memoryFile: parts.memoryFile } : {}),
    warnings: parts.warnings,
    ...(parts.contexts ? { contexts: parts.contexts } : {}),
    budget: parts.budget,
    signal: stopping.signal,
    setAside: (why) => stopping.abort(why),
    limit: parts.limit,
    ...(parts.commandFiles ? { commandFiles: parts.commandFiles } : {}),
    clientFor: parts.clientFor,
    journalBeside: (name) => journal.beside(name),
    emit,
    watch: (watcher) => {
      watchers.add(watcher);
      return () => watchers.delete(watcher);
    },
    events,
    state: () => rebuildState(events),
    facts: () => readFacts(events),
    warn: (message) => emit({ type: 'log', level: 'warn', message }),
  };
}
