import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeCheck } from '../../../src/core/census/commands/checkCommands';
import { censusOf, commands, workflowRunning } from '../../support/census';

test('commands defined in Nix are checks by what they run: `nix develop -c`, `devenv shell --`, `nix-shell --run`, `nix flake check`, a test derivation; a bare shell or `nix run` is none', () => {
  assert.deepEqual(normalizeCheck('nix develop .#ci -c dune build @runtest @check'), {
    command: 'nix develop .#ci -c dune build @runtest @check',
    kind: 'test',
  });
  assert.equal(normalizeCheck('nix develop --command cargo clippy --all-targets')?.kind, 'lint');
  assert.equal(normalizeCheck('devenv shell -- cargo nextest run')?.kind, 'test');
  assert.deepEqual(normalizeCheck("nix-shell --run 'cabal test'"), {
    command: "nix-shell --run 'cabal test'",
    kind: 'test',
  });
  assert.equal(
    normalizeCheck('nix-shell --run "cabal build --only-dependencies"'),
    undefined,
    'an install inside is none',
  );
  assert.equal(normalizeCheck('nix flake check')?.kind, 'test');
  assert.equal(normalizeCheck('nix build .#treefmt.tests.coverage')?.kind, 'test');
  assert.equal(normalizeCheck('nix build .#default --print-build-logs')?.kind, 'build');
  assert.equal(normalizeCheck('nix develop'), undefined, 'an interactive shell runs nothing');
  assert.equal(normalizeCheck('nix run .#deploy'), undefined);
  assert.equal(normalizeCheck('nix profile install nixpkgs#devenv'), undefined);
});

test('a Haskell package whose CI checks it only through Nix gets the Nix commands as its checks, in the shell CI uses', async () => {
  const census = await censusOf({
    'lint.cabal': 'name: lint\nlibrary\n  build-depends: base\ntest-suite spec\n  main-is: Spec.hs\n',
    'src/Lint.hs': 'module Lint where',
    'test/Spec.hs': 'main = pure ()',
    'default.nix': '{ pkgs ? import <nixpkgs> {} }: pkgs.haskellPackages.callCabal2nix "lint" ./. {}',
    'flake.nix': '{ outputs = { self }: { checks = {}; }; }',
    '.github/workflows/ci.yml': workflowRunning(
      "nix-shell --run 'cabal test'",
      'nix develop -c cabal build',
      'nix flake check',
    ),
  });
  assert.deepEqual(commands(census, 'lint'), [
    "nix-shell --run 'cabal test'",
    'nix develop -c cabal build',
    'nix flake check',
  ]);
});
