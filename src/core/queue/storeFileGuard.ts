/**
 * The embedded store's file, watched for going away under a running process (`git clean
 * -fdX`, a removed data folder, a copy restored over it): by device and inode after every
 * statement (a transaction: after its COMMIT) and on a timer while quiet. Once lost, every call
 * throws before it runs and the listeners (serve, mcp, the sidebar) stop with the reason, so
 * nothing is acknowledged that went into a deleted file. One stat(2) per statement, not one
 * before and one after: the one before only caught a loss between two statements, which the one
 * after catches too before anything is answered, and the pair cost a signed-in portal request
 * 7–8 % of its CPU (bench row 34, docs/benchmarks.md).
 */
import { statSync, watch } from 'node:fs';
import { basename, dirname } from 'node:path';

/** The file by device and inode: deleted or replaced, it is another file (or none). */
interface FileIdentity {
  dev: number;
  ino: number;
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
    const { dev, ino } = statSync(this.file);
    this.identity = { dev, ino };
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

  /** Throws (and tells the listeners, once) when the file is no longer the one the store opened. */
  check(): void {
    if (this.lost) throw this.lost;
    if (!this.identity) return;
    let now: FileIdentity | undefined;
    try {
      now = statSync(this.file);
    } catch {
      now = undefined;
    }
    if (now && now.dev === this.identity.dev && now.ino === this.identity.ino) return;
    const error = Object.assign(new Error(`the queue database ${this.file} was ${now ? 'replaced' : 'deleted'} while this process was using it: stopping without acknowledging anything more; restart to open the queue again (what was written since it vanished is gone)`), { code: 'E_STORE_LOST' });
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
