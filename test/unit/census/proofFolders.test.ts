import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COMPUTED, moduleConfig } from '../../../src/core/census/files/configLiteral';
import { censusDocument } from '../../../src/core/census/init/configDocument';
import type { Census, ProofUnit } from '../../../src/core/census/types';
import { censusOf, json } from '../../support/census';

/** The one proof unit, with the fields a place is judged by. */
function place(census: Census): Pick<ProofUnit, 'runner' | 'tests' | 'command' | 'probe'> {
  const unit = census.proof?.units[0];
  assert.ok(unit, `no proof unit: ${JSON.stringify(census.proof)}`);
  return { runner: unit.runner, tests: unit.tests, command: unit.command, probe: unit.probe };
}

test('jest: the config the test script names with -c, its rootDir and testMatch read as jest reads them: a folder its testMatch takes', async () => {
  const census = await censusOf({
    'package.json': json({
      name: 'parser',
      scripts: { test: 'jest -c test/jest.config.unit.js --coverage' },
      devDependencies: { jest: '29.0.0' },
    }),
    'test/jest.config.unit.js':
      "const base = require('./jest.config.base');\nmodule.exports = {\n  ...base,\n  rootDir: '../', // the repository\n  testMatch: ['<rootDir>/test/unit/**/*.test.js'],\n  coverageDirectory: base.dir + '/coverage',\n};\n",
    'test/jest.config.base.js': 'module.exports = { dir: __dirname };\n',
    'src/parse.js': 'module.exports = (s) => s;\n',
    'test/unit/parse.test.js': "test('parses', () => {});\n",
    'test/e2e/cli.test.js': "test('runs', () => {});\n",
  });
  assert.deepEqual(place(census), {
    runner: 'jest',
    tests: 'test/unit/acceptance/**',
    command: 'npx jest -c test/jest.config.unit.js --verbose --runTestsByPath {files}',
    probe: 'test/unit/acceptance/orchestrator-probe.test.js',
  });
});

test('jest: projects each with their own rootDir and roots; a testRegex naming a folder', async () => {
  const projects = await censusOf({
    'package.json': json({ name: 'mono', scripts: { test: 'jest' }, devDependencies: { jest: '29.0.0' } }),
    'jest.config.ts':
      "import type { Config } from 'jest';\nconst config: Config = {\n  projects: [{ displayName: 'api', rootDir: '<rootDir>/server', roots: ['<rootDir>/spec'] }],\n};\nexport default config;\n",
    'server/spec/api.test.ts': "test('x', () => {});\n",
  });
  assert.equal(place(projects).tests, 'server/spec/acceptance/**');
  assert.equal(place(projects).probe, 'server/spec/acceptance/orchestrator-probe.test.ts');
  const regex = await censusOf({
    'package.json': json({
      name: 'lib',
      scripts: { test: 'jest' },
      devDependencies: { jest: '29.0.0' },
      jest: { testRegex: '/checks/unit/.*\\.check\\.js$' },
    }),
    'checks/unit/a.check.js': "test('x', () => {});\n",
    'src/a.js': '',
  });
  assert.equal(place(regex).tests, 'checks/unit/acceptance/**');
});

test('TypeScript compiled to dist/ before node --test: proof tests beside the sources, in TypeScript, and the command builds first and runs the compiled files', async () => {
  const census = await censusOf({
    'package.json': json({
      name: 'lib',
      type: 'module',
      scripts: { build: 'tsc -p tsconfig.esm.json', test: 'npm run build && node --test dist/esm/test/*.test.js' },
      devDependencies: { typescript: '5.6.0' },
    }),
    'tsconfig.json': '{\n  // shared options\n  "compilerOptions": { "strict": true, "rootDir": "." },\n}\n',
    'tsconfig.esm.json': '{ "extends": "./tsconfig.json", "compilerOptions": { "outDir": "dist/esm" } }\n',
    '.gitignore': 'node_modules\ndist/\n',
    'src/index.ts': 'export const one = 1;\n',
    'test/index.test.ts': "import { test } from 'node:test';\n",
  });
  const { runner, tests, command, probe } = place(census);
  assert.equal(runner, 'node');
  // The project's glob takes test/*.test.js only, not a subfolder: proof files sit beside its tests.
  assert.equal(tests, 'test/acceptance-*');
  assert.equal(probe, 'test/acceptance-orchestrator-probe.test.ts');
  assert.equal(
    command,
    "npm run build && node --test --test-reporter=spec $(printf '%s\\n' {files} | sed 's|^test/|dist/esm/test/|; s|\\.ts$|.js|; s|\\.tsx$|.js|; s|\\.mts$|.mjs|; s|\\.cts$|.cjs|')",
  );
});

test('tap importing the build its pretest makes (`npm run prepare`, which runs tshy): the proof command builds first; tap-snapshots is no tests folder', async () => {
  const census = await censusOf({
    'package.json': json({
      name: 'cache',
      scripts: { prepare: 'tshy', pretest: 'npm run prepare', test: 'tap' },
      devDependencies: { tap: '21.1.0', tshy: '3.0.2' },
    }),
    '.gitignore': 'node_modules\ndist/\n',
    'src/index.ts': 'export const one = 1;\n',
    'tap-snapshots/test/basic.ts.test.cjs': 'exports[`test/basic.ts > TAP > x 1`] = `1`\n',
    'test/basic.ts': "import t from 'tap'\nimport { one } from '../dist/esm/index.js'\n",
  });
  const { runner, tests, command } = place(census);
  assert.deepEqual([runner, tests], ['tap', 'test/acceptance/**']);
  assert.equal(command, 'npm run pretest && npx tap --reporter=tap --disable-coverage {files}');
  // A type check chained before the runner, its tests importing the sources: the proof command runs the runner alone.
  const chained = await censusOf({
    'package.json': json({
      name: 'store',
      scripts: { 'test:types': 'tsc --build', test: 'npm run test:types && vitest run' },
      devDependencies: { vitest: '2.0.0' },
    }),
    'src/index.ts': 'export const one = 1;\n',
    'test/index.spec.ts': "import { one } from '../src'\n",
  });
  assert.equal(place(chained).command, 'npx vitest run --reporter=verbose {files}');
});

test('a compiled folder the script builds in its own steps, run with mocha: the build steps as the package manager runs them, the folder under outDir mapped to the rootDir', async () => {
  const census = await censusOf({
    'package.json': json({
      name: 'lib',
      scripts: { test: 'rimraf lib && tsc && mocha "lib/spec/**/*.spec.js"' },
      devDependencies: { mocha: '11.0.0', typescript: '5.6.0' },
    }),
    'tsconfig.json': '{ "compilerOptions": { "outDir": "lib", "rootDir": "src" } }\n',
    'src/index.ts': 'export const one = 1;\n',
    'src/spec/index.spec.ts': "it('x', () => {});\n",
  });
  const { runner, tests, probe, command } = place(census);
  assert.deepEqual(
    { runner, tests, probe },
    { runner: 'mocha', tests: 'src/spec/acceptance/**', probe: 'src/spec/acceptance/orchestrator-probe.spec.ts' },
  );
  // The build as the script runs it, then the runner (its reporter is the output readers' to choose) on the compiled files.
  assert.match(
    command,
    /^npx rimraf lib && npx tsc && npx mocha .*\$\(printf '%s\\n' \{files\} \| sed 's\|\^src\/spec\/\|lib\/spec\/\|; s\|\\\.ts\$\|\.js\|; /,
  );
});

test('vitest: a projects list naming packages, each package its own include; a config whose include is computed falls back to the tests', async () => {
  const census = await censusOf({
    'package.json': json({
      name: 'kit',
      type: 'module',
      scripts: { test: 'vitest run' },
      devDependencies: { vitest: '3.2.0' },
    }),
    'vitest.config.ts':
      "import { defineConfig } from 'vitest/config';\nexport default defineConfig({ test: { projects: ['packages/*'] } });\n",
    'packages/core/vitest.config.ts':
      "import { defineProject } from 'vitest/config';\nexport default defineProject({ test: { include: ['spec/**/*.spec.ts'] } });\n",
    'packages/core/src/a.ts': '',
    'packages/core/spec/a.spec.ts': '',
  });
  assert.deepEqual(place(census), {
    runner: 'vitest',
    tests: 'packages/core/spec/acceptance/**',
    command: 'npx vitest run --reporter=verbose {files}',
    probe: 'packages/core/spec/acceptance/orchestrator-probe.spec.ts',
  });
  const workspace = await censusOf({
    'package.json': json({
      name: 'kit',
      type: 'module',
      scripts: { test: 'vitest run' },
      devDependencies: { vitest: '3.0.0' },
    }),
    'vitest.workspace.ts':
      "export default [{ test: { name: 'unit', root: './lib', include: ['__checks__/**/*.test.mts'] } }];\n",
    'lib/a.ts': '',
    'lib/__checks__/a.test.mts': '',
  });
  assert.equal(place(workspace).tests, 'lib/__checks__/acceptance/**');
  assert.equal(place(workspace).probe, 'lib/__checks__/acceptance/orchestrator-probe.test.mts');
  const computed = await censusOf({
    'package.json': json({ name: 'app', scripts: { test: 'vitest run' }, devDependencies: { vitest: '3.0.0' } }),
    'vitest.config.js':
      "const dirs = ['web'];\nexport default { test: { include: dirs.map((d) => `${d}/**/*.test.js`), dir: 'web' } };\n",
    'web/a.test.js': '',
    'web/a.js': '',
  });
  assert.equal(place(computed).tests, 'web/acceptance/**', 'dir: where vitest looks');
  const anywhere = await censusOf({
    'package.json': json({ name: 'app', scripts: { test: 'vitest run' }, devDependencies: { vitest: '3.0.0' } }),
    'vitest.config.mjs': "export default { test: { include: ['**/*.spec.ts'] } };\n",
    'src/a.spec.ts': '',
    'src/a.ts': '',
  });
  assert.deepEqual(
    [place(anywhere).tests, place(anywhere).probe],
    ['src/acceptance/**', 'src/acceptance/orchestrator-probe.spec.ts'],
    'a pattern naming no folder: where the tests are',
  );
});

test('mocha: .mocharc spec, its require kept by mocha itself; without spec, its default ./test takes no subfolder', async () => {
  const census = await censusOf({
    'package.json': json({
      name: 'svc',
      scripts: { test: 'mocha --reporter dot' },
      devDependencies: { mocha: '11.0.0' },
    }),
    '.mocharc.yml': "require: ts-node/register\nspec:\n  - 'tests/**/*.spec.ts'\n",
    'src/a.ts': '',
    'tests/a.spec.ts': '',
  });
  assert.deepEqual(
    [place(census).tests, place(census).probe],
    ['tests/acceptance/**', 'tests/acceptance/orchestrator-probe.spec.ts'],
  );
  const plain = await censusOf({
    'package.json': json({ name: 'svc', scripts: { test: 'mocha' }, devDependencies: { mocha: '11.0.0' } }),
    'index.js': '',
    'test/a.test.js': '',
  });
  assert.equal(place(plain).tests, 'test/acceptance-*');
  assert.equal(place(plain).probe, 'test/acceptance-orchestrator-probe.test.js');
});

test("mocha given a single file: the proof folder beside its tests, and the config says the project's own command does not run it", async () => {
  const census = await censusOf({
    'package.json': json({
      name: 'types',
      scripts: { test: 'mocha --reporter spec test/test.js' },
      devDependencies: { mocha: '11.0.0' },
    }),
    'index.js': '',
    'test/test.js': '',
  });
  assert.equal(place(census).tests, 'test/acceptance/**');
  assert.deepEqual(census.proof?.units[0]?.onlyFiles, ['test/test.js']);
  const yaml = censusDocument(census).toString({ lineWidth: 0 });
  assert.match(
    yaml,
    /- test\/acceptance\/\*\* # layer \S+: beside the project's tests; its own mocha command runs test\/test\.js only .*so the proof command alone runs this folder/,
  );
  assert.doesNotMatch(yaml, /already runs/);
});

test('AVA: the files its package.json config names; a CommonJS probe where the package is not a module. Jasmine: spec_dir and spec_files', async () => {
  const census = await censusOf({
    'package.json': json({
      name: 'lib',
      scripts: { test: 'ava' },
      devDependencies: { ava: '6.0.0' },
      ava: { files: ['checks/**/*.test.js', '!checks/fixtures/**'] },
    }),
    'index.js': '',
    'checks/a.test.js': '',
  });
  const unit = census.proof!.units[0]!;
  assert.deepEqual(
    [place(census).tests, place(census).probe],
    ['checks/acceptance/**', 'checks/acceptance/orchestrator-probe.test.js'],
    'named as its files take it',
  );
  assert.equal(unit.language.framework, 'cjs');
  const jasmine = await censusOf({
    'package.json': json({
      name: 'lib',
      scripts: { test: 'jasmine --config=config/jasmine.json' },
      devDependencies: { jasmine: '5.0.0' },
    }),
    'config/jasmine.json': json({ spec_dir: 'checks', spec_files: ['unit/**/*[sS]pec.js'] }),
    'index.js': '',
    'checks/unit/a.spec.js': '',
  });
  assert.deepEqual(
    [place(jasmine).tests, place(jasmine).probe],
    ['checks/unit/acceptance/**', 'checks/unit/acceptance/orchestrator-probe.spec.js'],
  );
  assert.match(place(jasmine).command, /--config=config\/jasmine\.json/);
});

test('the config reader reads literals and marks what is computed', () => {
  const config = moduleConfig(
    "// c\nexport default defineConfig(({ mode }) => ({ root: 'web', test: { include: [`a/**`, `${x}/b`], env: process.env.X, 'dir': \"d\", setup() { return 1; } }, n: 2 }));\n",
  );
  assert.deepEqual(config, { root: 'web', test: { include: ['a/**', COMPUTED], env: COMPUTED, dir: 'd' }, n: 2 });
  assert.deepEqual(moduleConfig('module.exports = { roots: ["<rootDir>/src"], testMatch: base.concat(["x"]) }'), {
    roots: ['<rootDir>/src'],
    testMatch: COMPUTED,
  });
  assert.deepEqual(moduleConfig("export default { testMatch: ['<rootDir>/t/**'] as string[] } satisfies Config;\n"), {
    testMatch: ['<rootDir>/t/**'],
  });
});

test('a pnpm workspace package whose tests import a sibling through its build output: the sibling is built first, in validate and in the proof command, from the package', async () => {
  const census = await censusOf({
    'package.json': json({ name: 'shop', private: true, scripts: { build: 'pnpm -r build', test: 'pnpm -r test' } }),
    'pnpm-workspace.yaml': 'packages:\n  - "packages/*"\n',
    'pnpm-lock.yaml': 'lockfileVersion: "9.0"\n',
    'packages/core/package.json': json({
      name: '@shop/core',
      main: 'dist/index.js',
      types: 'dist/index.d.ts',
      scripts: { build: 'tsc', test: 'vitest run' },
      devDependencies: { vitest: '3.0.0', typescript: '5.6.0' },
    }),
    'packages/core/src/index.ts': 'export const a = 1;\n',
    'packages/core/src/index.test.ts': '',
    'packages/app/package.json': json({
      name: '@shop/app',
      dependencies: { '@shop/core': 'workspace:*', '@shop/ui': 'workspace:*', express: '4' },
      scripts: { test: 'jest' },
      devDependencies: { jest: '29.0.0' },
    }),
    'packages/app/src/server.ts': "import { a } from '@shop/core';\n",
    'packages/app/test/server.test.ts': '',
    // Its entry is a source file: nothing to build.
    'packages/ui/package.json': json({ name: '@shop/ui', main: 'src/index.js', scripts: { build: 'vite build' } }),
    'packages/ui/src/index.js': '',
    '.github/workflows/ci.yml':
      'jobs:\n  t:\n    steps:\n      - run: pnpm install\n      - run: pnpm build\n      - run: pnpm test\n',
  });
  const app = census.proof!.units.find((u) => u.tests.startsWith('packages/app/'))!;
  assert.equal(
    app.command,
    'cd packages/app && (cd ../core && pnpm run build) && pnpm exec jest --verbose --runTestsByPath {files}',
  );
  const layer = census.layers.find((l) => l.dirs.includes('packages/app'))!;
  assert.deepEqual(
    layer.validate.map((v) => v.command),
    ['pnpm --filter @shop/core build', 'pnpm --filter @shop/app test'],
  );
  const core = census.proof!.units.find((u) => u.tests.startsWith('packages/core/'))!;
  assert.equal(
    core.command,
    'cd packages/core && pnpm exec vitest run --reporter=verbose {files}',
    'core imports no sibling',
  );
});

test("a pnpm workspace package whose own test script runs no runner, tested by the root's vitest (include packages/**): that runner from the root, in the package's own tests folder", async () => {
  const census = await censusOf({
    'package.json': json({
      name: 'root',
      private: true,
      scripts: {
        test: 'pnpm run -r dev:prepare && pnpm run test:vitest run && pnpm run -r test',
        'test:vitest': 'vitest --coverage',
      },
      devDependencies: { vitest: '2.0.0' },
    }),
    'pnpm-workspace.yaml': 'packages:\n  - "packages/*"\n',
    'pnpm-lock.yaml': 'lockfileVersion: "9.0"\n',
    'vitest.workspace.js':
      "import { defineWorkspace } from 'vitest/config'\n\nexport default defineWorkspace(['./vite.config.ts'])\n",
    'vite.config.ts':
      "import { defineConfig } from 'vitest/config'\n\nexport default defineConfig({\n  test: {\n    include: ['packages/**/*.spec.ts'],\n  },\n})\n",
    'packages/store/package.json': json({
      name: 'store',
      main: 'index.js',
      scripts: {
        build: 'rollup -c',
        'test:dts': 'tsc -p ./test-dts/tsconfig.json',
        test: 'pnpm run build && pnpm test:dts',
      },
    }),
    'packages/store/src/index.ts': 'export const a = 1;\n',
    'packages/store/__tests__/store.spec.ts': '',
  });
  const store = census.proof!.units.find((u) => u.tests.startsWith('packages/store/'));
  assert.deepEqual(store && { runner: store.runner, tests: store.tests, command: store.command, probe: store.probe }, {
    runner: 'vitest',
    tests: 'packages/store/__tests__/acceptance/**',
    command: 'pnpm exec vitest run --reporter=verbose {files}',
    probe: 'packages/store/__tests__/acceptance/orchestrator-probe.spec.ts',
  });
});

test('never in build output: a folder .gitignore ignores, or one the build deletes, is passed over for where the tests are written', async () => {
  const ignored = await censusOf({
    'package.json': json({ name: 'gen', type: 'module', scripts: { test: 'node --test generated/tests/' } }),
    '.gitignore': '/generated\n',
    'index.js': '',
    'test/a.test.js': '',
  });
  assert.equal(place(ignored).tests, 'test/acceptance/**');
  const cleaned = await censusOf({
    'package.json': json({
      name: 'gen',
      type: 'module',
      scripts: { build: 'rm -rf tmp-out && babel src -d tmp-out', test: 'npm run build && node --test tmp-out/test/' },
    }),
    'src/index.js': '',
    'src/test/a.test.js': '',
  });
  assert.equal(place(cleaned).tests, 'src/test/acceptance/**');
  assert.equal(
    place(cleaned).command,
    "npm run build && node --test --test-reporter=spec $(printf '%s\\n' {files} | sed 's|^src/test/|tmp-out/test/|; s|\\.ts$|.js|; s|\\.tsx$|.js|; s|\\.mts$|.mjs|; s|\\.cts$|.cjs|')",
  );
});
