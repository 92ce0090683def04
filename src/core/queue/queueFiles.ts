/**
 * Where the queue keeps its files in a workspace. A leaf module: the git checkpoints import it
 * to keep the queue's own files out of every checkpoint and diff (they are the orchestrator's
 * state, not the user's work: a rollback must never rewind the queue or its decisions).
 */

/** The embedded queue's database file (SQLite adds `-wal` and `-shm` beside it). */
export const QUEUE_DB = '.claude/orchestrator-queue.db';

/** Every decision, one JSON line each: the audit trail. */
export const DECISIONS_FILE = '.claude/queue/decisions.jsonl';

/** Git pathspecs (glob magic, any depth) naming the queue's files. */
export const QUEUE_FILE_GLOBS = [`**/${QUEUE_DB}*`, '**/.claude/queue/**'] as const;
