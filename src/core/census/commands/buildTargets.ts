/**
 * The folders a command's build targets name, for the build systems that name packages by target:
 * Bazel (`//a/b/...` everything under a/b, `//a/b:t` and `//a/b` the package a/b, `//...` the whole
 * workspace) and Pants (`a/b::` everything under a/b, `a/b:t`, `a/b/f.py`, `::` the whole). dune's
 * folder targets (`dune build http cohttp`) are exact folders. Relative to where the command runs.
 */
import { duneTargets } from './toolChecks';

export interface BuildTarget {
  folder: string;
  /** The target covers every package under the folder (`//a/...`, `a::`). */
  recursive: boolean;
  /** Where the target stands among the command's words. */
  index: number;
}

const BAZEL = /^(bazel|bazelisk)$/;
const PANTS = /^(pants|\.\/pants)$/;

export function buildTargets(words: readonly string[]): BuildTarget[] {
  const at = words.findIndex((w) => BAZEL.test(w.split('/').at(-1)!) || PANTS.test(w));
  if (at < 0)
    return duneTargets(words).map((folder) => ({
      folder: folder.replace(/\/$/, ''),
      recursive: false,
      index: words.lastIndexOf(folder),
    }));
  const bazel = BAZEL.test(words[at]!.split('/').at(-1)!);
  const targets: BuildTarget[] = [];
  for (let index = at + 1; index < words.length; index++) {
    const word = words[index]!;
    if (word === '--') break;
    if (word.startsWith('-')) continue;
    if (bazel) {
      const m = /^\/\/([^:]*?)(\/?\.\.\.)?(:.*)?$/.exec(word);
      if (m) targets.push({ folder: m[1]!.replace(/\/$/, ''), recursive: m[2] !== undefined, index });
    } else {
      const m = /^([\w./-]*?)(::|:[\w.-]+)?$/.exec(word);
      if (m && (m[2] !== undefined || m[1]!.includes('/')))
        targets.push({
          folder: (m[2] === undefined && /\.\w+$/.test(m[1]!) ? m[1]!.replace(/\/?[^/]*$/, '') : m[1]!).replace(
            /\/$/,
            '',
          ),
          recursive: m[2] === '::',
          index,
        });
    }
  }
  return targets;
}

/** True when a target covers the folder (`//a/...` covers a/b; `//a:t` only a). */
export function targetCovers(target: BuildTarget, folder: string): boolean {
  if (target.folder === folder) return true;
  return target.recursive && (target.folder === '' || folder.startsWith(`${target.folder}/`));
}
