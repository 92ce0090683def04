/**
 * Python proof tests are modules of a package of their own (issue 70, mozilla/bleach): pytest's
 * default import mode (`prepend`) imports a test file outside a package by its basename alone, so
 * `tests/acceptance/test_linkify.py` beside the project's `tests/test_linkify.py` stops the whole
 * suite at collection (`import file mismatch`). pytest's documented way out is packages: with an
 * `__init__.py` in the proof folder the proof test is `acceptance.test_linkify`, whichever import
 * mode and rootdir the project runs with, and unittest's discovery, which enters only packages,
 * collects it too. Only folders wholly ours (a glob `<folder>/**`) get one, never the project's.
 */
import { posix } from 'node:path';
import picomatch from 'picomatch';

/**
 * The `__init__.py` files (workspace-relative) missing for each Python test of `files` to be a module of its proof
 * folder's package, when the folder holding the proof folder is no package (the project's tests are not packages:
 * where they are, its layout is left as it is); `exists` says whether a workspace-relative file is there.
 */
export function proofPackageFiles(
  globs: readonly string[],
  files: readonly string[],
  exists: (path: string) => boolean,
): string[] {
  const roots = globs.flatMap((glob) => {
    const root = /^(.+?)\/\*\*(?:\/[^/]*)?$/.exec(glob)?.[1];
    return root && !/[*?[{]/.test(root) ? [{ root, matches: picomatch(glob, { dot: true }) }] : [];
  });
  const packages = new Set<string>();
  for (const file of files) {
    if (!file.endsWith('.py')) continue;
    const root = roots.find((r) => r.matches(file) && file.startsWith(`${r.root}/`))?.root;
    if (!root || exists(posix.join(posix.dirname(root), '__init__.py'))) continue;
    for (
      let folder = posix.dirname(file);
      folder === root || folder.startsWith(`${root}/`);
      folder = posix.dirname(folder)
    )
      if (!exists(`${folder}/__init__.py`)) packages.add(`${folder}/__init__.py`);
  }
  return [...packages].sort();
}
