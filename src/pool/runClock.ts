/**
 * Where a pooled run's time goes on its worker outside its model calls (issue 37): the worker's
 * own steps (fetch, worktree, the pushes, the database), the engine's validation and checkpoint
 * read from the journal's entries as they pass, and the model calls' own time. One line in the
 * worker's log when the run ends here; `bench/cases/poolWorkers.ts` sums those lines.
 */
import * as engine from '../core/engineBundle';
import type { EngineEvent } from '../core/events';
import type { MirroredEntry } from './poolStore';

/** The steps in the order the line gives them; `background` ones overlap the engine's work. */
const STEPS = [
  'fetch',
  'worktree',
  'config',
  'model calls',
  'validation',
  'checkpoint',
  'rest of the engine',
  'waiting for pushes',
  'result',
  'finish',
  'cleanup',
] as const;
const BACKGROUND = ['snapshots', 'pushes', 'journal writes'] as const;
export type RunStep = (typeof STEPS)[number] | (typeof BACKGROUND)[number] | 'engine';

export class RunClock {
  private readonly spent = new Map<RunStep, { ms: number; times: number }>();
  private readonly started = Date.now();
  private validationSince: number | undefined;

  /** Times `work` as `step` (its failure is timed too, then thrown). */
  async time<T>(step: RunStep, work: () => Promise<T>): Promise<T> {
    const t0 = Date.now();
    try {
      return await work();
    } finally {
      this.add(step, Date.now() - t0);
    }
  }

  add(step: RunStep, ms: number): void {
    const now = this.spent.get(step) ?? { ms: 0, times: 0 };
    this.spent.set(step, { ms: now.ms + ms, times: now.times + 1 });
  }

  /** The engine's part, from its journal: model calls (`llm.usage` ms), validations, the checkpoint phase. */
  see(entry: MirroredEntry): void {
    const at = Date.parse(String(entry.ts));
    const { usage, validation, phase } = engine.meaningOf(entry as unknown as EngineEvent);
    if (usage) this.add('model calls', Number(usage.ms) || 0);
    else if (validation?.state === 'running') this.validationSince ??= at;
    else if (validation && this.validationSince !== undefined) {
      this.add('validation', Math.max(0, at - this.validationSince));
      this.validationSince = undefined;
    } else if (phase?.ms !== undefined && phase.name === 'CHECKPOINT') this.add('checkpoint', Number(phase.ms) || 0);
  }

  /** `run <id>: 9.1 s here; model calls 7.5 s; fetch 41 ms, …; in the background: 3 pushes 420 ms, …` */
  line(runId: string): string {
    const ms = (step: RunStep) => this.spent.get(step)?.ms ?? 0;
    const engine = ms('engine');
    if (engine > 0)
      this.add('rest of the engine', Math.max(0, engine - ms('model calls') - ms('validation') - ms('checkpoint')));
    const part = (step: RunStep) => {
      const spent = this.spent.get(step);
      return spent ? `${step} ${spent.times > 1 ? `${spent.times}× ` : ''}${spent.ms} ms` : undefined;
    };
    const here = STEPS.map(part).filter(Boolean).join(', ');
    const behind = BACKGROUND.map(part).filter(Boolean).join(', ');
    return `run ${runId}: timing: ${Date.now() - this.started} ms here: ${here}${behind ? `; in the background: ${behind}` : ''}`;
  }
}

/** A `timing` line read back: each step's total ms (the bench sums them over runs). */
export function parseTimingLine(line: string): Map<string, number> | undefined {
  const at = line.indexOf(': timing: ');
  if (at < 0) return undefined;
  const steps = new Map<string, number>();
  const total = /^(\d+) ms here/.exec(line.slice(at + 10));
  if (total) steps.set('total', Number(total[1]));
  for (const match of line.slice(at + 10).matchAll(/(?:: |, |; in the background: )([a-z ]+?) (?:\d+× )?(\d+) ms/g))
    steps.set(match[1]!, Number(match[2]));
  return steps;
}
