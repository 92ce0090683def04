/** The files a run touched, as rollback needs them. Disjoint lists, sorted. */
export interface TouchedFiles {
  /** Existed at the checkpoint and were modified. */
  written: string[];
  /** Did not exist at the checkpoint (also when the run deleted them again). */
  created: string[];
  /** Existed at the checkpoint and are gone. */
  deleted: string[];
}

/**
 * What the run did to each path, judged against the checkpoint: a file the run created
 * stays "created" whatever happens to it next (rollback removes it), a pre-existing file
 * is "written" or "deleted" by its last operation (rollback restores it either way).
 */
export class FileTracker {
  private readonly kind = new Map<string, keyof TouchedFiles>();

  written(path: string, created: boolean): void {
    const before = this.kind.get(path);
    if (before === 'created') return;
    // Re-creating a file the run had deleted brings back a pre-existing path: it is "written".
    this.kind.set(path, created && before === undefined ? 'created' : 'written');
  }

  deleted(path: string): void {
    if (this.kind.get(path) === 'created') return;
    this.kind.set(path, 'deleted');
  }

  result(): TouchedFiles {
    const out: TouchedFiles = { written: [], created: [], deleted: [] };
    for (const [path, kind] of this.kind) out[kind].push(path);
    for (const list of Object.values(out)) list.sort();
    return out;
  }
}
