/**
 * Folders a process of ours keeps in the temp folder while it works (the relays' sockets and
 * hosts file, the commands' private homes and caches) carry its pid in their name,
 * `<prefix><pid>-XXXXXX`. A process killed with SIGKILL cannot remove its own: the next one
 * that makes such a folder removes those whose process is gone.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const swept = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the `prefix` folders of processes that are gone (once per prefix and process). */
function sweep(prefix: string): void {
  if (swept.has(prefix)) return;
  swept.add(prefix);
  const pattern = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\d+)-`);
  let names: string[];
  try {
    names = readdirSync(tmpdir());
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(pattern.exec(name)?.[1] ?? 0);
    if (pid > 0 && pid !== process.pid && !alive(pid)) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}

/** A new private folder in the temp folder named for this process, the dead's folders of the same kind removed first. */
export function processTempFolder(prefix: string): string {
  sweep(prefix);
  return mkdtempSync(join(tmpdir(), `${prefix}${process.pid}-`));
}
