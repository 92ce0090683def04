import type { Spec } from '../../project/specs';
import type { CacheTurns, EntityFocus, LayerPick, RetryInput } from '../agent';

export type LayerMode = 'implement' | 'fix' | 'review-fix' | 'audit-fix' | 'enhance' | 'document';

/** What a layer's agent is told for one job, and on which model. */
export interface LayerBrief {
  model: string;
  /**
   * The cached prompt: `shared` is sent alike to every layer agent of the run (rules, project
   * context, the work they share), then the layer's own system block (it starts with
   * "# You are the {LAYER} SPECIALIST") and context (its context file, its tasks).
   */
  prompt(): Promise<{ shared: string; system: string; context: string }>;
  /** The first message of a new conversation; a retry or a resumed attempt says so. */
  task(step: { retry?: RetryInput; resumed?: boolean }): string;
  /**
   * A "blocked" answer stops the run with its report (a spec's work cannot be dropped), or is
   * just this job's outcome, validated like any other (an audit finding the layer cannot fix).
   */
  blockedStopsRun: boolean;
  /**
   * Work from a spec: a "blocked" answer naming `needs` goes to the owning layer (seed 003),
   * whose brief is built from the same spec and focus.
   */
  blocks?: { spec: Spec; focus: EntityFocus };
}

export interface LayerJob {
  layer: string;
  mode: LayerMode;
  brief: LayerBrief;
  /** Continue from what the journal shows instead of starting afresh. */
  resume: boolean;
  /** Retries journaled after this seq belong to this job (each job gets `maxRetries`). */
  sinceSeq: number;
  /** Told when the layer's agent starts, when its validation starts, and when the layer is done. */
  onStep?: (step: 'agent' | 'validate' | 'done') => void;
  /** The wave's turns on the prompt cache: a layer may wait for another's first response. */
  cacheTurns?: CacheTurns;
  /**
   * The runner and model this job's agent runs on instead of the layer's configured ones (an
   * attempt's entry of `attemptRunners`; issue 47). Absent on a layer on `runner: auto`: its
   * choice, made when the job starts. Every agent run of the job (first, retries, a block's
   * answer) and the sessions it resumes are on it.
   */
  pick?: LayerPick;
}
