// The commit a build names (`orchestrator --version`, the extension's log, the Action's log):
// scripts/build.mjs stamps it into the bundles; `npm run release` (scripts/package.mjs's
// buildStaged) reads it here in the source checkout before building in a copy without `.git`.
import { spawnSync } from 'node:child_process';

/**
 * `dir`'s short HEAD, `-dirty` with uncommitted changes; null outside git (a build from the npm
 * tarball). `untracked`: new files count too (a release's copy holds every file of the checkout,
 * so an untracked source file is in what it builds; a development build ignores them).
 */
export function builtFrom(dir, { untracked = false } = {}) {
  const git = (...args) => spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
  const head = git('rev-parse', '--short', 'HEAD');
  if (head.status !== 0) return null;
  const status = git('status', '--porcelain', `--untracked-files=${untracked ? 'normal' : 'no'}`);
  return `${head.stdout.trim()}${status.stdout.trim() ? '-dirty' : ''}`;
}
