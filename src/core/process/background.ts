/**
 * A command nobody waits on but its own run (the strength step's mutants) runs below the others'
 * priority: on a machine's few cores, the checks the rest of the work waits on go first (a
 * change-set's consumers' checks run while a producer's mutants do: bench row 64). Where nothing
 * else wants the cores it runs as fast as before. `nice` lowers it and everything it starts among
 * the processes of its session; Linux shares the CPU fairly between sessions whatever their nice
 * (autogroups: each detached command, each sandbox, starts one), so its session's group is
 * lowered too, from inside (the sandbox starts that session itself). Windows: its priority class.
 */
import { setPriority } from 'node:os';

/** Nice 10: a tenth of a normal process's share where the two compete. */
const NICE = 10;

/** The shell command, its session's group lowered first (Linux with autogroups; elsewhere the write fails, silently). */
export function lowerSession(command: string): string {
  return process.platform === 'win32' ? command : `{ echo ${NICE} > /proc/self/autogroup; } 2>/dev/null; ${command}`;
}

/** The program started under `nice` (POSIX): what it starts inherits it. */
export function niced(program: { command: string; args: readonly string[]; shell: boolean }): {
  command: string;
  args: readonly string[];
  shell: boolean;
} {
  if (process.platform === 'win32') return program;
  const argv = program.shell ? ['/bin/sh', '-c', program.command] : [program.command, ...program.args];
  return { command: 'nice', args: ['-n', String(NICE), ...argv], shell: false };
}

/** Windows has no `nice`: the started process's priority class (below normal), once its pid is known. */
export function lowerStarted(pid: number): void {
  if (process.platform !== 'win32') return;
  try {
    setPriority(pid, NICE);
  } catch {
    // Already ended: nothing to lower.
  }
}
