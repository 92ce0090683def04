/**
 * Meson, as its projects are checked: `meson setup <builddir>` configures a build folder (no check by
 * itself), `meson test -C <builddir>` builds and runs the tests, `meson compile -C <builddir>` builds.
 * A build folder never exists in a fresh copy of the repository, so a test or compile CI runs in one
 * is kept with the setup of that folder before it (`meson setup _build && meson test -C _build`).
 */
import type { Judged } from './runnerChecks';

export function mesonCheck(args: readonly string[]): Judged | undefined {
  const sub = args.find((w) => !w.startsWith('-'));
  return sub === 'test' ? { kind: 'test' } : sub === 'compile' ? { kind: 'build' } : undefined;
}

/** The build folder `meson test -C _build` or `meson compile -C _build` runs in, which a `meson setup` must make first. */
export function mesonBuildDir(words: readonly string[]): string | undefined {
  if (words[0]?.split('/').at(-1) !== 'meson' || mesonCheck(words.slice(1)) === undefined) return undefined;
  const at = words.indexOf('-C');
  const dir = at > 0 ? words[at + 1] : words.find((w) => w.startsWith('-C') && w.length > 2)?.slice(2);
  return dir !== undefined && !dir.startsWith('$') ? dir : undefined;
}
