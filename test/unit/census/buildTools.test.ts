import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeCheck } from '../../../src/core/census/commands/checkCommands';
import { censusOf, commands, layer } from '../../support/census';

const workflow = (...steps: string[]) =>
  ['on: push', 'jobs:', '  ci:', '    runs-on: ubuntu-latest', '    steps:', ...steps].join('\n');

test('a cabal package beside a stack.yaml: one layer for its folder, `cabal build` and `cabal test` (its test-suite); CI testing an unpacked sdist in `source/` checks no layer', async () => {
  const census = await censusOf({
    'lint.cabal': [
      'name: lint',
      'version: 0.1',
      'library',
      '  hs-source-dirs: src',
      '  build-depends: base >= 4 && < 5,',
      '                 containers',
      'test-suite test-lint',
      '  type: exitcode-stdio-1.0',
      '  main-is: test/Main.hs',
    ].join('\n'),
    'stack.yaml': "resolver: lts-18.15\npackages:\n- '.'\n",
    'src/Lint/Checker.hs': 'module Lint.Checker where',
    'src/Lint/Parser.hs': 'module Lint.Parser where',
    'test/Main.hs': 'main = pure ()',
    'lint.hs': 'main = pure ()',
    '.github/workflows/build.yml': [
      'on: push',
      'jobs:',
      '  test:',
      '    runs-on: ubuntu-latest',
      '    strategy:',
      '      matrix:',
      "        ghc: ['9.4', 'latest']",
      '        include:',
      "          - ghc: 'latest'",
      "            cabal_flags: '--allow-newer'",
      '    steps:',
      '      - run: cabal sdist && mkdir source && tar xf dist/*.tar.gz -C source',
      '      - run: |',
      '          cd source',
      '          cabal test ${{ matrix.cabal_flags }}',
    ].join('\n'),
  });
  assert.equal(census.layers.length, 1, census.layers.map((l) => l.name).join(', '));
  assert.deepEqual(layer(census, 'lint').owns, ['lint.cabal', 'lint.hs', 'stack.yaml', 'src/**', 'test/**']);
  assert.deepEqual(commands(census, 'lint'), ['cabal build', 'cabal test']);
  assert.equal(
    normalizeCheck('cabal build --only-dependencies')?.command,
    undefined,
    'installing dependencies checks nothing',
  );
  assert.equal(normalizeCheck('cabal v2-test --allow-newer')?.kind, 'test');
});

test('a cabal.project of two packages: each package its layer, `cabal build` (and `cabal test` where it has a test-suite) in its folder; the root gathers them', async () => {
  const census = await censusOf({
    'cabal.project': 'packages: core cli\n',
    'stack.yaml': 'packages: [core, cli]\n',
    'core/core.cabal': 'name: core\nlibrary\n  build-depends: base\ntest-suite spec\n  main-is: Spec.hs\n',
    'core/src/Core.hs': 'module Core where',
    'core/test/Spec.hs': 'main = pure ()',
    'cli/cli.cabal': 'name: cli\nexecutable cli\n  build-depends: base, core\n',
    'cli/app/Main.hs': 'main = pure ()',
  });
  assert.deepEqual(commands(census, 'core'), ['cd core && cabal build', 'cd core && cabal test']);
  assert.deepEqual(
    commands(census, 'cli'),
    ['cd cli && cabal build'],
    'no test-suite: cabal test would find nothing to run',
  );
  assert.deepEqual(layer(census, 'cli').after, ['core'], 'cli depends on core by name');
});

test("a package hpack describes (package.yaml, no .cabal) under a stack.yaml is stack's: `stack build` and `stack test`; pnpm's package.yaml is no Haskell package", async () => {
  const census = await censusOf({
    'stack.yaml': 'resolver: lts-22.0\npackages:\n- .\n',
    'package.yaml':
      'name: site\ndependencies:\n- base\nlibrary:\n  source-dirs: src\ntests:\n  spec:\n    main: Spec.hs\n',
    'src/Site.hs': 'module Site where',
    'test/Spec.hs': 'main = pure ()',
    'tools/package.yaml': 'name: tools\nscripts:\n  test: vitest run\n',
    'tools/src/main.ts': 'export {}',
  });
  assert.deepEqual(commands(census, 'site'), ['stack build', 'stack test']);
  assert.deepEqual(
    census.projects.map((p) => p.dir),
    [''],
    'a package.yaml with no hpack section makes no Haskell project',
  );
});

test('a Zig package: named by build.zig.zon, checked by the steps CI runs (`zig build check test`, `zig fmt --check .`); without CI, its `test` step and zig fmt', async () => {
  const files = {
    'build.zig': 'pub fn build(b: *std.Build) void {\n  const test_step = b.step("test", "Run all the tests");\n}\n',
    'build.zig.zon': '.{\n    .name = .zls,\n    .version = "0.15.0",\n}\n',
    'src/main.zig': 'pub fn main() void {}',
    'src/Server.zig': 'const std = @import("std");',
    'tests/lsp.zig': 'test "x" {}',
  };
  const withCi = await censusOf({
    ...files,
    '.github/workflows/main.yml': workflow(
      '      - run: zig fmt --check .',
      '      - run: zig build check test --summary all',
      '      - run: zig build release -Doptimize=ReleaseSafe',
    ),
  });
  assert.deepEqual(commands(withCi, 'zls'), ['zig fmt --check .', 'zig build check test --summary all']);
  const alone = await censusOf(files);
  assert.deepEqual(commands(alone, 'zls'), ['zig build test', 'zig fmt --check .']);
});

test('a Julia package (Project.toml with a uuid) runs Pkg.test(); the docs environment (no uuid) is no project of its own', async () => {
  const census = await censusOf({
    'Project.toml':
      'name = "CSV"\nuuid = "336ed68f-0bac-5ca0-87d4-7b16caf5d00b"\n\n[deps]\nParsers = "69de0a69"\nTables = "bd369af6"\n',
    'src/CSV.jl': 'module CSV end',
    'src/file.jl': 'x = 1',
    'test/runtests.jl': 'using Test',
    'test/basics.jl': 'x = 1',
    'docs/Project.toml': '[deps]\nDocumenter = "e30172f5"\n',
    'docs/make.jl': 'using Documenter',
  });
  assert.deepEqual(
    census.projects.map((p) => `${p.dir || '.'}:${p.name}`),
    ['.:CSV'],
  );
  assert.deepEqual(commands(census, 'CSV'), [`julia --project -e 'using Pkg; Pkg.test()'`]);
});

test('an R package (DESCRIPTION with Package:) owns R/, src/ and tests/ as one layer checked the way r-lib checks a package', async () => {
  const census = await censusOf({
    DESCRIPTION:
      'Package: glue\nTitle: Strings\nDepends:\n    R (>= 4.1)\nImports:\n    methods\nSuggests:\n    testthat\n',
    NAMESPACE: 'export(glue)',
    'R/glue.R': 'glue <- function() NULL',
    'R/sql.R': 'glue_sql <- function() NULL',
    'R/utils.R': 'x <- 1',
    'src/glue.c': 'int x;',
    'src/Makevars': '',
    'tests/testthat.R': 'library(testthat)',
    'tests/testthat/test-glue.R': 'test_that("x", {})',
    'inst/examples/DESCRIPTION': 'Title: An example app\nAuthor: Jim\n',
    'inst/examples/app.R': 'x <- 1',
  });
  assert.equal(census.layers.length, 1, census.layers.map((l) => l.name).join(', '));
  assert.deepEqual(layer(census, 'glue').owns, ['DESCRIPTION', 'NAMESPACE', 'R/**', 'inst/**', 'src/**', 'tests/**']);
  assert.deepEqual(commands(census, 'glue'), [
    `Rscript -e 'rcmdcheck::rcmdcheck(args = "--no-manual", error_on = "warning")'`,
  ]);
  assert.deepEqual(layer(census, 'glue').stack, ['r']);
  assert.deepEqual(
    census.projects.map((p) => p.dir),
    [''],
    'a DESCRIPTION without `Package:` is no package',
  );
});

test('a matrix key only an `include` entry sets is empty in the other combinations, as GitHub expands it', async () => {
  const census = await censusOf({
    'build.zig': 'pub fn build(b: *std.Build) void {}\n',
    'build.zig.zon': '.{ .name = "kit" }\n',
    'src/main.zig': 'pub fn main() void {}',
    '.github/workflows/ci.yml': [
      'on: push',
      'jobs:',
      '  test:',
      '    runs-on: ubuntu-latest',
      '    strategy:',
      '      matrix:',
      "        zig: ['0.14.0', 'master']",
      '        include:',
      "          - zig: 'master'",
      "            flags: '-Duse-llvm'",
      '    steps:',
      '      - run: zig build test ${{ matrix.flags }}',
    ].join('\n'),
  });
  assert.deepEqual(commands(census, 'kit'), ['zig build test', 'zig build test -Duse-llvm']);
});
