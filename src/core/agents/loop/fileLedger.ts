import type { FileChange } from '../tools/toolTypes';

/**
 * Net file changes of one agent run. A file counts as created only if it did not exist
 * when the agent first touched it, so a create-then-delete leaves no trace and a
 * delete-then-rewrite is a plain write; rollback relies on this distinction.
 */
export class FileLedger {
  private readonly files = new Map<string, { existedAtFirstTouch: boolean; existsNow: boolean }>();

  record(change: FileChange): void {
    const entry = this.files.get(change.path) ?? { existedAtFirstTouch: change.existed, existsNow: change.existed };
    entry.existsNow = change.kind === 'written';
    this.files.set(change.path, entry);
  }

  /** Files that exist now and were written or edited (created ones included). */
  get written(): string[] {
    return this.pick((f) => f.existsNow);
  }

  get created(): string[] {
    return this.pick((f) => f.existsNow && !f.existedAtFirstTouch);
  }

  get deleted(): string[] {
    return this.pick((f) => !f.existsNow && f.existedAtFirstTouch);
  }

  private pick(test: (f: { existedAtFirstTouch: boolean; existsNow: boolean }) => boolean): string[] {
    return [...this.files]
      .filter(([, f]) => test(f))
      .map(([path]) => path)
      .sort();
  }
}
