/** A CLI agent's accepted changes as TurnEffects, so the run's confirmation thresholds apply to them as to our own agent's turns. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TurnEffects } from '../../agents';
import type { AgentChange } from './agentChanges';
import type { AgentWorktree } from './agentWorktree';

export async function changeEffects(
  wt: AgentWorktree,
  agent: string,
  accepted: readonly AgentChange[],
): Promise<TurnEffects> {
  const after: Record<string, string | null> = {};
  let deletedLines = 0;
  for (const change of accepted) {
    const path = change.path!;
    const before = await readFile(join(wt.runWorkspace, path), 'utf8').catch(() => undefined);
    const now = change.status === 'deleted' ? null : await readFile(join(wt.workspace, path), 'utf8');
    after[path] = now;
    deletedLines += removedLines(before ?? '', now ?? '');
  }
  return {
    agent,
    paths: accepted.map((c) => c.path!),
    created: accepted.filter((c) => c.status === 'added').map((c) => c.path!),
    deletedLines,
    after,
  };
}

/** Lines of `before` that `after` no longer has (as a multiset: moved lines do not count). */
function removedLines(before: string, after: string): number {
  if (!before) return 0;
  const left = new Map<string, number>();
  for (const line of after.split('\n')) left.set(line, (left.get(line) ?? 0) + 1);
  let removed = 0;
  for (const line of before.split('\n')) {
    const n = left.get(line) ?? 0;
    if (n > 0) left.set(line, n - 1);
    else removed++;
  }
  return removed;
}
