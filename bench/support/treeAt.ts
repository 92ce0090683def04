/**
 * This repository's source as it was at an earlier commit, in a temporary folder that shares the
 * current node_modules, so a bench can import the old code beside the new in one process and
 * compare them batch by batch (the machine's load then falls on both alike).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

export interface OldTree {
  dir: string;
  dispose(): void;
}

/** `paths` from `commit` (git archive); throws a one-line error when the clone lacks that commit. */
export function treeAt(commit: string, paths: string[]): OldTree {
  try {
    execFileSync('git', ['cat-file', '-e', `${commit}^{commit}`], { cwd: ROOT, stdio: 'ignore' });
  } catch {
    throw new Error(
      `commit ${commit.slice(0, 7)} is not in this clone (a shallow clone?): \`git fetch --unshallow\` to compare against it`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), `orch-bench-${commit.slice(0, 7)}-`));
  const tarball = execFileSync('git', ['archive', commit, '--', ...paths], { cwd: ROOT, maxBuffer: 1 << 30 });
  execFileSync('tar', ['-x', '-C', dir], { input: tarball });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
