/**
 * The waiver of untested requirements from VS Code (issue 29), as `orchestrator resume
 * --allow-untested`: a run that a workflow gate's `trace` check stopped only for requirements
 * with no test (its journal's last `run.stopped` names them in `untested`) is resumed with
 * `allowUntested`; the engine journals `trace.waived` and marks the matrix, as for the CLI.
 * What a journal entry means is the event catalogue's (through the engine's bundle). Pure, apart
 * from VS Code, so it is unit-tested.
 */
import type { EngineEvent } from '../../core/events';
import { loadEngine } from '../engine';

export interface WaivableStop {
  phase: string;
  requirements: string[];
}

/** The stop the run is in now, when a gate failed only for requirements with no test; else undefined. */
export function waivableStop(history: readonly EngineEvent[]): WaivableStop | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const { stopped, start, completed, rolledBack } = loadEngine().meaningOf(history[i]!);
    if (stopped)
      return stopped.untested
        ? { phase: stopped.untested.phase, requirements: [...stopped.untested.requirements] }
        : undefined;
    // Anything the run did after its last stop (a resume, a rollback, a completion) settles it.
    if (start || completed || rolledBack) return undefined;
  }
  return undefined;
}

/** The confirmation's text: what is waived, where it is recorded, what happens next. */
export function waiverQuestion(runId: string, stop: WaivableStop): { title: string; detail: string; action: string } {
  const n = stop.requirements.length;
  return {
    title: `Allow ${n} untested requirement${n === 1 ? '' : 's'} at phase ${stop.phase}: ${stop.requirements.join(', ')}?`,
    detail:
      `${stop.requirements.join(', ')} ${n === 1 ? 'has' : 'have'} no test. The waiver is recorded in run ${runId}'s journal (trace.waived) and in the ` +
      `traceability matrix (trace.md, trace.xlsx: "waived at phase ${stop.phase} (--allow-untested)"), as orchestrator resume --allow-untested does; ` +
      `then the run resumes and phase ${stop.phase}'s gate passes. To test them instead, add a test citing each id and Resume.`,
    action: 'Allow Untested and Resume',
  };
}
