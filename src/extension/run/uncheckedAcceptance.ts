/**
 * Accepting a change nothing checked from VS Code (issue 70), as `orchestrator resume
 * --allow-unchecked`: a run that ended `unchecked` (its journal's last `run.stopped` has reason
 * `unchecked`, its last `run.unchecked` names the layers and files) is resumed with
 * `allowUnchecked`; the engine journals `run.unchecked` accepted and completes it. What a journal
 * entry means is the event catalogue's (through the engine's bundle). Pure, apart from VS Code.
 */
import type { UncheckedLayer } from '../../core/errors';
import type { EngineEvent } from '../../core/events';
import { loadEngine } from '../engine';

export interface UncheckedStop {
  layers: UncheckedLayer[];
}

/** The run's stop now, when it ended unchecked; else undefined. */
export function uncheckedStop(history: readonly EngineEvent[]): UncheckedStop | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const { stopped, start, completed, rolledBack } = loadEngine().meaningOf(history[i]!);
    if (stopped) return stopped.reason === 'unchecked' ? { layers: lastUnchecked(history, i) } : undefined;
    // Anything the run did after its last stop (a resume, a rollback, a completion) settles it.
    if (start || completed || rolledBack) return undefined;
  }
  return undefined;
}

function lastUnchecked(history: readonly EngineEvent[], before: number): UncheckedStop['layers'] {
  for (let i = before; i >= 0; i--) {
    const { unchecked } = loadEngine().meaningOf(history[i]!);
    if (unchecked) return unchecked.layers.map((l) => ({ ...l }));
  }
  return [];
}

/** The confirmation's text: what is accepted, where it is recorded, what happens next. */
export function acceptQuestion(runId: string, stop: UncheckedStop): { title: string; detail: string; action: string } {
  const files = stop.layers.reduce((n, l) => n + l.files.length, 0);
  return {
    title: `Complete run ${runId} with ${files} file${files === 1 ? '' : 's'} nothing checked?`,
    detail:
      `No proof test and no validate command checked: ${stop.layers.map((l) => `${l.layer}: ${l.files.join(', ')}`).join('; ')}. ` +
      `Accepting records it in the run's journal (run.unchecked, accepted) and its summary, as orchestrator resume --allow-unchecked does; ` +
      `then the run completes and its spec is archived. To check them instead, give the layer a validate command in .claude/orchestrator.yaml and Resume.`,
    action: 'Accept Unchecked and Complete',
  };
}
