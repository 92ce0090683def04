/**
 * Which of a spec's files changed since it completed: each file's git blob id now against the
 * one recorded at COMPLETE (no git needed, so a CI clone without the private ref works), and,
 * where the completion commit is in the repository, the lines changed from `git diff` against
 * it (read-only: the work tree is written as a tree object through a throwaway index; HEAD,
 * the index and the branch are untouched).
 */
import { join } from 'node:path';
import { diffSinceCheckpoint, hasCommit, locateRepo, numstatByPath, writeWorktreeTree } from '../git';
import { DenyList } from '../project/config';
import { blobIdOf } from '../pipeline/phases';
import type { FileChange } from './types';

export async function changedSinceRecord(
  workspace: string,
  recorded: Readonly<Record<string, string | null>>,
  paths: readonly string[],
): Promise<FileChange[]> {
  const changes: FileChange[] = [];
  for (const path of paths) {
    if (!Object.hasOwn(recorded, path)) continue;
    const then = recorded[path] ?? null;
    const now = await blobIdOf(join(workspace, path));
    if (then === now) continue;
    changes.push({ path, status: then === null ? 'added' : now === null ? 'deleted' : 'modified' });
  }
  return changes;
}

/**
 * `git diff --numstat` from the completion commit to today's work tree, for the files that
 * changed; undefined where git or the commit is not there (a clone without the private ref).
 * The work tree's tree object is written once per verify session.
 */
export class LineStats {
  private tree?: Promise<string | undefined>;
  private readonly known = new Map<string, Promise<boolean>>();

  constructor(
    private readonly workspace: string,
    private readonly deny: readonly string[],
    /** Restricted Mode: git is not run at all (it would run the repository's fsmonitor, hooks, filters). */
    private readonly trusted: boolean,
  ) {}

  async of(
    commit: string | null,
    paths: readonly string[],
  ): Promise<Map<string, { added: number; removed: number }> | undefined> {
    if (!this.trusted || !commit || paths.length === 0 || !(await this.hasCommit(commit))) return undefined;
    const tree = await (this.tree ??= this.currentTree());
    if (!tree) return undefined;
    // As the run's own diffs: no external diff tool, textconv or colour; each path as itself.
    return numstatByPath(this.workspace, commit, tree, paths);
  }

  /** The unified diff from the completion commit to today's work tree over `paths` (for `--explain`). */
  async diff(commit: string | null, paths: readonly string[]): Promise<string | undefined> {
    if (!this.trusted || !commit || paths.length === 0 || !(await this.hasCommit(commit))) return undefined;
    const tree = await (this.tree ??= this.currentTree());
    if (!tree) return undefined;
    return diffSinceCheckpoint(this.workspace, commit, paths, tree).catch(() => undefined);
  }

  private hasCommit(commit: string): Promise<boolean> {
    const known = this.known.get(commit) ?? hasCommit(this.workspace, commit);
    this.known.set(commit, known);
    return known;
  }

  private async currentTree(): Promise<string | undefined> {
    try {
      return await writeWorktreeTree(await locateRepo(this.workspace), new DenyList(this.deny));
    } catch {
      return undefined;
    }
  }
}
