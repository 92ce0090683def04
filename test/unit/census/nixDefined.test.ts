import assert from 'node:assert/strict';
import { test } from 'node:test';
import { censusOf, commands, workflowRunning } from '../../support/census';

// A Haskell server whose checks are commands its Nix files define: default.nix calls nix/tools/*.nix, each a
// shell script helper with a `name` and a body interpolating its tools' store paths; CI runs them by name.
const nixTools: Record<string, string> = {
  'server.cabal': 'name: server\nlibrary\n  build-depends: base\ntest-suite spec\n  main-is: Main.hs\n',
  'src/Server.hs': 'module Server where',
  'test/spec/Main.hs': 'main = pure ()',
  'default.nix': [
    '{ system ? builtins.currentSystem }:',
    'let pkgs = import <nixpkgs> {}; in rec {',
    '  tests = pkgs.callPackage nix/tools/tests.nix { };',
    '  style = pkgs.callPackage nix/tools/style.nix { };',
    '  release = pkgs.callPackage ./ci/release.nix { };\n  checks = import ./ci/checks.nix;',
    '}',
  ].join('\n'),
  'nix/tools/tests.nix': [
    '{ checkedShellScript, cabal-install, withTools }:',
    'let',
    '  testSpec = checkedShellScript',
    '    {',
    '      name = "app-hspec";',
    '      docs = "Run the Haskell test suite.";',
    '      workingDir = "/";',
    '    }',
    "    ''",
    '      ${withTools.withPg} -f test/spec/fixtures/load.sql \\',
    '        ${cabal-install}/bin/cabal v2-run test:spec -- "\'\'${_arg_leftovers[@]}"',
    "    '';",
    '  coverage = checkedShellScript { name = "app-gate"; }',
    "    ''",
    '      ${cabal-install}/bin/cabal v2-test --enable-coverage',
    "    '';",
    'in { inherit testSpec coverage; }',
  ].join('\n'),
  'nix/tools/style.nix': [
    '{ writeShellScriptBin, hlint }:',
    '{',
    '  lint = writeShellScriptBin "app-lint" \'\'',
    '    echo "Linting..."',
    '    ${hlint}/bin/hlint src test',
    "  '';",
    '}',
  ].join('\n'),
  // Outside nix/, reached by default.nix's import, one level.
  'ci/release.nix':
    "{ writeShellScriptBin, cabal-install }:\nwriteShellScriptBin \"app-release\" ''\n  ${cabal-install}/bin/cabal upload --publish\n''\n",
  'ci/checks.nix':
    "{ writeShellScriptBin, cabal-install }:\nwriteShellScriptBin \"app-suite\" ''\n  ${cabal-install}/bin/cabal v2-test all\n''\n",
  '.github/workflows/ci.yml': workflowRunning(
    'nix-shell --run app-hspec',
    'app-lint',
    'app-release',
    'nix develop -c app-gate',
    'app-suite',
  ),
};

test("commands defined in Nix files under nix/ (and files the root's Nix imports) are checks by what their bodies run: CI running them by name, in nix-shell --run or nix develop -c, checks the project; a release script is none", async () => {
  const census = await censusOf(nixTools);
  const validate = commands(census, 'server');
  assert.ok(validate.includes('nix-shell --run app-hspec'), JSON.stringify(validate));
  assert.ok(validate.includes('app-lint'), JSON.stringify(validate));
  assert.ok(validate.includes('nix develop -c app-gate'), JSON.stringify(validate));
  assert.ok(validate.includes('app-suite'), JSON.stringify(validate));
  assert.ok(!validate.some((c) => c.includes('app-release')), JSON.stringify(validate));
});

test('a Nix-defined command whose body is no command (a redirection alone) is none, and the census goes on (zls: it stopped init)', async () => {
  const census = await censusOf({
    'build.zig': 'const std = @import("std");',
    'src/main.zig': 'pub fn main() void {}',
    'flake.nix': [
      '{',
      '  outputs = { self, nixpkgs }: {',
      '    gen = nixpkgs.writeShellScriptBin "gen" \'\'',
      '      > src/generated.zig',
      "    '';",
      '  };',
      '}',
    ].join('\n'),
    '.github/workflows/ci.yml': workflowRunning('zig build test'),
  });
  assert.ok(commands(census, 'app').includes('zig build test'), JSON.stringify(commands(census, 'app')));
});
