/**
 * The repository's files, sorted, searched by folder: what lies under a prefix is found by binary
 * search, not by walking 20,000 paths once per layer and question.
 */
export class FileIndex {
  private readonly sorted: readonly string[];
  private readonly set: ReadonlySet<string>;

  constructor(files: Iterable<string>) {
    this.sorted = [...files].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    this.set = new Set(this.sorted);
  }

  has(path: string): boolean {
    return this.set.has(path);
  }

  /** The files whose path starts with `prefix` (`apps/web/`, `tests/acceptance_`), in order. */
  under(prefix: string): string[] {
    const found: string[] = [];
    for (let i = this.first(prefix); i < this.sorted.length && this.sorted[i]!.startsWith(prefix); i++)
      found.push(this.sorted[i]!);
    return found;
  }

  /** Whether any file's path starts with `prefix`. */
  any(prefix: string): boolean {
    return this.sorted[this.first(prefix)]?.startsWith(prefix) ?? false;
  }

  private first(prefix: string): number {
    let low = 0;
    let high = this.sorted.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.sorted[mid]! < prefix) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
