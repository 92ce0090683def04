/**
 * Swaps waiting for a run (docs/attempts.md): `.claude/runs/{runId}/attempt-swaps.jsonl`, one JSON
 * line each, appended by `orchestrator attempts --use` or the sidebar from any process; the run,
 * which alone writes its journal, carries them out where it meets change requests (between waves,
 * before REVIEW). A swap the journal names on an `attempt.picked` is done.
 */
import { randomBytes } from 'node:crypto';
import * as z from 'zod/mini';
import { appendRunLine, readRunLines } from '../../journal';

export const SWAP_FILE = 'attempt-swaps.jsonl';

const swapSchema = z.object({ id: z.string(), layer: z.string(), k: z.int(), ts: z.string() });
export type AttemptSwap = z.infer<typeof swapSchema>;

export function appendAttemptSwap(
  workspace: string,
  runId: string,
  layer: string,
  k: number,
  now: Date = new Date(),
): AttemptSwap {
  const entry = {
    id: `use-${now.toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${randomBytes(3).toString('hex')}`,
    layer,
    k,
    ts: now.toISOString(),
  };
  appendRunLine(workspace, runId, SWAP_FILE, entry);
  return entry;
}

/** Every swap in order; a line that does not parse (a torn write) is skipped. */
export function readAttemptSwaps(workspace: string, runId: string): AttemptSwap[] {
  return readRunLines(workspace, runId, SWAP_FILE, (value) => {
    const parsed = swapSchema.safeParse(value);
    return parsed.success ? parsed.data : undefined;
  });
}

/** The swaps the run has not carried out yet. */
export function pendingSwaps(
  workspace: string,
  runId: string,
  events: readonly { type: string; request?: string }[],
): AttemptSwap[] {
  const done = new Set(events.flatMap((e) => (e.type === 'attempt.picked' && e.request ? [e.request] : [])));
  return readAttemptSwaps(workspace, runId).filter((swap) => !done.has(swap.id));
}
