/**
 * Approvals under way, journaled durably before the first byte of an artifact is written: what
 * each file was (bytes and mode, or absent), which folders the change creates, and who holds the
 * decision (the process, by host, pid and start time). A process killed while an approval's
 * validate commands run leaves its journal behind; the next `serve`, `mcp`, `task …` or sidebar on
 * this repository finds it (`recoverApprovals`), puts every file back, and gives the hold up, so the
 * task can be decided at once and a rejection leaves nothing. A hold whose holder process is gone
 * (same host) is taken over at once, without waiting for it to lapse.
 *
 * One JSON file per artifact in the repository's data folder (dataDir.ts, `approvals/`), written to
 * a temporary file, flushed, and renamed into place: it is whole or absent, never half.
 */
import { closeSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { isProcessAlive, processStartTime } from '../journal';
import { repositoryDataDir } from './dataDir';

export interface FileBefore {
  abs: string;
  /** base64 of the bytes; undefined: the file did not exist. */
  content?: string;
  mode?: number;
}

export interface ApprovalEntry {
  artifactId: string;
  taskId: string;
  /** The decision's holder in the store (holderName()): whose hold to give up. */
  holder: string;
  reviewer: string;
  startedAt: string;
  files: FileBefore[];
  /** The outermost folders the change creates, removed on restore. */
  createdDirs: string[];
}

/** Who holds a decision: the reviewer, a random id, and this process (host, pid, start time), so another process can tell it is gone. */
export function holderName(reviewer: string, id: string): string {
  const clean = reviewer.replace(/\|/g, '_').slice(0, 60);
  return `${clean}#${id}|${hostname()}|${process.pid}|${processStartTime(process.pid) ?? ''}`;
}

/** The holder's process is gone for sure: on this host, and its pid is dead or now another process. Unknown shapes are never gone. */
export function holderIsGone(holder: string, ours: ReadonlySet<string> = new Set()): boolean {
  const parts = holder.split('|');
  if (parts.length < 4) return false;
  const [, host, pidText, start] = parts as [string, string, string, string];
  if (host !== hostname() || !/^\d+$/.test(pidText)) return false;
  const pid = Number(pidText);
  // This very process: alive, unless the hold is not one of its approvals under way (an earlier life with the same pid).
  if (pid === process.pid) return !ours.has(holder);
  if (!isProcessAlive(pid)) return true;
  const now = processStartTime(pid);
  return start !== '' && now !== undefined && now !== start;
}

export class ApprovalJournal {
  constructor(private readonly workspace: string) {}

  private get dir(): string {
    return repositoryDataDir(this.workspace, 'approvals');
  }

  private file(artifactId: string): string {
    return join(this.dir, `${artifactId.replace(/[^A-Za-z0-9-]/g, '_')}.json`);
  }

  /** Written and flushed before any file of the approval is touched. */
  save(entry: ApprovalEntry): void {
    const file = this.file(entry.artifactId);
    const temp = `${file}.${process.pid}.tmp`;
    const fd = openSync(temp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify(entry));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
    // The rename itself is durable once the folder is flushed (not possible on Windows: skipped).
    try {
      const dirFd = openSync(this.dir, 'r');
      fsyncSync(dirFd);
      closeSync(dirFd);
    } catch {
      // no directory handles here
    }
  }

  clear(artifactId: string): void {
    rmSync(this.file(artifactId), { force: true });
  }

  get(artifactId: string): ApprovalEntry | undefined {
    return this.entries().find((entry) => entry.artifactId === artifactId);
  }

  /** Every approval journaled here; a file that does not parse is skipped (a temporary file, another version's). */
  entries(): ApprovalEntry[] {
    const found: ApprovalEntry[] = [];
    for (const name of readdirSync(this.dir)) {
      if (!name.endsWith('.json')) continue;
      try {
        const entry = JSON.parse(readFileSync(join(this.dir, name), 'utf8')) as ApprovalEntry;
        if (typeof entry.artifactId === 'string' && typeof entry.holder === 'string' && Array.isArray(entry.files))
          found.push(entry);
      } catch {
        // not a whole journal: written by a temporary file's rename only, so never one of ours
      }
    }
    return found;
  }
}

/** Puts every file back as the journal says it was, and removes the folders the change created. */
export async function restoreFiles(entry: Pick<ApprovalEntry, 'files' | 'createdDirs'>): Promise<void> {
  for (const file of entry.files) {
    if (file.content === undefined) await rm(file.abs, { force: true });
    else {
      await mkdir(join(file.abs, '..'), { recursive: true });
      await writeFile(file.abs, Buffer.from(file.content, 'base64'));
      if (file.mode !== undefined) await chmod(file.abs, file.mode & 0o7777);
    }
  }
  for (const dir of entry.createdDirs) await rm(dir, { recursive: true, force: true });
}
