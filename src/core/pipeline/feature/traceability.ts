/**
 * The matrix in the feature pipeline (seed 000): brought up to date from the journal after each
 * phase (`.claude/runs/{runId}/trace.json` and `trace.md`, and a `trace.updated` event the views
 * render), and checked before COMPLETE archives the spec: a requirement that no file implements
 * stops the run with a report. Resuming after a fix (files written by hand since the checkpoint
 * count, marked "by hand", or a spec edited so its tasks name the files) checks again.
 */
import { join } from 'node:path';
import { earlierRuns, type RunContext } from '../kernel';
import { runDir } from '../../journal';
import type { Spec } from '../../project/specs';
import { type TraceMatrix, traceOfSpec, writeMatrixMarkdown } from '../../trace';
import { writeFileAtomic } from '../../project/sources';
import { RunStop } from '../../errors';
import { refusalsOf, refusalStopped } from '../agent';
import { wordsOf } from '../../catalogue';
import type { EngineEvent } from '../../events';

/** Rebuilds, saves and announces the run's matrix; a failure only warns (the run goes on). */
export function updateTrace(ctx: RunContext, handChanges = false): Promise<TraceMatrix | undefined> {
  const writing = writeTrace(ctx, handChanges);
  const before = ctx.tracing;
  // Our files' formatting waits for every write in flight (kernel/ownFiles.ts), this one and those before it.
  ctx.tracing = Promise.all([before, writing]);
  return writing;
}

async function writeTrace(ctx: RunContext, handChanges: boolean): Promise<TraceMatrix | undefined> {
  const specId = ctx.facts().specId;
  if (!specId) return undefined;
  try {
    // The journal as it is now: events the next phase appends meanwhile belong to the next update.
    const matrix = await traceOfSpec(ctx.workspace, ctx.config, specId, {
      handChanges,
      run: { runId: ctx.runId, events: [...ctx.events] },
      earlier: earlierRuns(ctx.home, ctx.events),
    });
    await saveTrace(ctx, matrix);
    if (matrix.rows.length > 0) ctx.emit(traceUpdated(ctx, specId, matrix));
    return matrix;
  } catch (error) {
    ctx.warn(`The traceability matrix could not be updated: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

/** The event, marked `repeated` when its line would say what the run's last one said (the demo said `trace: 3 criteria` three times). */
function traceUpdated(ctx: RunContext, specId: string, matrix: TraceMatrix): EngineEvent {
  const event = { type: 'trace.updated' as const, specId, matrix };
  const last = ctx.events.filter((e) => e.type === 'trace.updated').at(-1);
  return last && wordsOf(last).text === wordsOf(event).text ? { ...event, repeated: true } : event;
}

/** Before COMPLETE: every requirement needs an implementing file, or the spec is not archived. */
export async function traceGate(ctx: RunContext, spec: Spec): Promise<void> {
  // The work tree is compared with the checkpoint only when the journal alone leaves a gap.
  const journaled = await updateTrace(ctx);
  if (!journaled || journaled.requirementsWithoutFile.length === 0) return;
  const matrix = await updateTrace(ctx, true);
  if (!matrix) return;
  // What the check counted from the work tree goes into the journal: the matrix keeps it once the run is done.
  if (Object.keys(matrix.byHand).length > 0) ctx.emit({ type: 'trace.by-hand', files: matrix.byHand });
  if (matrix.requirementsWithoutFile.length === 0) return;
  // A gap left by a refused change is that refusal, said as such.
  const refusals = refusalsOf(ctx.events);
  throw refusals.length > 0
    ? refusalStopped(refusals, spec, matrix.requirementsWithoutFile)
    : traceStopped(matrix, spec);
}

async function saveTrace(ctx: RunContext, matrix: TraceMatrix): Promise<void> {
  const dir = runDir(ctx.home, ctx.runId);
  await writeFileAtomic(join(dir, 'trace.json'), `${JSON.stringify(matrix, null, 2)}\n`);
  await writeMatrixMarkdown(matrix, join(dir, 'trace.md'));
}

export function traceStopped(matrix: TraceMatrix, spec: Spec): RunStop {
  const missing = matrix.requirementsWithoutFile;
  const lines = ['## Pipeline stopped: requirements with no implementing file', `- Spec: ${spec.id} (${spec.path})`];
  for (const id of missing) {
    const row = matrix.rows.find((r) => r.requirement === id)!;
    lines.push(
      `- ${id}: ${row.requirementTitle} — tasks: ${row.tasks.join('; ') || 'none'}; layers: ${row.layers.join(', ') || 'none'}`,
    );
  }
  lines.push(
    '### Action needed',
    `The spec was not archived. Implement ${missing.length === 1 ? 'the requirement' : 'these requirements'} (files you change by hand since the checkpoint count, in the layer that owns them), or edit the spec so each requirement's tasks name the files that implement it (or remove a requirement no code serves); then run \`orchestrator resume\`. Or roll the run back with \`orchestrator rollback\`.`,
  );
  return new RunStop('trace', `no implementing file for ${missing.join(', ')}`, lines.join('\n'));
}
