/**
 * Where the queue keeps its files in a workspace. A leaf module: the git checkpoints import it
 * to keep the queue's own files out of every checkpoint and diff (they are the orchestrator's
 * state, not the user's work: a rollback must never rewind the queue or its decisions).
 */

/**
 * Where earlier versions kept the embedded queue's database (SQLite adds `-wal` and `-shm`
 * beside it): in the working tree, where `git clean -fdX` deletes it. It lives in the
 * repository's data folder now (dataDir.ts); a queue found here is moved there once (openStore.ts).
 */
export const OLD_QUEUE_DB = '.claude/runs/queue.db';
export const LEGACY_QUEUE_DB = '.claude/orchestrator-queue.db';

/** Every decision, one JSON line each: a log to read (the decisions themselves are in the queue's database). */
export const DECISIONS_FILE = '.claude/runs/queue-decisions.jsonl';

/** Git pathspecs (glob magic, any depth) naming the queue's files, the earlier places included. */
export const QUEUE_FILE_GLOBS = [
  `**/${OLD_QUEUE_DB}*`,
  `**/${DECISIONS_FILE}`,
  `**/${LEGACY_QUEUE_DB}*`,
  '**/.claude/queue/**',
] as const;
