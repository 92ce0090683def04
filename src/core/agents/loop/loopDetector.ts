/** Key order must not hide a repeat: {a,b} and {b,a} are the same call. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

/**
 * Spots a model stuck repeating itself: the same tool with identical input `limit`
 * times in a row (across turns) means it is not making progress.
 */
export class LoopDetector {
  private lastKey: string | undefined;
  private runLength = 0;

  constructor(private readonly limit = 3) {}

  /** Records a call; true when it completes a run of `limit` identical calls. */
  observe(name: string, input: unknown): boolean {
    const key = `${name}\u0000${stableStringify(input)}`;
    this.runLength = key === this.lastKey ? this.runLength + 1 : 1;
    this.lastKey = key;
    return this.runLength >= this.limit;
  }
}
