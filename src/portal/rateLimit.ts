/**
 * Sign-in attempts, rate-limited per account name and per client address: after 5 failures within
 * 15 minutes, further attempts are refused (429 with Retry-After) until the window passes, whether
 * or not the password is right. A success clears the name's count. Bounded memory: the stalest entries go first.
 */
const WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES = 5;
const MAX_KEYS = 50_000;

export class SignInLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Seconds to wait before another attempt for any of `keys`, or 0. */
  retryAfter(keys: string[]): number {
    const now = this.now();
    let wait = 0;
    for (const key of keys) {
      const recent = (this.failures.get(key) ?? []).filter((at) => now - at < WINDOW_MS);
      if (recent.length >= MAX_FAILURES) wait = Math.max(wait, Math.ceil((recent[0]! + WINDOW_MS - now) / 1000));
    }
    return wait;
  }

  failed(keys: string[]): void {
    const now = this.now();
    for (const key of keys) {
      const recent = [...(this.failures.get(key) ?? []).filter((at) => now - at < WINDOW_MS), now].slice(-MAX_FAILURES);
      // Re-inserted last: the map's order is the keys' last failure, so the oldest go first when full.
      this.failures.delete(key);
      this.failures.set(key, recent);
    }
    // Full: the keys whose last failure is oldest go (never all at once: a flood of names must not unlock an address).
    for (const key of this.failures.keys()) {
      if (this.failures.size <= MAX_KEYS) break;
      this.failures.delete(key);
    }
  }

  succeeded(name: string): void {
    this.failures.delete(`name:${name}`);
  }
}
