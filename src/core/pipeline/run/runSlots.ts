/**
 * Several runs at once (issue 22). Worktree runs of one workspace take a slot each, at most
 * `limits.concurrentRuns`: in this process (the editor starts several) a run waits for a
 * slot; runs of other processes (each CLI run is one) are counted by their live worktree
 * locks. Model requests of all runs in this process share one `limits.concurrency` limiter
 * per workspace, so three runs do not make three times the load.
 */
import { activeRunLock } from '../../journal';
import { worktreeFolders } from '../../git';
import { createLimiter, type Limiter } from '../kernel';
import { RunCancelled } from '../../errors';

interface Slots {
  active: number;
  waiting: (() => void)[];
}

const slotsByWorkspace = new Map<string, Slots>();
const limiters = new Map<string, { max: number; limit: Limiter }>();

/** How often a run waiting on other processes' runs looks again. */
const POLL_MS = 1000;

/**
 * Takes one of `max` run slots for `workspace`, waiting while all are in use; returns its
 * release. `onWait` is told once when the run has to wait.
 */
export async function takeRunSlot(
  workspace: string,
  worktreeFolder: string,
  max: number,
  onWait: (inUse: number) => void,
  signal?: AbortSignal,
): Promise<() => void> {
  const slots = slotsByWorkspace.get(workspace) ?? { active: 0, waiting: [] };
  slotsByWorkspace.set(workspace, slots);
  let told = false;
  for (;;) {
    if (signal?.aborted) throw new RunCancelled();
    const inUse = slots.active + runsOfOtherProcesses(worktreeFolder);
    if (inUse < max) break;
    if (!told) onWait(inUse);
    told = true;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, POLL_MS);
      function done(): void {
        clearTimeout(timer);
        const at = slots.waiting.indexOf(done);
        if (at !== -1) slots.waiting.splice(at, 1);
        resolve();
      }
      slots.waiting.push(done);
    });
  }
  slots.active++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    slots.active--;
    slots.waiting.shift()?.();
  };
}

/** One limiter of model work per workspace for every run of this process. */
export function sharedLimiter(workspace: string, max: number): Limiter {
  const known = limiters.get(workspace);
  if (known && known.max === max) return known.limit;
  const limit = createLimiter(max);
  limiters.set(workspace, { max, limit });
  return limit;
}

/**
 * Worktree runs of this repository that another live process holds. Reading them means a lock
 * read (and the holder's process looked up) per worktree: runs starting together (twenty issues
 * labelled at once) take one count, not one each (n² lock reads for n runs). A count is kept a
 * moment only: another process's run started since is seen by the next burst, or the next look of
 * a waiting run; the count across processes was never atomic (each process counts, then starts).
 */
function runsOfOtherProcesses(worktreeFolder: string): number {
  const now = Date.now();
  const known = counted.get(worktreeFolder);
  if (known && now - known.at < BURST_MS) return known.count;
  let count = 0;
  for (const dir of worktreeFolders(worktreeFolder)) {
    const holder = activeRunLock(dir);
    if (holder && holder.pid !== process.pid) count++;
  }
  counted.set(worktreeFolder, { at: now, count });
  return count;
}

const BURST_MS = 250;
const counted = new Map<string, { at: number; count: number }>();
