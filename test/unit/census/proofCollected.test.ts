// A proof folder the project's runner collects by its own configuration (issue 70, item 5): the folder and the
// probe's name are ones its globs or regular expression take, so a proof test stays in the project's suite after
// the run. Shapes of real repositories: graphql-js (Mocha, `src/**/__tests__/**/*-test.ts`, from its script or
// its .mocharc.yml), a Jest testRegex naming `__tests__/…-test.js`, Jasmine's `*_spec.js`, Vitest's flat
// `__tests__` folders. The real runners collect them: test/integration/proof/proofCollected.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import picomatch from 'picomatch';
import { probeContent } from '../../../src/core/census/proof/proofProbes';
import type { Census } from '../../../src/core/census/types';
import { censusOf, json } from '../../support/census';

function unit(census: Census) {
  const found = census.proof?.units[0];
  assert.ok(found, `no proof unit: ${JSON.stringify(census.proof)}`);
  return { tests: found.tests, probe: found.probe };
}

const graphql = (extra: Record<string, string>, script: string) => ({
  'package.json': json({
    name: 'graphql',
    scripts: { testonly: script, lint: 'eslint .' },
    devDependencies: { mocha: '10.0.0', chai: '4.3.6', typescript: '5.0.0' },
  }),
  '.github/workflows/ci.yml': 'jobs:\n  test:\n    steps:\n      - run: npm ci\n      - run: npm run testonly\n',
  'src/language/lexer.ts': 'export const lex = 1;\n',
  'src/language/__tests__/lexer-test.ts': "import { expect } from 'chai';\nimport { describe, it } from 'mocha';\n",
  'src/utilities/__tests__/buildASTSchema-test.ts': "import { expect } from 'chai';\n",
  'src/utilities/buildASTSchema.ts': '',
  ...extra,
});

test("Mocha's spec `src/**/__tests__/**/*-test.ts` (its script's, or .mocharc.yml's): a `__tests__` folder and a `-test.ts` name, the glob saying so", async () => {
  const expected = {
    tests: 'src/__tests__/acceptance/**/*-test.ts',
    probe: 'src/__tests__/acceptance/orchestrator-probe-test.ts',
  };
  const fromScript = unit(
    await censusOf(
      graphql(
        { '.mocharc.yml': "require:\n  - 'resources/ts-register.js'\nextension:\n  - 'ts'\n" },
        'mocha --full-trace src/**/__tests__/**/*-test.ts',
      ),
    ),
  );
  assert.deepEqual(fromScript, expected);
  const fromConfig = unit(
    await censusOf(
      graphql(
        { '.mocharc.yml': "spec: 'src/**/__tests__/**/*-test.ts'\nrequire:\n  - 'resources/ts-register.js'\n" },
        'mocha --full-trace',
      ),
    ),
  );
  assert.deepEqual(fromConfig, expected);
  assert.ok(picomatch('src/**/__tests__/**/*-test.ts')(expected.probe), "the project's spec takes the probe");
  // Its tests import chai and mocha: so does the probe, and a lint rule on test imports judges its folder.
  const census = await censusOf(
    graphql({ '.mocharc.yml': "extension:\n  - 'ts'\n" }, 'mocha --full-trace src/**/__tests__/**/*-test.ts'),
  );
  const probe = probeContent(census.proof!.units[0]!);
  assert.match(probe, /^import \{ expect \} from 'chai';\nimport \{ it \} from 'mocha';\n/);
  assert.match(probe, /expect\(true\)\.to\.equal\(true\);/);
  assert.ok(!picomatch(expected.tests)('src/__tests__/acceptance/x.test.ts'), 'a name its spec would miss is outside');
});

test('Mocha: a folder spec takes the extensions its config adds; recursive descends', async () => {
  const census = await censusOf({
    'package.json': json({ name: 'lib', scripts: { test: 'mocha' }, devDependencies: { mocha: '10.0.0' } }),
    '.mocharc.json': json({ spec: 'test', extension: ['ts'], recursive: true, require: 'ts-node/register' }),
    'src/a.ts': '',
    'test/a.spec.ts': '',
  });
  assert.deepEqual(unit(census), { tests: 'test/acceptance/**', probe: 'test/acceptance/orchestrator-probe.spec.ts' });
});

test("Jest's testRegex `/__tests__/.*-test\\.js$`: a folder of `__tests__` where the project's tests are, named `-test.js`", async () => {
  const census = await censusOf({
    'package.json': json({
      name: 'lib',
      scripts: { test: 'jest' },
      devDependencies: { jest: '29.0.0' },
      jest: { testRegex: '/__tests__/.*-test\\.js$' },
    }),
    'src/parse.js': '',
    'src/__tests__/parse-test.js': '',
    'src/__tests__/helpers.js': '',
  });
  assert.deepEqual(unit(census), {
    tests: 'src/__tests__/acceptance/**/*-test.js',
    probe: 'src/__tests__/acceptance/orchestrator-probe-test.js',
  });
});

test("Jasmine's spec_files `**/*_spec.js`: an `_spec.js` name", async () => {
  const census = await censusOf({
    'package.json': json({ name: 'lib', scripts: { test: 'jasmine' }, devDependencies: { jasmine: '5.0.0' } }),
    'spec/support/jasmine.json': json({ spec_dir: 'spec', spec_files: ['**/*_spec.js'] }),
    'lib/a.js': '',
    'spec/a_spec.js': '',
  });
  assert.deepEqual(unit(census), {
    tests: 'spec/acceptance/**/*_spec.js',
    probe: 'spec/acceptance/orchestrator-probe_spec.js',
  });
});

test("Vitest's include `src/**/__tests__/*.ts`: files of a `__tests__` folder itself, not below it", async () => {
  const census = await censusOf({
    'package.json': json({ name: 'lib', scripts: { test: 'vitest run' }, devDependencies: { vitest: '3.0.0' } }),
    'vitest.config.ts':
      "import { defineConfig } from 'vitest/config';\nexport default defineConfig({ test: { include: ['src/**/__tests__/*.ts'] } });\n",
    'src/core/sum.ts': '',
    'src/core/__tests__/sum.ts': '',
  });
  assert.deepEqual(unit(census), {
    tests: 'src/__tests__/acceptance-*',
    probe: 'src/__tests__/acceptance-orchestrator-probe.test.ts',
  });
});

test("uuid's shape: tsc with no rootDir compiles only src/, so its computed root is src/ and the proof tests go beside its tests in src/test/, never in test/ (which would move its output)", async () => {
  const census = await censusOf({
    'package.json': json({
      name: 'uuid',
      type: 'module',
      scripts: { build: './scripts/build.sh', pretest: 'npm run build', test: 'node --test dist/esm/test/*.js' },
      devDependencies: { typescript: '5.9.3' },
    }),
    'tsconfig.json': '{ "extends": "./tsconfig.esm.json" }\n',
    'tsconfig.base.json': json({ compilerOptions: { strict: true }, exclude: ['dist', 'examples'] }),
    'tsconfig.esm.json': json({ extends: './tsconfig.base.json', compilerOptions: { outDir: './dist/esm' } }),
    '.gitignore': 'dist/\n',
    'scripts/build.sh': '',
    'src/v4.ts': '',
    'src/rng-browser.ts': '',
    'src/test/v4.test.ts': '',
    'test/browser/browser.spec.js': '',
    'examples/typescript/index.ts': '',
  });
  assert.deepEqual(unit(census), {
    tests: 'src/test/acceptance-*',
    probe: 'src/test/acceptance-orchestrator-probe.test.ts',
  });
});
