/**
 * Commands defined in Nix, as CI runs them: `nix develop [.#shell] -c CMD` and `devenv shell [--] CMD`
 * run CMD in the flake's or devenv's shell (CMD is the check), `nix-shell [file] --run 'CMD'` runs the
 * one string it is given; `nix flake check` runs the flake's `checks`, `nix build` and `nix-build` build
 * a derivation (a package's check phase runs its tests; an attribute under `tests` or `checks` is one).
 */
import type { Judged } from './runnerChecks';

/** Where the command a Nix shell runs starts (`nix develop .#ci -c dune build` → `dune`), or undefined when it runs none. */
export function nixShellCommandStart(words: readonly string[], at: number): number | undefined {
  const program = words[at]!.split('/').at(-1);
  if (program === 'nix' && words[at + 1] === 'develop') {
    const flag = words.findIndex((w, i) => i > at + 1 && (w === '-c' || w === '--command'));
    return flag > 0 && flag + 1 < words.length ? flag + 1 : undefined;
  }
  if (program === 'devenv' && words[at + 1] === 'shell' && at + 2 < words.length)
    return words[at + 2] === '--' ? at + 3 : at + 2;
  return undefined;
}

/** The string `nix-shell … --run 'CMD'` runs, or undefined when it runs none (an interactive shell). */
export function nixShellRun(words: readonly string[]): string | undefined {
  if (words[0]?.split('/').at(-1) !== 'nix-shell') return undefined;
  const at = words.indexOf('--run');
  return at > 0 ? words[at + 1] : undefined;
}

/** What `nix …`, `nix-build` and `devenv …` are asked to check, past the shells above. */
export function nixCheck(program: string, args: readonly string[]): Judged | undefined {
  const plain = args.filter((w) => !w.startsWith('-'));
  if (program === 'nix-build') return { kind: 'build' };
  if (program === 'devenv') return plain[0] === 'test' ? { kind: 'test' } : undefined;
  if (plain[0] === 'flake' && plain[1] === 'check') return { kind: 'test' };
  if (plain[0] !== 'build') return undefined;
  // `nix build .#pkg.tests.coverage`, `.#checks.x86_64-linux.lint`: a test derivation; any other a build.
  return plain.slice(1).some((w) => /#(.+\.)?(tests|checks)(\.|$)/.test(w)) ? { kind: 'test' } : { kind: 'build' };
}
