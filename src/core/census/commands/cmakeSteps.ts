/**
 * CMake as CI runs it: configured into a build folder (`mkdir build && cd build && cmake ..`, or
 * `cmake -B build`), then built and tested there (`make`, `ninja`, `cmake --build`, `ctest`). A build
 * folder does not exist in a fresh work tree, so each check is written from the source folder with its
 * configure step in front: `cmake -S . -B build <flags> && cmake --build build && ctest --test-dir build`.
 * A `-D` flag whose value CI computes (`${{ matrix.build_type }}`) is left to the project's default.
 */
import { posix } from 'node:path';
import { commandWords } from './checkCommands';

interface Configured {
  /** The source folder, repository-relative ('' for the root). */
  source: string;
  /** The build folder, repository-relative. */
  build: string;
  /** `cmake -S . -B <build> <flags>`, from the source folder. */
  configure: string;
}

/** Tracks one script's configured build folders; `take` says what a command becomes, or undefined to keep it as it is. */
export class CmakeSteps {
  private readonly builds = new Map<string, Configured>();

  /** `{ text, cwd }` to add instead of the command, `null` to drop it (a configure on its own), undefined when it is no CMake step. */
  take(text: string, cwd: string): { text: string; cwd: string } | null | undefined {
    const [program, ...args] = commandWords(text);
    if (program === 'cmake') {
      const configured = configureOf(args, cwd);
      if (configured) {
        this.builds.set(configured.build, configured);
        return null;
      }
      const built = flagValue(args, '--build');
      const at = built !== undefined ? this.builds.get(join(cwd, built)) : undefined;
      return at && buildStep(at, '');
    }
    if (program === 'ctest') {
      const dir = flagValue(args, '--test-dir');
      const at = this.builds.get(dir !== undefined ? join(cwd, dir) : cwd);
      const rest = withoutFlag(args, '--test-dir');
      return (
        at &&
        buildStep(at, ` && ctest --test-dir ${rel(at.source, at.build)}${rest.length ? ` ${rest.join(' ')}` : ''}`)
      );
    }
    const at = this.builds.get(cwd);
    if ((program === 'make' || program === 'ninja') && at) {
      const targets = args.filter((w) => !w.startsWith('-') && !/^\d+$/.test(w) && !w.includes('='));
      // `make test` / `ninja test` run CTest's tests; any other target is built by name.
      if (targets.length === 1 && targets[0] === 'test')
        return buildStep(at, ` && ctest --test-dir ${rel(at.source, at.build)}`);
      return buildStep(
        at,
        targets
          .filter((t) => t !== 'all')
          .map((t) => ` --target ${t}`)
          .join(''),
      );
    }
    return undefined;
  }
}

/** The build folder configured and built from its source folder, then `tail` (a target, CTest). */
function buildStep(at: Configured, tail: string): { text: string; cwd: string } {
  return { text: `${at.configure} && cmake --build ${rel(at.source, at.build)}${tail}`, cwd: at.source };
}

/** The options that make a cmake call no configure (a build, an install, a script, a tool mode). */
const NOT_CONFIGURE = new Set([
  '--build',
  '--install',
  '-E',
  '-P',
  '--version',
  '--help',
  '--system-information',
  '--workflow',
]);
/** cmake options whose value is the next word. */
const VALUE_OPTIONS = new Set(['-S', '-B', '-G', '-T', '-A', '-C', '--preset', '--toolchain', '--install-prefix']);

function configureOf(args: readonly string[], cwd: string): Configured | undefined {
  if (args.some((a) => NOT_CONFIGURE.has(a))) return undefined;
  let source: string | undefined;
  let build: string | undefined;
  const kept: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    const joined = /^-([SB])(.+)$/.exec(word);
    if (word === '-S' || word === '-B' || joined) {
      const value = joined ? joined[2]! : args[++i];
      if (value === undefined) return undefined;
      if ((joined?.[1] ?? word.slice(1)) === 'S') source = join(cwd, value);
      else build = join(cwd, value);
      continue;
    }
    if (VALUE_OPTIONS.has(word)) {
      const value = args[++i];
      if (value === undefined || value.includes('$')) return undefined;
      kept.push(word, value);
      continue;
    }
    if (word.startsWith('-')) {
      // A value CI computes cannot be known here: CMake's default stands in.
      if (!word.includes('$')) kept.push(word);
      continue;
    }
    if (source !== undefined || word.includes('$')) return undefined;
    source = join(cwd, word);
  }
  source ??= cwd;
  build ??= cwd;
  if (build === source) return undefined;
  const flags = kept.length ? ` ${kept.join(' ')}` : '';
  return { source, build, configure: `cmake -S . -B ${rel(source, build)}${flags}` };
}

function flagValue(args: readonly string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  const value = i >= 0 ? args[i + 1] : args.find((a) => a.startsWith(`${flag}=`))?.slice(flag.length + 1);
  return value !== undefined && !value.startsWith('-') && !value.includes('$') ? value : undefined;
}

function withoutFlag(args: readonly string[], flag: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++)
    if (args[i] === flag) i++;
    else if (!args[i]!.startsWith(`${flag}=`)) out.push(args[i]!);
  return out;
}

/** A repository-relative folder from `cwd` and a path CI gave ('' for the root); `..` above the root stays visible. */
function join(cwd: string, path: string): string {
  const joined = posix.normalize(posix.join(cwd || '.', path)).replace(/\/$/, '');
  return joined === '.' ? '' : joined;
}

function rel(from: string, to: string): string {
  return posix.relative(from || '.', to || '.') || '.';
}
