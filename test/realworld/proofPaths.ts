// Where `npm run realworld` writes a fix's test as a proof test (fixes.ts): under the proof folder
// init chose, named as its glob takes it.
import { posix } from 'node:path';
import picomatch from 'picomatch';
import type { Kit } from './kits';

/** Where the proof test goes: the proof folder nearest the original test (the most folders in common), under a name its glob takes. */
export function proofPath(globs: readonly string[], original: string, kit: Kit): string {
  // Proof off: no folder; the plan is made all the same (the run has no PROVE to write it).
  if (globs.length === 0) return original;
  const bases = globs.map((g) => ({ glob: g, base: picomatch.scan(g).base }));
  const folders = original.split('/').slice(0, -1);
  const near = (b: string) => {
    const parts = b === '' ? [] : b.split('/');
    const common = parts.findIndex((part, i) => folders[i] !== part);
    return common < 0 ? parts.length : common;
  };
  const best = [...bases].sort((a, b) => near(b.base) - near(a.base) || a.base.length - b.base.length)[0]!;
  for (const name of kit.names(posix.basename(original))) {
    const path = posix.join(best.base, name);
    if (picomatch(best.glob, { dot: true })(path)) return path;
  }
  // A proof folder that is a file pattern (unittest's `tests/test_acceptance_*.py`; Go's `{acceptance_*_test.go,[^.]*/**/…}`,
  // a brace list's last name): its `*` takes the test's own stem; a pattern ending in its `*` (`test/acceptance-*`)
  // takes the whole name, extension and all. Beside the original where the glob takes it (Go's, files of the package
  // they test), else in the folder's base.
  const pattern = posix.basename(best.glob).replace(/\}$/, '');
  const stem = posix
    .basename(original)
    .replace(/\.[^.]+$/, '')
    .replace(/^test_|_test$/, '');
  const name = pattern.replace('*', pattern.endsWith('*') ? posix.basename(original) : stem);
  for (const folder of [posix.dirname(original), best.base]) {
    const filled = posix.join(folder, name);
    if (pattern.includes('*') && picomatch(best.glob, { dot: true })(filled)) return filled;
  }
  throw new Error(`no name for ${original} under the proof folder ${best.glob}`);
}
