/**
 * A phase of the pipeline: `phase.started` … `phase.completed` with its duration. A phase
 * the journal shows as completed is skipped, which is what makes every pipeline resumable
 * from its first unfinished step. Phases pass results on through journaled events (see
 * facts.ts), never through return values a resume would not have.
 */
import { isPhaseDone } from '../../journal';
import { throwIfCancelled } from '../../errors';
import type { RunContext } from './runContext';

export const PHASES = {
  sync: 'SYNC',
  understand: 'UNDERSTAND',
  diagnose: 'DIAGNOSE',
  spec: 'SPEC',
  checkpoint: 'CHECKPOINT',
  prove: 'PROVE',
  implement: 'IMPLEMENT',
  fix: 'FIX',
  review: 'REVIEW',
  complete: 'COMPLETE',
  deploy: 'DEPLOY',
} as const;

export async function inPhase(ctx: RunContext, name: string, body: () => Promise<void>): Promise<void> {
  if (isPhaseDone(ctx.state(), name)) return;
  throwIfCancelled(ctx.signal);
  ctx.emit({ type: 'phase.started', phase: name });
  const started = Date.now();
  await body();
  ctx.emit({ type: 'phase.completed', phase: name, ms: Date.now() - started });
}
