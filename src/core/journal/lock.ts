import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { processStartTime } from './processStart';
import { lockPath } from './runPaths';
import { ensureStateDir } from './stateDir';

/** Contents of `.claude/runs/.lock`. */
export interface RunLockInfo {
  pid: number;
  runId: string;
  /** UTC ISO time the lock was taken. */
  started: string;
  /** When the holding process started (processStart.ts), so a reused pid is not taken for it. */
  processStart?: string;
}

export class RunLockedError extends Error {
  constructor(
    readonly holder: RunLockInfo,
    lockFile: string,
  ) {
    super(
      `Another Orchestrator run (runId ${holder.runId}, pid ${holder.pid}) is active on this workspace. ` +
        `Wait for it to finish or stop it; if no such run exists, delete ${lockFile}.`,
    );
    this.name = 'RunLockedError';
  }
}

export interface RunLock {
  readonly info: RunLockInfo;
  /** Removes the lock if it is still ours. Safe to call twice. */
  release(): void;
}

const MAX_ATTEMPTS = 5;

/**
 * One run per workspace at a time. The lock is created atomically; a lock whose process
 * is gone (crash, kill -9, reboot), or whose pid now belongs to a process that started
 * later (pid reuse), is stale and taken over.
 */
export function acquireRunLock(workspace: string, runId: string, now: () => Date = () => new Date()): RunLock {
  const file = lockPath(workspace);
  ensureStateDir(workspace);
  const processStart = processStartTime(process.pid);
  const info: RunLockInfo = {
    pid: process.pid,
    runId,
    started: now().toISOString(),
    ...(processStart ? { processStart } : {}),
  };
  const content = `${JSON.stringify(info)}\n`;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (createExclusively(file, content)) return { info, release: () => releaseIfOurs(file, content) };
    const raw = readIfExists(file);
    if (raw === undefined) continue; // released between our two calls: try again
    const holder = parseLock(raw);
    if (holder && isHolderAlive(holder)) throw new RunLockedError(holder, file);
    moveStaleLockAside(file, raw);
  }
  throw new Error(`Could not take the run lock ${file}: it keeps changing under us`);
}

/** The lock as written, or undefined when there is none (or it is unreadable). */
export function readRunLock(workspace: string): RunLockInfo | undefined {
  const raw = readIfExists(lockPath(workspace));
  return raw === undefined ? undefined : parseLock(raw);
}

/** The lock's holder if its process is still alive: a run is active right now. */
export function activeRunLock(workspace: string): RunLockInfo | undefined {
  const holder = readRunLock(workspace);
  return holder && isHolderAlive(holder) ? holder : undefined;
}

/** The holder's process still runs: its pid is alive and, when recorded, started when the lock says. */
function isHolderAlive(holder: RunLockInfo): boolean {
  if (!isProcessAlive(holder.pid)) return false;
  if (holder.processStart === undefined) return true;
  const current = processStartTime(holder.pid);
  return current === undefined || current === holder.processStart;
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else. Only ESRCH proves it is gone.
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Writes the full content to a private file and hard-links it into place: the link either
 * creates the lock complete or fails with EEXIST, so nobody ever reads a half-written lock
 * (which a plain open('wx') + write would allow). Falls back to open('wx') where the file
 * system has no hard links.
 */
function createExclusively(file: string, content: string): boolean {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temp, content);
  try {
    linkSync(temp, file);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw err;
    return createWithOpenWx(file, content);
  } finally {
    unlinkQuietly(temp);
  }
}

function createWithOpenWx(file: string, content: string): boolean {
  try {
    writeFileSync(file, content, { flag: 'wx' });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/**
 * Takes a stale lock away by renaming it (atomic: of two processes racing, one wins). If
 * what we moved is not the lock we judged stale, a live run replaced it meanwhile: put it
 * back (link fails if yet another lock appeared, which is then that run's business).
 */
function moveStaleLockAside(file: string, staleContent: string): void {
  const aside = `${file}.stale.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    renameSync(file, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  try {
    if (readIfExists(aside) !== staleContent) linkSync(aside, file);
  } catch {
    // Another lock is in place already; ours is only the stale copy.
  } finally {
    unlinkQuietly(aside);
  }
}

function releaseIfOurs(file: string, content: string): void {
  if (readIfExists(file) === content) unlinkQuietly(file);
}

function parseLock(raw: string): RunLockInfo | undefined {
  try {
    const value = JSON.parse(raw) as Partial<RunLockInfo>;
    // pid 0 or negative would make process.kill address a process group.
    if (!Number.isInteger(value.pid) || (value.pid as number) <= 0) return undefined;
    if (typeof value.runId !== 'string' || typeof value.started !== 'string') return undefined;
    const processStart = typeof value.processStart === 'string' ? { processStart: value.processStart } : {};
    return { pid: value.pid as number, runId: value.runId, started: value.started, ...processStart };
  } catch {
    return undefined;
  }
}

function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already gone.
  }
}
