/**
 * CLI agents start detached, each in its own process group, so that on cancel, the budget
 * cap or the wall-clock limit the whole group ends at once: the agent and every command it
 * started. Ending only the agent would leave it time to run the tool of a reply it already
 * has and to send the next request (docs/runners.md), and would orphan its commands.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export type CliSpawn = (
  command: string,
  args: readonly string[],
  options: { cwd?: string; env: Record<string, string | undefined> },
) => ChildProcess;

export class ProcessGroups {
  private readonly children = new Set<ChildProcess>();

  readonly spawn: CliSpawn = (command, args, options) => {
    const child = spawn(command, [...args], {
      ...(options.cwd ? { cwd: options.cwd } : {}),
      env: options.env,
      detached: process.platform !== 'win32',
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    return child;
  };

  /** Ends every group this spawner started, at once (SIGKILL: nothing more may run). */
  endAll(): void {
    for (const child of this.children) {
      try {
        if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}
