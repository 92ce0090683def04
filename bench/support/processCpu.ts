/**
 * The CPU a process and the processes it starts spent, so a row measured on a busy machine still
 * says what the code cost (issue 63). Its own from process.cpuUsage; its children's from Linux's
 * /proc: those it reaped (cutime/cstime of /proc/self/stat) and those still alive (a helper such
 * as the spawner, src/core/process/spawner.ts, with whatever it reaped in turn). Elsewhere the
 * children's share is unknown (undefined).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface CpuMark {
  ownMs: number;
  /** Every child's CPU so far, by pid (0: the reaped ones together); undefined off Linux. */
  children?: Map<number, number>;
}

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
function times(pid: number | 'self'): [number, number, number, number] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return [Number(fields[11]), Number(fields[12]), Number(fields[13]), Number(fields[14])];
  } catch {
    return undefined;
  }
}

function childPids(of: number = process.pid): number[] {
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

export function cpuMark(): CpuMark {
  const { user, system } = process.cpuUsage();
  const ownMs = (user + system) / 1000;
  const self = process.platform === 'linux' ? times('self') : undefined;
  if (!self) return { ownMs };
  const tick = clockTickMs();
  const children = new Map<number, number>([[0, (self[2] + self[3]) * tick]]);
  for (const pid of childPids()) {
    const t = times(pid);
    if (t) children.set(pid, (t[0] + t[1] + t[2] + t[3]) * tick);
  }
  return { ownMs, children };
}

/**
 * What was spent between two marks: this process's CPU and its children's. A child alive at the
 * first mark and reaped before the second counts once: its whole time is in the reaped total then.
 */
export function cpuSince(before: CpuMark, after: CpuMark = cpuMark()): { ownMs: number; childrenMs?: number } {
  const ownMs = after.ownMs - before.ownMs;
  if (!before.children || !after.children) return { ownMs };
  const sum = (m: Map<number, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  return { ownMs, childrenMs: Math.max(0, sum(after.children) - sum(before.children)) };
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
