import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listRepositoryFiles } from '../../../src/core/census/files/fileList';
import { censusOf, json, makeRepo } from '../../support/census';

test("a vendor/ or build/ folder holding the project's own package (a Cargo path dependency, a Dagger module Go replaces, an npm file: dependency) is source, owned and checked; third-party vendoring nobody names stays skipped", async () => {
  const census = await censusOf({
    'Cargo.toml':
      '[package]\nname = "app"\nversion = "0.1.0"\n\n[dependencies]\napp-macros = { path = "vendor/app-macros" }\n',
    'src/main.rs': 'fn main() {}',
    'vendor/app-macros/Cargo.toml': '[package]\nname = "app-macros"\nversion = "0.1.0"\n',
    'vendor/app-macros/src/lib.rs': 'pub fn m() {}',
    'vendor/app-macros/src/expand.rs': 'pub fn e() {}',
    // A copy of someone else's crate, named by no manifest.
    'vendor/serde/Cargo.toml': '[package]\nname = "serde"\nversion = "1.0.0"\n',
    'vendor/serde/src/lib.rs': 'pub fn s() {}',
  });
  const owner = (file: string) =>
    census.layers.find((l) => l.owns.some((g) => g === file || file.startsWith(g.replace(/\*\*$/, ''))));
  assert.ok(owner('vendor/app-macros/src/lib.rs'), JSON.stringify(census.layers.map((l) => [l.name, l.owns])));
  assert.ok(
    census.layers.some((l) => l.validate.some((v) => v.command.includes('app-macros'))),
    JSON.stringify(census.layers.map((l) => [l.name, l.validate])),
  );
  assert.equal(owner('vendor/serde/src/lib.rs'), undefined);
});

test('a Dagger module in build/ (dagger.json source, go.mod replace), a package in vendor/ an npm file: dependency names: their files are listed; Go vendoring (vendor/modules.txt) is not', async () => {
  const repo = await makeRepo({
    'go.mod': 'module example.com/app\n\ngo 1.22\n\nreplace example.com/app/ci => ./build\n',
    'main.go': 'package main',
    'vendor/modules.txt': '# github.com/pkg/errors v0.9.1\n',
    'vendor/github.com/pkg/errors/errors.go': 'package errors',
    'build/go.mod': 'module example.com/app/ci\n',
    'build/main.go': 'package main',
    'web/package.json': json({ name: 'web', dependencies: { ui: 'file:../out/ui' } }),
    'web/index.js': '',
    'out/ui/package.json': json({ name: 'ui', scripts: { test: 'node --test' } }),
    'out/ui/index.js': '',
    'out/release/app.js': '',
    'dagger.json': json({ name: 'ci', sdk: 'go', source: 'build' }),
  });
  try {
    const { files } = await listRepositoryFiles(repo.dir);
    assert.ok(files.includes('build/main.go'), files.join(' '));
    assert.ok(files.includes('out/ui/index.js'), files.join(' '));
    assert.ok(!files.includes('out/release/app.js'), files.join(' '));
    assert.ok(!files.some((f) => f.startsWith('vendor/')), files.join(' '));
  } finally {
    await repo.cleanup();
  }
});
