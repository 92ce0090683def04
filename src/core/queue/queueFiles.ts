/**
 * Where the queue keeps its files in a workspace. A leaf module: the git checkpoints import it
 * to keep the queue's own files out of every checkpoint and diff (they are the orchestrator's
 * state, not the user's work: a rollback must never rewind the queue or its decisions).
 */

/**
 * The embedded queue's database file (SQLite adds `-wal` and `-shm` beside it), in the
 * run-time folder `.claude/runs/`, which ignores itself (journal/stateDir.ts): `git status`
 * stays clean whatever the workspace's .gitignore says.
 */
export const QUEUE_DB = '.claude/runs/queue.db';
/** Where earlier versions kept it: still used when it is there, so no queue is lost. */
export const LEGACY_QUEUE_DB = '.claude/orchestrator-queue.db';

/** Every decision, one JSON line each: the audit trail. */
export const DECISIONS_FILE = '.claude/runs/queue-decisions.jsonl';

/** Git pathspecs (glob magic, any depth) naming the queue's files, the earlier places included. */
export const QUEUE_FILE_GLOBS = [`**/${QUEUE_DB}*`, `**/${DECISIONS_FILE}`, `**/${LEGACY_QUEUE_DB}*`, '**/.claude/queue/**'] as const;
