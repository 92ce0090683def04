/**
 * When a process started, as an opaque string that is the same every time it is asked about
 * the same process and differs for a later process that got the same pid. The run lock
 * records it, so a lock whose pid was reused by an unrelated process is known to be stale.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let bootId: string | undefined;
/** This process's own, asked for by every run lock it takes: it cannot change, and /proc/<pid>/stat of a busy process is slow to read (~2 ms at serve's size, on its main thread). */
let ownStart: { value: string | undefined } | undefined;

/** undefined where it cannot be told (Windows, a process that is gone, no `ps`). */
export function processStartTime(pid: number): string | undefined {
  if (pid !== process.pid) return lookUp(pid);
  ownStart ??= { value: lookUp(pid) };
  return ownStart.value;
}

function lookUp(pid: number): string | undefined {
  try {
    if (process.platform === 'linux') return linuxStart(pid);
    if (process.platform === 'win32') return undefined;
    // macOS and the BSDs: the start time as ps prints it (to the second, in local time).
    const out = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], {
      encoding: 'utf8',
      timeout: 2000,
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return out === '' ? undefined : `ps:${out}`;
  } catch {
    return undefined;
  }
}

/** Field 22 of /proc/<pid>/stat (clock ticks after boot), with the boot's id. */
function linuxStart(pid: number): string | undefined {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) is in parentheses and may itself contain spaces and ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = fields[19];
  if (ticks === undefined || !/^\d+$/.test(ticks)) return undefined;
  bootId ??= readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  return `linux:${bootId}:${ticks}`;
}
