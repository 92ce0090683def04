/**
 * Checkpoint hygiene: each run leaves one `refs/orchestrator/{runId}`; the newest
 * `checkpoints.keep` are kept and older ones deleted, at run start and with `orchestrator gc`.
 * Deleting a ref leaves its objects unreachable; git's own `gc` removes them later (after
 * its usual grace period), as it does for any other dropped commit.
 */
import { gitAt } from './gitRunner';
import { hasGit } from './checkpoint';

export const CHECKPOINT_NAMESPACE = 'refs/orchestrator/';
/**
 * A run's attempts (docs/attempts.md): `<runId>/<layer>/<k>` beside its checkpoint ref, never
 * under it (git cannot keep `a` and `a/b` both); pruned with it.
 */
export const ATTEMPT_NAMESPACE = 'refs/orchestrator-attempts/';

export interface CheckpointRef {
  ref: string;
  commit: string;
  /** Commit time, seconds since the epoch. */
  created: number;
}

/** Every checkpoint ref, newest first (a ref deeper in the namespace, a GitHub Action's `state/<issue>`, is none). */
export async function listCheckpointRefs(workspace: string): Promise<CheckpointRef[]> {
  const out = await gitAt(workspace).raw([
    'for-each-ref',
    '--format=%(refname)%00%(objectname)%00%(creatordate:unix)',
    CHECKPOINT_NAMESPACE,
  ]);
  const refs = out
    .split('\n')
    .filter((line) => line.includes('\0') && !line.split('\0')[0]!.slice(CHECKPOINT_NAMESPACE.length).includes('/'))
    .map((line) => {
      const [ref, commit, created] = line.split('\0');
      return { ref: ref!, commit: commit!, created: Number(created) || 0 };
    });
  // Newest first; run ids start with their UTC time, so the name breaks ties within a second.
  return refs.sort((a, b) => b.created - a.created || (a.ref < b.ref ? 1 : a.ref > b.ref ? -1 : 0));
}

export interface PruneResult {
  kept: string[];
  pruned: string[];
}

/** Deletes all but the newest `keep` checkpoint refs; `protect` (e.g. the running run's) are always kept. */
export async function pruneCheckpointRefs(
  workspace: string,
  keep: number,
  protect: readonly string[] = [],
): Promise<PruneResult> {
  if (!(await hasGit(workspace))) return { kept: [], pruned: [] };
  const refs = await listCheckpointRefs(workspace);
  const result: PruneResult = { kept: [], pruned: [] };
  const git = gitAt(workspace);
  for (const [index, { ref, commit }] of refs.entries()) {
    if (index < keep || protect.includes(ref)) {
      result.kept.push(ref);
      continue;
    }
    // The old value makes the delete a compare-and-swap: a ref rewritten meanwhile is left alone.
    await git.raw(['update-ref', '-d', ref, commit]);
    result.pruned.push(ref);
  }
  await pruneAttemptRefs(
    workspace,
    result.pruned.map((ref) => ref.slice(CHECKPOINT_NAMESPACE.length)),
  );
  return result;
}

/** The attempts' refs of runs whose checkpoint is gone. */
async function pruneAttemptRefs(workspace: string, runIds: readonly string[]): Promise<void> {
  if (runIds.length === 0) return;
  const gone = new Set(runIds);
  const git = gitAt(workspace);
  const refs = (await git.raw(['for-each-ref', '--format=%(refname)', ATTEMPT_NAMESPACE]))
    .split('\n')
    .filter((ref) => gone.has(ref.slice(ATTEMPT_NAMESPACE.length).split('/')[0]!));
  if (refs.length > 0)
    await git.bytes(['update-ref', '--stdin'], Buffer.from(refs.map((ref) => `delete ${ref}\n`).join(''), 'utf8'));
}
