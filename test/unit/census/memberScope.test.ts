import assert from 'node:assert/strict';
import { test } from 'node:test';
import { censusOf, commands, json } from '../../support/census';

test('a root command scoped into a member names only that member’s paths: one run from the root keeps only its own paths, one about other folders is not the member’s, one moved into the member reaches root files from it', async () => {
  const census = await censusOf({
    'pyproject.toml':
      '[project]\nname = "toolkit"\n[tool.uv.workspace]\nmembers = ["libs/*"]\n[dependency-groups]\ndev = ["pytest"]\n',
    'src/toolkit/__init__.py': '',
    'libs/parser/pyproject.toml': '[project]\nname = "parser"\n',
    'libs/parser/src/parser/__init__.py': '',
    'libs/parser/tests/test_parse.py': 'def test(): pass',
    'libs/render/pyproject.toml': '[project]\nname = "render"\n',
    'libs/render/src/render/__init__.py': '',
    'libs/render/tests/test_render.py': 'def test(): pass',
    '.github/scripts/bump.py': 'print(1)',
    '.github/scripts/test_bump.py': 'def test(): pass',
    'docs/index.md': '# Toolkit',
    '.github/workflows/ci.yml': [
      'jobs:',
      '  test:',
      '    steps:',
      '      - run: uv sync --all-packages',
      // The release script's own tests: a root path only.
      '      - run: uv run pytest .github/scripts/test_bump.py -q',
      // Both members' tests, with an option whose value is a root file.
      '      - run: uv run pytest libs/parser/tests libs/render/tests/test_render.py --rootdir . -c pyproject.toml',
      '      - run: uv run ruff check libs/parser',
    ].join('\n'),
  });
  // Run from the root, each keeps only its own paths.
  assert.deepEqual(commands(census, 'parser'), [
    'uv run pytest libs/parser/tests --rootdir . -c pyproject.toml',
    'uv run ruff check libs/parser',
  ]);
  assert.deepEqual(commands(census, 'render'), [
    'uv run pytest libs/render/tests/test_render.py --rootdir . -c pyproject.toml',
  ]);
  for (const layer of census.layers)
    for (const { command } of layer.validate)
      assert.doesNotMatch(command, /^cd libs\/\w+ && .*\.github\//, `${layer.name}: ${command}`);
});

test('a root command with no path moved into each member reaches the root’s files from there', async () => {
  const census = await censusOf({
    'pyproject.toml': '[project]\nname = "suite"\n[tool.uv.workspace]\nmembers = ["pkgs/*"]\n',
    'ruff.toml': 'line-length = 100\n',
    'pkgs/alpha/pyproject.toml': '[project]\nname = "alpha"\n',
    'pkgs/alpha/alpha/__init__.py': '',
    'pkgs/beta/pyproject.toml': '[project]\nname = "beta"\n',
    'pkgs/beta/beta/__init__.py': '',
    '.github/workflows/lint.yml':
      'jobs:\n  lint:\n    steps:\n      - run: uv run ruff check --config ruff.toml\n      - run: uv run pytest .github/scripts\n',
  });
  assert.deepEqual(commands(census, 'alpha'), ['cd pkgs/alpha && uv run ruff check --config ../../ruff.toml']);
  assert.deepEqual(commands(census, 'beta'), ['cd pkgs/beta && uv run ruff check --config ../../ruff.toml']);
});

test('a Cargo workspace with Tauri apps: each crate checked by its own -p; the apps CI leaves out get their own command, never the libraries’', async () => {
  const crate = (name: string, deps = '') =>
    `[package]\nname = "${name}"\nversion = "0.1.0"\nedition = "2021"\n${deps}`;
  const census = await censusOf({
    'Cargo.toml': '[workspace]\nresolver = "2"\nmembers = ["crates/*", "apps/*/src-tauri"]\n',
    'crates/engine/Cargo.toml': crate('engine'),
    'crates/engine/src/lib.rs': 'pub fn run() {}',
    'crates/store/Cargo.toml': crate('store', '[dependencies]\nengine = { path = "../engine" }\n'),
    'crates/store/src/lib.rs': 'pub fn open() {}',
    'apps/studio/package.json': json({
      name: 'studio',
      dependencies: { '@tauri-apps/api': '2', react: '19' },
      devDependencies: { '@tauri-apps/cli': '2' },
      scripts: { tauri: 'tauri', typecheck: 'tsc --noEmit' },
    }),
    'apps/studio/src/main.tsx': 'export {}',
    'apps/studio/src-tauri/Cargo.toml': crate(
      'studio-app',
      '[dependencies]\nengine = { path = "../../../crates/engine" }\n',
    ),
    'apps/studio/src-tauri/src/main.rs': 'fn main() {}',
    'apps/viewer/package.json': json({
      name: 'viewer',
      dependencies: { '@tauri-apps/api': '2', svelte: '5' },
      scripts: { tauri: 'tauri' },
    }),
    'apps/viewer/src/main.ts': 'export {}',
    'apps/viewer/src-tauri/Cargo.toml': crate('viewer-app'),
    'apps/viewer/src-tauri/src/main.rs': 'fn main() {}',
    '.github/workflows/ci.yml': [
      'jobs:',
      '  libs:',
      '    steps:',
      '      - run: cargo clippy -p engine -p store -- -D warnings',
      '      - run: cargo test -p engine -p store',
      '  apps:',
      '    steps:',
      '      - run: pnpm install',
      '      - run: pnpm --filter studio tauri build',
    ].join('\n'),
  });
  assert.deepEqual(commands(census, 'engine'), ['cargo clippy -p engine -- -D warnings', 'cargo test -p engine']);
  assert.deepEqual(commands(census, 'store'), ['cargo clippy -p store -- -D warnings', 'cargo test -p store']);
  const crateOf = (dir: string) => census.layers.find((l) => l.dirs.includes(dir))!;
  assert.deepEqual(
    crateOf('apps/studio/src-tauri').validate.map((v) => v.command),
    ['cargo check -p studio-app'],
  );
  assert.deepEqual(
    crateOf('apps/viewer/src-tauri').validate.map((v) => v.command),
    ['cargo check -p viewer-app'],
  );
  for (const layer of census.layers)
    for (const { command } of layer.validate) assert.doesNotMatch(command, /tauri build/);
});
