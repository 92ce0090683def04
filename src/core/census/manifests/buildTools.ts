/**
 * Build files of the tools whose package is its folder and whose file says so: Haskell (`*.cabal`,
 * hpack's `package.yaml`),
 * Zig (`build.zig`, named by `build.zig.zon`), Julia (`Project.toml` with a `uuid`), R (`DESCRIPTION`
 * with `Package:`), OCaml (`dune-project`), Clojure (`deps.edn`, `project.clj`, `bb.edn`) and sbt
 * (`build.sbt`), Meson (`meson.build` calling `project(…)`) and CMake (`CMakeLists.txt` declaring a `project()`). Each gives its folder's project a name and the checks the file declares (a cabal
 * `test-suite`, a `build.zig` `test` step, a deps.edn `:test` alias); a file of that name that is no
 * package (a Julia environment, a `DESCRIPTION` of prose) gives none.
 */
import { posix } from 'node:path';
import type { Ecosystem } from '../types';

export interface BuildToolFacts {
  name?: string;
  dependencies: string[];
  scripts: Record<string, string>;
  /** The checks the file declares, run in its folder. */
  checks?: string[];
  /** A file named like a build file that is no package (`docs/Project.toml`, a Julia environment): its folder is no project. */
  none?: boolean;
}

export function buildToolEcosystem(path: string): Ecosystem | undefined {
  const name = posix.basename(path);
  if (name.endsWith('.cabal') || name === 'package.yaml') return 'haskell';
  if (name === 'build.zig' || name === 'build.zig.zon') return 'zig';
  if (name === 'Project.toml' || name === 'JuliaProject.toml') return 'julia';
  if (name === 'DESCRIPTION') return 'r';
  if (name === 'dune-project') return 'ocaml';
  if (name === 'deps.edn' || name === 'project.clj' || name === 'bb.edn') return 'clojure';
  if (name === 'build.sbt') return 'scala';
  if (name === 'CMakeLists.txt') return 'cmake';
  if (name === 'meson.build') return 'meson';
  return undefined;
}

/** `R CMD check` as r-lib's check-r-package runs it: built in a temporary folder, failing on a warning. */
export const R_CHECK = `Rscript -e 'rcmdcheck::rcmdcheck(args = "--no-manual", error_on = "warning")'`;
/** A Meson project's tests, in the build folder meson's own docs use (`meson test` builds first). */
export const MESON_TEST = 'meson setup builddir && meson test -C builddir';
/** Julia's package tests (`test/runtests.jl`) in the package's own environment. */
export const JULIA_TEST = `julia --project -e 'using Pkg; Pkg.test()'`;

/** What a build file says of its package: its name, what it depends on and the checks it declares, or that it is no package. */
export function buildToolFacts(ecosystem: Ecosystem, path: string, text: string): BuildToolFacts {
  const none = { dependencies: [], scripts: {}, none: true };
  const file = posix.basename(path);
  switch (ecosystem) {
    case 'haskell': {
      // hpack's package.yaml (stack's projects: `library:`, `executables:`, `tests:`); pnpm's package.yaml is none.
      if (file === 'package.yaml') {
        if (!/^(library|executables?|tests|benchmarks|ghc-options):/m.test(text)) return none;
        const tests = /^tests:/m.test(text);
        return {
          name: /^name:\s*(\S+)/m.exec(text)?.[1],
          dependencies: [],
          scripts: {},
          checks: tests ? ['stack build', 'stack test'] : ['stack build'],
        };
      }
      const deps = [...text.matchAll(/^\s*build-depends:([^\n]*(?:\n[ \t]+[^\n:]*)*)/gim)].flatMap((m) =>
        [...m[1]!.matchAll(/(?:^|,)\s*([A-Za-z][\w-]*)/g)].map((d) => d[1]!),
      );
      const tested = /^test-suite\s/im.test(text);
      return {
        name: /^name:\s*(\S+)/im.exec(text)?.[1],
        dependencies: deps,
        scripts: {},
        checks: tested ? ['cabal build', 'cabal test'] : ['cabal build'],
      };
    }
    case 'zig':
      // `build.zig.zon` names the package (`.name = .zls`, `.name = "zls"`); `build.zig` declares its steps.
      if (file === 'build.zig.zon')
        return { name: /\.name\s*=\s*\.?@?"?([\w-]+)/.exec(text)?.[1], dependencies: [], scripts: {} };
      return {
        dependencies: [],
        scripts: {},
        checks: [...(/\.step\(\s*"test"/.test(text) ? ['zig build test'] : ['zig build']), 'zig fmt --check .'],
      };
    case 'julia': {
      // A package has a uuid; a folder's environment (`docs/Project.toml`, `test/Project.toml`) has only deps.
      if (!/^uuid\s*=/m.test(text)) return none;
      const deps = /^\[deps\]\s*\n((?:[^[\n][^\n]*\n?)*)/m.exec(text)?.[1] ?? '';
      return {
        name: /^name\s*=\s*"([^"]+)"/m.exec(text)?.[1],
        dependencies: [...deps.matchAll(/^(\w+)\s*=/gm)].map((m) => m[1]!),
        scripts: {},
        checks: [JULIA_TEST],
      };
    }
    case 'r': {
      const name = /^Package:\s*(\S+)/m.exec(text)?.[1];
      if (!name) return none;
      const fields = [...text.matchAll(/^(?:Imports|Depends|Suggests|LinkingTo):([^\n]*(?:\n[ \t]+[^\n]*)*)/gm)];
      const deps = fields.flatMap((m) => [...m[1]!.matchAll(/(?:^|,)\s*([A-Za-z][\w.]*)/g)].map((d) => d[1]!));
      return { name, dependencies: deps.filter((d) => d !== 'R'), scripts: {}, checks: [R_CHECK] };
    }
    case 'ocaml':
      return {
        name: /^\(name\s+([\w-]+)\)/m.exec(text)?.[1],
        dependencies: [],
        scripts: {},
        checks: ['dune build', 'dune runtest'],
      };
    case 'clojure':
      return clojureFacts(file, text);
    case 'cmake':
      return cmakeFacts(text);
    case 'meson':
      // A folder's `meson.build` without `project(…)` is part of the project above (`subdir('lib')`); one under
      // `subprojects/` is a dependency Meson fetches or wraps, not the repository's own.
      if (!/^\s*project\s*\(/m.test(text) || /(^|\/)subprojects\//.test(path)) return none;
      return {
        name: /^\s*project\s*\(\s*'([^']+)'/m.exec(text)?.[1],
        dependencies: [],
        scripts: {},
        checks: [MESON_TEST],
      };
    default:
      return { dependencies: [], scripts: {} };
  }
}

/** A Clojure project's tests as its build file declares them: a deps.edn `:test` alias, a bb.edn `test` task, `lein test`. */
function clojureFacts(file: string, text: string): BuildToolFacts {
  if (file === 'project.clj') {
    const name = /\(defproject\s+(?:[\w.-]+\/)?([\w.-]+)/.exec(text)?.[1];
    return { ...(name ? { name } : {}), dependencies: [], scripts: {}, checks: ['lein test'] };
  }
  if (file === 'bb.edn') {
    const tasks = /:tasks\s*\{([\s\S]*)/.exec(text)?.[1] ?? '';
    return { dependencies: [], scripts: {}, checks: /(^|[\s{])test\s+[({"]/m.test(tasks) ? ['bb test'] : [] };
  }
  // deps.edn: `:aliases {:test {:extra-paths … :main-opts …}}`; an alias with `:exec-fn` runs with -X.
  const alias = /:aliases\s*\{[\s\S]*?:test\s*\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}/.exec(text)?.[1];
  if (alias === undefined) return { dependencies: [], scripts: {} };
  return {
    dependencies: [],
    scripts: {},
    checks: [/:exec-fn\b/.test(alias) && !/:main-opts\b/.test(alias) ? 'clojure -X:test' : 'clojure -M:test'],
  };
}

/** CMake's tests are CTest's: declared by `enable_testing()`/`include(CTest)`/`add_test`, or a tests folder added. */
const CMAKE_TESTS =
  /\b(enable_testing\s*\(|include\s*\(\s*CTest\b|add_test\s*\(|\w+_discover_tests\s*\(|add_subdirectory\s*\(\s*"?(tests?|unittests?)\b)/i;
/** An option that turns the tests on, off by default (`option(SPDLOG_BUILD_TESTS "…" OFF)`): set on for the check. */
const CMAKE_TEST_OPTION =
  /\boption\s*\(\s*(\w*(?:BUILD_TESTS?|BUILD_TESTING|_TESTS|ENABLE_TESTS?|ENABLE_TESTING))\b[^)]*\bOFF\s*\)/i;

/**
 * A `CMakeLists.txt` with `project()` is a project: configured into `build/`, built, and its CTest tests run
 * (an option that gates them is set on). A list without `project()` is a folder another list adds: no project.
 */
function cmakeFacts(text: string): BuildToolFacts {
  const code = text.replace(/#[^\n]*/g, '');
  const name = /^\s*project\s*\(\s*"?([\w.+-]+)/im.exec(code)?.[1];
  if (!name) return { dependencies: [], scripts: {}, none: true };
  const option = CMAKE_TEST_OPTION.exec(code)?.[1];
  const configure = `cmake -S . -B build${option ? ` -D${option}=ON` : ''}`;
  const build = `${configure} && cmake --build build`;
  const tested = option !== undefined || CMAKE_TESTS.test(code);
  return {
    name,
    dependencies: [],
    scripts: {},
    checks: [tested ? `${build} && ctest --test-dir build --output-on-failure` : build],
  };
}
