/**
 * What the pipeline itself needs from the journal beyond the generic RunState
 * (journal/state.ts): the UNDERSTAND and DIAGNOSE results, where the spec is and what
 * the human last said about it, and which review fixes already started. Pure.
 */
import { meaningOf, type Meaning } from '../../catalogue';
import type { StateEvent } from '../../journal';

export interface Understanding {
  entity: string | null;
  /** Found in the registry or the memory graph. */
  known: boolean;
  layers: string[];
  pattern: string | null;
  /** Modules of Mustard's grain model whose paths carry the request's words (grainModules.ts). */
  modules?: string[];
}

export interface DiagnosisFacts {
  rootCause: string;
  proposedFix: string;
  files: string[];
  layers: string[];
}

export interface PipelineFacts {
  /** The run implements a spec saved earlier (`approve <specId>`): no UNDERSTAND or SPEC agent. */
  fromSpec: boolean;
  understood?: Understanding;
  diagnosis?: DiagnosisFacts;
  /** The run's spec: written by its SPEC phase, or the saved spec it was started from. */
  specId?: string;
  /** Changes the human asked for that no newer spec answers yet. */
  pendingFeedback?: string;
  completedSpecPath?: string;
  /** seq of the latest review verdict (0 when none). */
  lastVerdictSeq: number;
  /** Layers whose review-fix agent started after the latest verdict. */
  reviewFixStarted: Set<string>;
  /** Layers whose latest agent run answered "blocked". */
  blocked: Set<string>;
}

export function readFacts(events: readonly StateEvent[]): PipelineFacts {
  const facts: PipelineFacts = { fromSpec: false, lastVerdictSeq: 0, reviewFixStarted: new Set(), blocked: new Set() };
  const fold: Fold = { facts, sawStart: false, seq: 0 };
  events.forEach((event, index) => {
    fold.seq = event.seq ?? index + 1;
    const meaning = meaningOf(event);
    for (const facet of Object.keys(meaning) as (keyof Meaning)[]) {
      const read = FACTS[facet];
      const value = meaning[facet];
      if (read && value !== undefined) (read as (f: Fold, v: typeof value) => void)(fold, value);
    }
  });
  return facts;
}

interface Fold {
  facts: PipelineFacts;
  sawStart: boolean;
  /** The event's seq (its place in the journal when it has none). */
  seq: number;
}

/** What the facets the pipeline reads tell it; the others are the run state's (journal/state.ts). */
const FACTS: { [F in keyof Meaning]?: (fold: Fold, facet: NonNullable<Meaning[F]>) => void } = {
  start: (fold, start) => {
    if (!fold.sawStart) fold.facts.fromSpec = start.specId !== undefined;
    fold.sawStart = true;
    if (start.specId !== undefined) fold.facts.specId = start.specId;
  },
  understood: ({ facts }, u) => {
    facts.understood = {
      entity: u.entity,
      known: u.known,
      layers: [...u.layers],
      pattern: u.pattern,
      ...(u.modules?.length ? { modules: [...u.modules] } : {}),
    };
  },
  diagnosis: ({ facts }, d) => {
    facts.diagnosis = {
      rootCause: d.rootCause,
      proposedFix: d.proposedFix,
      files: [...d.files],
      layers: [...d.layers],
    };
  },
  specSaved: ({ facts }, saved) => {
    facts.specId = saved.id;
    delete facts.pendingFeedback;
  },
  specChangesRequested: ({ facts }, requested) => {
    facts.pendingFeedback = requested.feedback;
  },
  specMoved: ({ facts }, moved) => {
    facts.completedSpecPath = moved.path;
  },
  review: ({ facts, seq }) => {
    facts.lastVerdictSeq = seq;
    facts.reviewFixStarted = new Set();
  },
  agentStarted: ({ facts }, started) => {
    facts.blocked.delete(started.agent);
    if (started.mode === 'review-fix' && facts.lastVerdictSeq > 0) facts.reviewFixStarted.add(started.agent);
  },
  agentBlocked: ({ facts }, blocked) => {
    facts.blocked.add(blocked.agent);
  },
};

/** `retry` events of one layer after a given seq: the retries used by the current job. */
export function retriesSince(events: readonly StateEvent[], layer: string, afterSeq: number): number {
  let count = 0;
  events.forEach((event, index) => {
    if (event.type === 'retry' && event.layer === layer && (event.seq ?? index + 1) > afterSeq) count++;
  });
  return count;
}
