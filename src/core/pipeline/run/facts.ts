/**
 * What the pipeline itself needs from the journal beyond the generic RunState
 * (journal/state.ts): the UNDERSTAND and DIAGNOSE results, where the spec is and what
 * the human last said about it, and which review fixes already started. Pure.
 */
import type { StateEvent } from '../../journal/state';

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
  let sawStart = false;
  events.forEach((event, index) => {
    switch (event.type) {
      case 'run.started':
        if (!sawStart) facts.fromSpec = event.specId !== undefined;
        sawStart = true;
        if (event.specId !== undefined) facts.specId = event.specId;
        return;
      case 'understood':
        facts.understood = { entity: event.entity, known: event.known, layers: [...event.layers], pattern: event.pattern, ...(event.modules?.length ? { modules: [...event.modules] } : {}) };
        return;
      case 'diagnosis':
        facts.diagnosis = { rootCause: event.rootCause, proposedFix: event.proposedFix, files: [...event.files], layers: [...event.layers] };
        return;
      case 'spec.saved':
        facts.specId = event.specId;
        delete facts.pendingFeedback;
        return;
      case 'spec.changes-requested':
        facts.pendingFeedback = event.feedback;
        return;
      case 'spec.completed':
        facts.completedSpecPath = event.path;
        return;
      case 'review.verdict':
        facts.lastVerdictSeq = event.seq ?? index + 1;
        facts.reviewFixStarted = new Set();
        return;
      case 'agent.started':
        facts.blocked.delete(event.agent);
        if (event.mode === 'review-fix' && facts.lastVerdictSeq > 0) facts.reviewFixStarted.add(event.agent);
        return;
      case 'agent.blocked':
        facts.blocked.add(event.agent);
        return;
      default:
        return;
    }
  });
  return facts;
}

/** `retry` events of one layer after a given seq: the retries used by the current job. */
export function retriesSince(events: readonly StateEvent[], layer: string, afterSeq: number): number {
  let count = 0;
  events.forEach((event, index) => {
    if (event.type === 'retry' && event.layer === layer && (event.seq ?? index + 1) > afterSeq) count++;
  });
  return count;
}
