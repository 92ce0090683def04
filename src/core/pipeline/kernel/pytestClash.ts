/**
 * pytest's `import file mismatch` (issue 70, mozilla/bleach): its default import mode imports a test
 * module outside a package by its basename, so two test files of one name in plain folders stop the
 * whole suite at collection. When one of each pair is a file no layer may write (a frozen proof test,
 * ours), no retry of the layer could change it: the check stops at once, naming it.
 */
import { isAbsolute, relative, sep } from 'node:path';

/** The files of `output`'s `import file mismatch` pairs for which `unwritable` holds, when every collection error is such a pair; else undefined. */
export function pytestClashOn(
  output: string,
  workspace: string,
  unwritable: (file: string) => boolean,
): string[] | undefined {
  if (!/Interrupted: \d+ errors? during collection/.test(output)) return undefined;
  const errors = output.match(/^_+ ERROR collecting \S+ _+$/gm)?.length ?? 0;
  const pairs = [
    ...output.matchAll(
      /import file mismatch:\s*imported module '[^']+' has this __file__ attribute:\s*(\S+)\s*which is not the same as the test file we want to collect:\s*(\S+)/g,
    ),
  ].map((m) => [m[1]!, m[2]!].map((path) => inWorkspace(path, workspace)));
  if (pairs.length === 0 || pairs.length !== errors) return undefined;
  const named = pairs.map((pair) => pair.filter((file): file is string => file !== undefined && unwritable(file)));
  if (named.some((files) => files.length === 0)) return undefined;
  return [...new Set(named.flat())];
}

function inWorkspace(path: string, workspace: string): string | undefined {
  const rel = isAbsolute(path) ? relative(workspace, path) : path;
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? undefined : rel.split(sep).join('/');
}
