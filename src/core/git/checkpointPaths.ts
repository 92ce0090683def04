import { posix } from 'node:path';
import { QUEUE_FILE_GLOBS } from '../queue';

/** The run journals live in the work tree but are the orchestrator's, not the user's changes. */
export const ORCHESTRATOR_RUNS_DIR = '.claude/runs';

/** The task queue's database and decision log: never in a checkpoint (a rollback must not rewind the queue), never a run's change. */
export const QUEUE_EXCLUDES = QUEUE_FILE_GLOBS.map((glob) => `:(exclude,glob)${glob}`);

/** `a\b/./c` → `a/b/c`: the form git prints and the journal records. */
export function toPosixRelative(path: string): string {
  return posix.normalize(path.replace(/\\/g, '/')).replace(/^\.\//, '').replace(/\/$/, '');
}

/**
 * Pathspecs for a diff against the checkpoint: the given paths taken literally (a file
 * named `a[1].ts` is not a glob), or everything, minus the orchestrator's run journals and queue.
 */
export function checkpointPathspecs(paths?: readonly string[]): string[] {
  const wanted = paths && paths.length > 0 ? paths.map((p) => `:(literal)${toPosixRelative(p)}`) : ['.'];
  return [...wanted, `:(exclude)${ORCHESTRATOR_RUNS_DIR}`, ...QUEUE_EXCLUDES];
}
