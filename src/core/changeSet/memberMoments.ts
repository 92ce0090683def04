/**
 * What a change-set member's consumers wait for (issue 73): its work in (every agent of its last
 * wave done, its own producers linked in: they begin their checks against it), its work accepted
 * (every layer green: what they checked against is final, else they check again), its run finished
 * (its work tree final: they are checked on the combined heads), its part done (checked there and
 * committed: they commit theirs). A member that stops rejects them with why; settling again is a
 * no-op, so every way out may settle them all.
 */
import { RunCancelled } from '../errors';

export interface Moment {
  readonly promise: Promise<void>;
  settled: boolean;
  resolve(): void;
  reject(why: string): void;
}

export interface MemberMoments {
  workIn: Moment;
  accepted: Moment;
  finished: Moment;
  done: Moment;
}

export const memberMoments = (): MemberMoments => ({
  workIn: moment(),
  accepted: moment(),
  finished: moment(),
  done: moment(),
});

function moment(): Moment {
  let settle!: { resolve: () => void; reject: (error: Error) => void };
  const promise = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  // Nobody may wait for it (a member with no consumer): its rejection is said by the member that stopped.
  promise.catch(() => undefined);
  const made: Moment = {
    promise,
    settled: false,
    resolve: () => {
      made.settled = true;
      settle.resolve();
    },
    reject: (why) => {
      made.settled = true;
      settle.reject(new Error(why));
    },
  };
  return made;
}

/** Every moment reached; rejected with the first one's why, or RunCancelled when the signal aborts first. */
export async function reached(moments: readonly Moment[], signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) throw new RunCancelled();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new RunCancelled());
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([Promise.all(moments.map((m) => m.promise)), aborted]);
  } finally {
    signal?.removeEventListener('abort', onAbort!);
  }
}
