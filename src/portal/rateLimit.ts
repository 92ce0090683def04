/**
 * Sign-in attempts, rate-limited per account name and per client address: 5 attempts that did not
 * succeed within 15 minutes lock further attempts (429 with Retry-After) until the window passes,
 * whether or not the password is right. Each attempt is counted in the queue's store, atomically
 * and BEFORE the password is compared: of 40 sign-ins sent at once, 5 are compared and 35 refused
 * unread, and the counts hold across a restart and across every `serve` process on the queue. A
 * success forgets the name's count and takes its own attempt back from the address's (a team
 * behind one address is not locked out by its own sign-ins).
 */
import type { QueueStore } from '../core/queue';

// One window for every key: counting an attempt clears the rows whose window has passed, all keys alike.
const WINDOW_SEC = 15 * 60;
export const MAX_FAILURES = 5;

type Counters = Pick<QueueStore, 'countSignInAttempt' | 'signInAttempts' | 'signInSucceeded'>;

export class SignInLimiter {
  constructor(
    private readonly store: Counters,
    private readonly now: () => number = Date.now,
    /** Attempts that did not succeed within the window before the keys lock (the GitHub webhook's are more). */
    private readonly maxFailures: number = MAX_FAILURES,
  ) {}

  /**
   * Counts an attempt against every key, before its secret is checked. Seconds to wait when any
   * key is over the limit (the attempt is refused: check nothing), else 0.
   */
  async attempt(keys: string[]): Promise<number> {
    const now = this.now();
    let wait = 0;
    for (const key of keys) {
      const { count, windowStart } = await this.store.countSignInAttempt(key, new Date(now), WINDOW_SEC);
      if (count > this.maxFailures) wait = Math.max(wait, this.waitFrom(windowStart, now));
    }
    return wait;
  }

  /** Seconds to wait before another attempt for any of `keys`, or 0, without counting one (where no secret is checked yet). */
  async retryAfter(keys: string[]): Promise<number> {
    const now = this.now();
    let wait = 0;
    for (const { count, windowStart } of await this.store.signInAttempts(keys)) {
      if (count >= this.maxFailures) wait = Math.max(wait, this.waitFrom(windowStart, now));
    }
    return wait;
  }

  /** A failure beyond the attempt's own keys (an OpenID email no account has): counted too. */
  async failed(keys: string[]): Promise<void> {
    await this.attempt(keys);
  }

  /** The attempt under `name`'s key succeeded: forget the name's count, take it back from the other keys (the address). */
  async succeeded(nameKey: string | undefined, otherKeys: string[]): Promise<void> {
    await this.store.signInSucceeded(nameKey ? [nameKey] : [], otherKeys);
  }

  private waitFrom(windowStart: string, now: number): number {
    return Math.max(0, Math.ceil((Date.parse(windowStart) + WINDOW_SEC * 1000 - now) / 1000));
  }
}
