/**
 * The CPU a process and the processes it starts spent, and the whole machine's, so a row measured
 * on a busy machine still says what the code cost (issue 63). From Linux's /proc; undefined
 * elsewhere.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let tickMs: number | undefined;
/** Milliseconds per clock tick of /proc's figures (100 ticks a second on every usual Linux). */
function clockTickMs(): number {
  if (tickMs === undefined) {
    try {
      tickMs = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    } catch {
      tickMs = 10;
    }
    if (!Number.isFinite(tickMs) || tickMs <= 0) tickMs = 10;
  }
  return tickMs;
}

/** utime, stime, cutime, cstime of /proc/<pid>/stat, in ticks (after the command's name, which may hold spaces). */
function times(pid: number): [number, number, number, number] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return [Number(fields[11]), Number(fields[12]), Number(fields[13]), Number(fields[14])];
  } catch {
    return undefined;
  }
}

function childPids(of: number): number[] {
  const pids: number[] = [];
  for (const tid of readdirSync(`/proc/${of}/task`)) {
    try {
      pids.push(
        ...readFileSync(`/proc/${of}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number),
      );
    } catch {
      // The thread ended meanwhile.
    }
  }
  return pids;
}

/**
 * Another process's CPU (a `serve` started as the user starts it) and that of the processes it
 * started: those it reaped and those still alive (its spawning helper). Undefined off Linux.
 */
export function cpuOf(pid: number): { ownMs: number; childrenMs: number } | undefined {
  const t = process.platform === 'linux' ? times(pid) : undefined;
  if (!t) return undefined;
  const tick = clockTickMs();
  let childrenMs = (t[2] + t[3]) * tick;
  for (const child of childPids(pid)) {
    const c = times(child);
    if (c) childrenMs += (c[0] + c[1] + c[2] + c[3]) * tick;
  }
  return { ownMs: (t[0] + t[1]) * tick, childrenMs };
}

/** The whole machine's CPU time so far by kind (/proc/stat's first line), in ms; undefined off Linux. */
export function machineCpu(): { userMs: number; systemMs: number; idleMs: number } | undefined {
  try {
    const [user, nice, system, idle, iowait, irq, softirq] = readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]!
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number) as number[];
    const tick = clockTickMs();
    return {
      userMs: (user! + nice!) * tick,
      systemMs: (system! + irq! + softirq!) * tick,
      idleMs: (idle! + iowait!) * tick,
    };
  } catch {
    return undefined;
  }
}
