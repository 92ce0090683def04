// A proof folder the project's own checks accept, and that changes nothing it builds (issue 70, items 5 and 6),
// with the real tools from this repository's node_modules: ESLint whose config lets tests import chai (and use
// Mocha's globals) only in `test/unit/**`, so init's probe in `test/acceptance/` fails `npm run lint` and the folder
// beside the project's tests is proposed; and uuid's shape at the parent of a real fix (tsc with no rootDir over a
// `src/`-only program, a build script that moves `dist/esm-browser/*-browser*` files), where a TypeScript test in
// `test/` made tsc write `dist/esm/src/…` and the script's `mv` fail.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { initFromCensus } from '../../../src/core/census/init/initFromCensus';
import { checkFolderGates } from '../../../src/core/census/verify/proofFolderGates';
import { probeContent } from '../../../src/core/census/proof/proofProbes';
import type { ProofUnit } from '../../../src/core/census/types';
import { verifySandbox } from '../../../src/core/census/verify/verifySandbox';
import { loadConfig } from '../../../src/core/project/config/config';
import { commitAll, json } from '../../support/census';
import { jsRunnerProject, linkPackage, sandboxReadsSharedModules } from '../../support/jsRunnerProject';
import { useTempDirs } from '../../support/tempDirs';

const tempDir = useTempDirs('proof-folder-gates-');
const CI = (...commands: string[]) =>
  `jobs:\n  check:\n    steps:\n      - run: npm ci\n${commands.map((c) => `      - run: ${c}\n`).join('')}`;

const sh = (dir: string, command: string) => {
  const { NODE_TEST_CONTEXT: _context, ...env } = process.env;
  const run = spawnSync('sh', ['-c', `${command} 2>&1`], { cwd: dir, encoding: 'utf8', env, timeout: 120_000 });
  return { status: run.status, output: run.stdout };
};

test("ESLint allowing chai and Mocha's globals only in test/unit/**: the probe in test/acceptance/ fails `npm run lint`, test/unit/acceptance/ is proposed", async () => {
  const dir = jsRunnerProject(
    tempDir(),
    'mocha',
    {
      'eslint.config.js': `export default [
  {
    files: ['**/*.js'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: {} },
    rules: {
      'no-undef': 'error',
      'no-restricted-imports': ['error', { paths: [{ name: 'chai', message: "'chai' should be listed in the project's dependencies, not devDependencies." }] }],
    },
  },
  {
    files: ['test/unit/**'],
    languageOptions: { globals: { describe: 'readonly', it: 'readonly' } },
    rules: { 'no-restricted-imports': 'off' },
  },
];
`,
      'src/calc.js': 'export const add = (a, b) => a + b;\n',
      'test/unit/calc.test.js':
        "import { expect } from 'chai';\nimport { add } from '../../src/calc.js';\n\nit('adds', () => {\n  expect(add(1, 2)).to.equal(3);\n});\n",
      '.github/workflows/ci.yml': CI('npm run lint', 'npm test'),
    },
    { script: "mocha 'test/**/*.test.js'", type: 'module', link: ['chai', 'eslint'], manifest: {} },
  );
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  manifest.scripts.lint = 'eslint .';
  writeFileSync(join(dir, 'package.json'), json(manifest));
  const restore0 = sandboxReadsSharedModules();
  commitAll(dir);
  const report = await initFromCensus(dir, { trusted: true, timeoutSec: 120, budgetSec: 600 });
  restore0();
  const unit = report.census.proof!.units[0]!;
  assert.equal(unit.verified?.status, 'passed', JSON.stringify(unit.verified));
  assert.equal(unit.tests, 'test/unit/acceptance/**');
  assert.deepEqual(unit.gates?.passed, ['npm run lint']);
  assert.deepEqual(
    unit.gates?.rejected.map((r) => [r.tests, r.gate]),
    [['test/acceptance/**', 'npm run lint']],
  );
  assert.match(unit.gates!.rejected[0]!.firstLines.join('\n'), /chai|'it' is not defined/);
  const config = await loadConfig(dir);
  assert.deepEqual(config.proof.tests, ['test/unit/acceptance/**']);
  const yaml = readFileSync(join(dir, '.claude/orchestrator.yaml'), 'utf8');
  assert.match(yaml, /not test\/acceptance\/\*\*, where npm run lint fails with a proof test/);
  // A proof test written as the probe is, in the folder proposed: the project's lint and its own test run accept it.
  const proofTest = 'test/unit/acceptance/totals.test.js';
  mkdirSync(dirname(join(dir, proofTest)), { recursive: true });
  writeFileSync(join(dir, proofTest), probeContent({ ...unit, probe: proofTest }));
  assert.equal(sh(dir, 'npx eslint .').status, 0);
  assert.match(sh(dir, 'npm test').output, /REQ-0\.1 orchestrator probe green/);
});

/** uuid at the parent of a fix: TypeScript in src/ (its tests in src/test/), built by tsc and a script that moves files. */
function uuidShape(dir: string): void {
  const files: Record<string, string> = {
    'package.json': json({
      name: 'uuid',
      type: 'module',
      scripts: {
        build: './scripts/build.sh',
        pretest: 'npm run build',
        test: 'node --test --enable-source-maps dist/esm/test/*.js',
      },
      devDependencies: { typescript: '5.9.3', '@types/node': '22.0.0' },
    }),
    'tsconfig.json': '// Only here to point editors at the ESM config.\n{ "extends": "./tsconfig.esm.json" }\n',
    'tsconfig.base.json': json({
      compilerOptions: { declaration: true, strict: true, target: 'ES2022', skipLibCheck: true },
      exclude: ['dist', 'examples'],
    }),
    'tsconfig.esm.json': json({
      extends: './tsconfig.base.json',
      compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', outDir: './dist/esm' },
    }),
    '.gitignore': 'dist/\nnode_modules/\n',
    // As uuid's: browser builds are copies whose `*-browser` files replace their Node twins.
    'scripts/build.sh':
      '#!/bin/bash -eu\ncd "$(dirname "$0")/.."\nrm -rf dist && mkdir -p dist\nnpx tsc -p tsconfig.esm.json\ncp -pr dist/esm dist/esm-browser\nrm -f dist/esm/*-browser*\n(cd dist/esm-browser && for FILE in *-browser*; do mv "$FILE" "${FILE/-browser/}"; done)\n',
    'src/index.ts': "export { default as v4 } from './v4.js';\n",
    'src/v4.ts':
      "import rng from './rng.js';\n\nexport default function v4(): string {\n  return rng().join('-');\n}\n",
    'src/rng.ts': 'export default function rng(): number[] {\n  return [1, 2, 3];\n}\n',
    'src/rng-browser.ts': 'export default function rng(): number[] {\n  return [4, 5, 6];\n}\n',
    'src/test/v4.test.ts':
      "import { test } from 'node:test';\nimport assert from 'node:assert';\nimport v4 from '../v4.js';\n\ntest('v4', () => {\n  assert.equal(v4(), '1-2-3');\n});\n",
    'test/browser/browser.spec.js': "describe('browser', () => {\n  it('loads', () => {});\n});\n",
    '.github/workflows/ci.yml': CI('npm run test'),
  };
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  chmodSync(join(dir, 'scripts/build.sh'), 0o755);
  linkPackage(dir, 'typescript');
  linkPackage(dir, '@types/node');
  commitAll(dir);
}

test('a folder whose proof test breaks the build its proof command runs first is left for the next one; every folder breaking it drops the command', async () => {
  const dir = tempDir();
  uuidShape(dir);
  const command =
    "npm run pretest && node --test --test-reporter=spec $(printf '%s\\n' {files} | sed 's|^src/test/|dist/esm/test/|; s|^test/|dist/esm/test/|; s|\\.ts$|.js|')";
  const place = (tests: string, probe: string) => ({ tests, probe, command, language: { extension: 'ts' } });
  const broken = place('test/acceptance-*', 'test/acceptance-orchestrator-probe.test.ts');
  const kept = place('src/test/acceptance-*', 'src/test/acceptance-orchestrator-probe.test.ts');
  const sandbox = await verifySandbox(dir, ['']);
  try {
    const probe = async (u: ProofUnit) => {
      mkdirSync(dirname(join(sandbox.cwd, u.probe)), { recursive: true });
      writeFileSync(join(sandbox.cwd, u.probe), probeContent(u));
      const run = sh(sandbox.cwd, command.replace('{files}', u.probe));
      spawnSync('rm', ['-f', join(sandbox.cwd, u.probe)]);
      return run.status !== 0 && /REQ-0\.1/.test(run.output)
        ? { status: 'passed' as const, ms: 1 }
        : { status: 'failed' as const, ms: 1, firstLines: run.output.split('\n').slice(-4) };
    };
    const unit: ProofUnit = { layer: 'uuid', runner: 'node', origin: 'package.json', ...broken, alternatives: [kept] };
    unit.verified = await probe(unit);
    assert.equal(unit.verified.status, 'failed', 'the probe in test/ breaks the build');
    const gates = () => [{ command: 'npm run build', build: true }];
    await checkFolderGates([unit], sandbox, { timeoutSec: 120, gates }, probe);
    assert.equal(unit.verified?.status, 'passed');
    assert.equal(unit.tests, 'src/test/acceptance-*');
    assert.deepEqual(unit.gates, { passed: ['npm run build'], rejected: [] });
    // Only places that break it: not proposed, saying which build.
    const alone: ProofUnit = {
      layer: 'uuid',
      runner: 'node',
      origin: 'package.json',
      ...broken,
      verified: { status: 'passed', ms: 1 },
    };
    await checkFolderGates([alone], sandbox, { timeoutSec: 120, gates }, probe);
    assert.equal(alone.verified?.status, 'failed');
    assert.match(
      alone.verified?.status === 'failed' ? alone.verified.firstLines.join('\n') : '',
      /the project's build \(npm run build\) fails with a proof test in test\/acceptance-\*[\s\S]*mv: cannot stat/,
    );
  } finally {
    await sandbox.dispose();
  }
});

test("ESLint sparing a folder's own files only (`files: ['**/test/*']`, as @logux/eslint-config does): a one-line probe in test/acceptance/ passes the lint, but ESLint's own --print-config gives it other rules than the project's tests, so the place beside them (test/acceptance-*) is proposed", async () => {
  const dir = jsRunnerProject(
    tempDir(),
    'mocha',
    {
      'eslint.config.js': `export default [
  { files: ['**/*.js'], languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { describe: 'readonly', it: 'readonly' } }, rules: { 'no-console': 'error' } },
  { files: ['**/test/*'], rules: { 'no-console': 'off' } },
];
`,
      'src/calc.js': 'export const add = (a, b) => a + b;\n',
      'test/calc.test.js':
        "import assert from 'node:assert';\nimport { add } from '../src/calc.js';\n\nit('adds', () => {\n  console.log('adding');\n  assert.equal(add(1, 2), 3);\n});\n",
      '.github/workflows/ci.yml': CI('npm run lint', 'npm test'),
    },
    { script: "mocha 'test/**/*.test.js'", type: 'module', link: ['eslint'], manifest: {} },
  );
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  manifest.scripts.lint = 'eslint .';
  writeFileSync(join(dir, 'package.json'), json(manifest));
  const restore = sandboxReadsSharedModules();
  commitAll(dir);
  const report = await initFromCensus(dir, { trusted: true, timeoutSec: 120, budgetSec: 600 });
  restore();
  const unit = report.census.proof!.units[0]!;
  assert.equal(unit.verified?.status, 'passed', JSON.stringify(unit.verified));
  assert.match(unit.tests, /^test\/acceptance-\*/);
  assert.deepEqual(
    unit.gates?.rejected.map((r) => [r.tests, r.gate]),
    [['test/acceptance/**', 'npm run lint']],
  );
  assert.match(
    unit.gates!.rejected[0]!.firstLines.join('\n'),
    /ESLint judges test\/acceptance\/\*\* by other rules than the project's tests \(test\/calc\.test\.js\): no-console/,
  );
});
