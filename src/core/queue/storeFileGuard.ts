/**
 * The embedded store's file, watched for going away under a running process (`git clean
 * -fdX`, a removed data folder, a copy restored over it, a truncation in place): by device and
 * inode after every statement (a transaction: after its COMMIT) and on a timer while quiet, and by
 * size from the same stat(2): the store never shrinks its file (no VACUUM in place, no
 * auto_vacuum; a checkpoint only grows it), so a smaller file was truncated under us, and SQLite,
 * writing into the WAL, would go on answering from its cache what a restart no longer finds. A
 * statement that fails with SQLite's I/O, corrupt or not-a-database error is followed by a
 * `PRAGMA quick_check` (only then: it reads the whole file). Once lost, every call
 * throws before it runs and the listeners (serve, mcp, the sidebar) stop with the reason, so
 * nothing is acknowledged that went into a deleted file. One stat(2) per statement, not one
 * before and one after: the one before only caught a loss between two statements, which the one
 * after catches too before anything is answered, and the pair cost a signed-in portal request
 * 7–8 % of its CPU (bench row 34, docs/benchmarks.md).
 */
import { existsSync, readFileSync, statSync, watch, writeFileSync } from 'node:fs';
import type { DatabaseSync } from 'node:sqlite';
import { basename, dirname } from 'node:path';

/** The file by device and inode: deleted or replaced, it is another file (or none). */
interface FileIdentity {
  dev: number;
  ino: number;
  /** The largest size seen: it only grows while the store owns the file. */
  size: number;
}

/** SQLite's primary result codes that say the file under the connection is not what it wrote. */
const SQLITE_IOERR = 10;
const SQLITE_CORRUPT = 11;
const SQLITE_NOTADB = 26;
const DAMAGE_CODES = new Set([SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_NOTADB]);

/** Whether a `node:sqlite` error is SQLite saying the file is damaged (not busy, not a constraint). */
function isDamage(error: unknown): boolean {
  const code = (error as { errcode?: unknown } | undefined)?.errcode;
  return typeof code === 'number' && DAMAGE_CODES.has(code & 0xff);
}

/** SQLite's own verdict on the file, its first problem only ('ok' when sound; a damage error's message when it cannot even look). */
function quickCheck(db: DatabaseSync): string {
  try {
    const row = db.prepare('PRAGMA quick_check(1)').get();
    return String(row ? Object.values(row)[0] : 'no answer').replace(/\s+/g, ' ');
  } catch (error) {
    if (isDamage(error)) return (error as Error).message;
    throw error;
  }
}

/**
 * At open: a file changed under SQLite (truncated or overwritten in part while a process used it)
 * is refused by name rather than served half empty. `quick_check` reads every page once: about
 * 3 ms for 10,000 tasks (4 MB), once per open; never per statement.
 */
export function refuseDamaged(db: DatabaseSync, file: string, setUp: () => void): void {
  let verdict: string;
  try {
    setUp();
    verdict = quickCheck(db);
  } catch (error) {
    if (!isDamage(error)) throw error;
    verdict = (error as Error).message;
  }
  if (verdict !== 'ok')
    throw new Error(
      `the queue database ${file} is damaged (SQLite: ${verdict}): it was changed under SQLite, e.g. truncated while a process was using it, so what it holds cannot be trusted. Move it (with its -wal and -shm files) aside to start an empty queue, or put back a backup`,
    );
}

/** Beside the store's file once it was found emptied or damaged under a process. */
const lostMark = (file: string): string => `${file}.lost`;

function markLost(file: string, what: string): void {
  try {
    writeFileSync(lostMark(file), `${what}\n`, { mode: 0o600 });
  } catch {
    // its folder gone too: then so is the file, and nothing is left to serve empty
  }
}

/**
 * At open: a file this store found truncated or damaged under a running process is not opened
 * again as if it were new. SQLite would take an emptied file (its WAL already checkpointed, or
 * never written) for an empty database and serve an empty queue, accounts gone, without a word.
 */
export function refuseLost(file: string): void {
  if (!existsSync(lostMark(file))) return;
  const what = readFileSync(lostMark(file), 'utf8').trim();
  throw new Error(
    `the queue database ${file} ${what}: what it held is gone, so it is not opened as an empty queue. Move it (with its -wal and -shm files) aside and delete ${lostMark(file)} to start an empty queue, or put back a backup and delete ${lostMark(file)}`,
  );
}

/** How often a quiet process looks for its file anyway (each statement looks too). */
const LOST_CHECK_MS = 2000;

export class StoreFileGuard {
  private identity: FileIdentity | undefined;
  private lost: Error | undefined;
  private readonly listeners = new Set<(error: Error) => void>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly file: string) {}

  /** Takes the file as it is now as the store's own, and looks for it on a timer. */
  watch(): void {
    const { dev, ino, size } = statSync(this.file);
    this.identity = { dev, ino, size };
    this.lost = undefined;
    this.timer = setInterval(() => {
      try {
        this.check();
      } catch {
        // told to the listeners; the timer stops there
      }
    }, LOST_CHECK_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Tells `listener` once when the file vanishes or is replaced; returns the unsubscribe. */
  onLost(listener: (error: Error) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Throws the loss already found, with no system call (before a statement). */
  throwIfLost(): void {
    if (this.lost) throw this.lost;
  }

  /** Throws (and tells the listeners, once) when the file is no longer the one the store opened, or shorter than it was. */
  check(): void {
    if (this.lost) throw this.lost;
    if (!this.identity) return;
    let now: { dev: number; ino: number; size: number } | undefined;
    try {
      now = statSync(this.file);
    } catch {
      now = undefined;
    }
    if (now && now.dev === this.identity.dev && now.ino === this.identity.ino) {
      if (now.size >= this.identity.size) {
        this.identity.size = now.size;
        return;
      }
      this.lose(`was truncated (${now.size} bytes, it had ${this.identity.size})`, true);
    }
    this.lose(now ? 'was replaced' : 'was deleted');
  }

  /**
   * After a statement failed: if the file is gone or shorter, or SQLite's error says it is
   * damaged (I/O, corrupt, not a database) and `PRAGMA quick_check` agrees, the store is lost and
   * this throws that; otherwise the caller rethrows its own error.
   */
  checkAfterFailure(error: unknown, db: DatabaseSync): void {
    this.check();
    if (!isDamage(error)) return;
    const verdict = quickCheck(db);
    if (verdict !== 'ok') this.lose(`is damaged (SQLite: ${(error as Error).message}; quick_check: ${verdict})`, true);
  }

  /** `emptied`: the file is still there but lost what it held; marked so a restart does not serve it as a new, empty queue. */
  private lose(how: string, emptied = false): never {
    const error = Object.assign(
      new Error(
        `the queue database ${this.file} ${how} while this process was using it: stopping without acknowledging anything more; restart to open the queue again (what was written since is gone)`,
      ),
      { code: 'E_STORE_LOST' },
    );
    if (emptied) markLost(this.file, `${how} while process ${process.pid} was using it, ${new Date().toISOString()}`);
    this.lost = error;
    this.stop();
    for (const listener of this.listeners) listener(error);
    throw error;
  }
}

/**
 * Calls `changed` when another connection committed to `file`: its folder is watched (inotify,
 * FSEvents, ReadDirectoryChangesW; no polling), a burst of writes is one call, and `dataVersion`
 * (SQLite's `data_version`, which moves only on another connection's commit) filters out this
 * connection's own writes. Returns the stop.
 */
export function watchCommits(file: string, dataVersion: () => number, changed: () => void): () => Promise<void> {
  const name = basename(file);
  let seen = dataVersion();
  let pending: NodeJS.Timeout | undefined;
  const watcher = watch(dirname(file), (_event, touched) => {
    if (touched && !String(touched).startsWith(name)) return;
    clearTimeout(pending);
    pending = setTimeout(() => {
      const now = dataVersion();
      if (now === seen) return;
      seen = now;
      changed();
    }, 30);
  });
  watcher.on('error', () => undefined);
  return async () => {
    clearTimeout(pending);
    watcher.close();
  };
}
