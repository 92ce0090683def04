import assert from 'node:assert/strict';
import { test } from 'node:test';
import { censusOf, commands, json, layer } from '../../support/census';

const grainModel = json({
  root: '\\\\?\\C:\\dev\\suite',
  languages: [{ language: 'Rust', files: 4, loc: 100 }],
  projects: [
    { name: 'suite', dir: '', kind: 'cargo', code_files: 9, frameworks: [] },
    { name: 'rt', dir: 'apps/rt', kind: 'cargo', code_files: 2, frameworks: ['tokio'] },
    { name: 'translate', dir: 'apps/translate', kind: 'cargo', code_files: 1, frameworks: [] },
    { name: 'dashboard', dir: 'apps/dashboard', kind: 'npm', code_files: 2, frameworks: ['react'] },
    { name: 'dashboard-native', dir: 'apps/dashboard/src-tauri', kind: 'cargo', code_files: 1, frameworks: ['tauri'] },
    { name: 'web', dir: 'apps/scan/tests/fixtures/site/web', kind: 'npm', code_files: 1, frameworks: [] },
    { name: 'scan', dir: 'apps/scan', kind: 'cargo', code_files: 1, frameworks: [] },
  ],
  modules: [],
});

const mustardProject = {
  'Cargo.toml':
    '[workspace]\nmembers = ["apps/rt", "apps/translate", "apps/scan"]\nexclude = ["apps/dashboard/src-tauri"]\n',
  'mustard.json': json({
    git: { flow: 'trunk', provider: 'github' },
    buildCommand: 'cargo build --workspace',
    testCommand: 'cargo test --workspace',
    lintCommand: '<lint command>',
    specLang: 'pt-BR',
    tone: 'direct',
    version: '0.1.4',
  }),
  '.claude/grain.model.json': grainModel,
  'apps/rt/Cargo.toml': '[package]\nname = "rt"\nversion = "0.1.0"\n',
  'apps/rt/src/main.rs': 'fn main() {}',
  'apps/rt/src/net.rs': 'pub fn x() {}',
  'apps/translate/Cargo.toml': '[package]\nname = "translate"\nversion = "0.1.0"\n',
  'apps/translate/src/lib.rs': 'pub fn t() {}',
  'apps/scan/Cargo.toml': '[package]\nname = "scan"\nversion = "0.1.0"\n',
  'apps/scan/src/lib.rs': 'pub fn s() {}',
  'apps/scan/tests/fixtures/site/web/package.json': json({ name: 'fixture-web' }),
  'apps/scan/tests/fixtures/site/web/index.js': 'x',
  'apps/dashboard/package.json': json({
    name: 'dashboard',
    dependencies: { react: '18', '@tauri-apps/api': '2' },
    scripts: { build: 'vite build' },
  }),
  'apps/dashboard/src/App.tsx': 'export {}',
  'apps/dashboard/src/main.tsx': 'export {}',
  'apps/dashboard/src-tauri/Cargo.toml': '[package]\nname = "dashboard-native"\nversion = "0.1.0"\n',
  'apps/dashboard/src-tauri/src/main.rs': 'fn main() {}',
  'apps/rt/CLAUDE.md': '# rt\n',
};

test("Mustard's files: mustard.json commands scoped per crate, placeholders warned; grain projects seed layers without the root or fixtures; a native crate nests without overlap", async () => {
  const census = await censusOf(mustardProject);
  assert.deepEqual(
    census.layers.map((l) => l.name).sort(),
    ['dashboard-native', 'frontend', 'rt', 'scan', 'translate'],
    'no layer for the root (dir "") nor for the fixture in apps/scan/tests',
  );
  assert.deepEqual(commands(census, 'rt'), ['cargo build -p rt', 'cargo test -p rt']);
  assert.ok(layer(census, 'rt').validate.every((v) => v.origin === 'mustard.json'));
  assert.deepEqual(
    commands(census, 'dashboard-native'),
    ['cargo check --manifest-path apps/dashboard/src-tauri/Cargo.toml'],
    'a crate kept out of the workspace gets its own command',
  );
  assert.deepEqual(layer(census, 'frontend').owns, ['apps/dashboard/*', 'apps/dashboard/src/**']);
  assert.deepEqual(layer(census, 'dashboard-native').owns, ['apps/dashboard/src-tauri/**']);
  assert.ok(
    layer(census, 'scan').owns.includes('apps/scan/**'),
    'the fixture stays with the project that tests with it',
  );
  assert.ok(
    census.warnings.some((w) => /mustard\.json.*lintCommand.*placeholder|lintCommand.*<lint command>/i.test(w)),
    census.warnings.join('\n'),
  );
});

test("a mustard.json that is not Mustard's (shop data, a JavaScript assignment) is ignored with a warning; the manifests' commands apply", async () => {
  const base = { 'package.json': json({ name: 'shop', scripts: { lint: 'eslint .' } }), 'src/index.js': 'x' };
  const data = await censusOf({ ...base, 'mustard.json': json([{ sku: 'MUST-1', name: 'Dijon', price: 3.5 }]) });
  assert.ok(
    data.warnings.some((w) => /^mustard\.json: not Mustard's/.test(w)),
    data.warnings.join('\n'),
  );
  assert.deepEqual(commands(data, 'shop'), ['npm run lint']);
  const script = await censusOf({ ...base, 'mustard.json': 'window.mustard = { buildCommand: "rm -rf /" };\n' });
  assert.ok(
    script.warnings.some((w) => /^mustard\.json: not Mustard's/.test(w)),
    script.warnings.join('\n'),
  );
  assert.deepEqual(commands(script, 'shop'), ['npm run lint']);
});

test("every check mustard.json declares is used beside CI's, scoped per crate: its cargo check joins CI's test and clippy; a crate out of the workspace gets its own, never a root build", async () => {
  const crate = (name: string) => `[package]\nname = "${name}"\nversion = "0.1.0"\nedition = "2021"\n`;
  const census = await censusOf({
    'Cargo.toml':
      '[workspace]\nresolver = "2"\nmembers = ["apps/hook", "apps/server", "packages/kernel"]\nexclude = ["apps/sidecar"]\n',
    'mustard.json': json({
      git: { flow: { '*': 'dev' }, provider: 'github' },
      buildCommand: 'cargo build --workspace',
      testCommand: 'cargo test',
      lintCommand: 'cargo clippy',
      typeCheckCommand: 'cargo check',
      specLang: 'pt-BR',
      tone: 'didactic',
      version: '0.2.0',
    }),
    'apps/hook/Cargo.toml': crate('acme-hook'),
    'apps/hook/src/main.rs': 'fn main() {}',
    'apps/server/Cargo.toml': crate('acme-server'),
    'apps/server/src/main.rs': 'fn main() {}',
    'packages/kernel/Cargo.toml': crate('acme-kernel'),
    'packages/kernel/src/lib.rs': 'pub fn k() {}',
    // Kept out of the workspace on purpose: heavy dependencies, its own lock file.
    'apps/sidecar/Cargo.toml': crate('acme-sidecar'),
    'apps/sidecar/src/main.rs': 'fn main() {}',
    '.github/workflows/ci.yml':
      'jobs:\n  test:\n    steps:\n      - run: cargo test --locked -p acme-kernel -p acme-hook -- --test-threads=4\n      - run: cargo clippy --locked -p acme-kernel -p acme-hook\n',
    '.github/workflows/release.yml':
      'jobs:\n  bins:\n    steps:\n      - run: cargo build --release --locked --bin acme-hook --bin acme-server\n',
  });
  const hook = layer(census, 'hook');
  assert.deepEqual(
    hook.validate.map((v) => [v.command, v.origin]),
    [
      ['cargo test --locked -p acme-hook -- --test-threads=4', '.github/workflows/ci.yml'],
      ['cargo clippy --locked -p acme-hook', '.github/workflows/ci.yml'],
      ['cargo check -p acme-hook', 'mustard.json'],
      ['cargo build -p acme-hook', 'mustard.json'],
    ],
  );
  assert.deepEqual(commands(census, 'kernel'), [
    'cargo test --locked -p acme-kernel -- --test-threads=4',
    'cargo clippy --locked -p acme-kernel',
    'cargo check -p acme-kernel',
    'cargo build -p acme-kernel',
  ]);
  // CI says nothing of the server crate: Mustard's four commands, each scoped to it.
  assert.deepEqual(commands(census, 'backend').sort(), [
    'cargo build -p acme-server',
    'cargo check -p acme-server',
    'cargo clippy -p acme-server',
    'cargo test -p acme-server',
  ]);
  assert.deepEqual(commands(census, 'sidecar'), ['cargo check --manifest-path apps/sidecar/Cargo.toml']);
});
