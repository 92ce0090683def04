// The machine's processes as /proc shows them (Linux), to find what a workbench window left running.
import { readdirSync, readFileSync } from 'node:fs';

export interface Proc {
  pid: number;
  ppid: number;
  /** Start time in clock ticks since boot: with the pid, names one process even after its pid is reused. */
  started: number;
  /** The command line, for messages. */
  args: string;
}

/** /proc/<pid>/stat's fields after the command name (which may hold spaces and parentheses). */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined; // gone meanwhile
  }
}

function args(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** Every live process (zombies, which have ended and wait to be reaped, are not). */
export function processTable(): Proc[] {
  const procs: Proc[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    const f = statFields(pid);
    // f[0] is the state, f[1] the parent, f[19] the start time (fields 3, 4 and 22 of stat).
    if (!f || f[0] === 'Z' || f[0] === 'X') continue;
    procs.push({ pid, ppid: Number(f[1]), started: Number(f[19]), args: args(pid) });
  }
  return procs;
}

/** The processes below `pid` (children, theirs, …) in `table`. */
export function descendants(pid: number, table: Proc[] = processTable()): Proc[] {
  const found: Proc[] = [];
  const walk = (parent: number) => {
    for (const p of table) {
      if (p.ppid !== parent) continue;
      found.push(p);
      walk(p.pid);
    }
  };
  walk(pid);
  return found;
}

/** True while that very process runs (not ended, not a zombie, its pid not reused). */
export function running(p: Proc): boolean {
  const f = statFields(p.pid);
  return f !== undefined && f[0] !== 'Z' && f[0] !== 'X' && Number(f[19]) === p.started;
}

/** The value of `name` in the process's environment as it started, if readable. */
export function environmentValue(pid: number, name: string): string | undefined {
  try {
    const entry = readFileSync(`/proc/${pid}/environ`, 'utf8')
      .split('\0')
      .find((e) => e.startsWith(`${name}=`));
    return entry?.slice(name.length + 1);
  } catch {
    return undefined;
  }
}
