// Where a project says how its tests run, read as it says it (issue 70, the first look at repositories
// nobody had tuned to): CircleCI's steps as CI's commands, a runner's config named only by a test script
// other than `test`, a runner the project runs through its own bin.
import assert from 'node:assert/strict';
import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { takeCensus } from '../../../src/core/census/census';
import type { Census } from '../../../src/core/census/types';
import { censusOf, commands, json, makeRepo } from '../../support/census';

const unitOf = (census: Census) => {
  const unit = census.proof?.units[0];
  assert.ok(unit, JSON.stringify(census.proof));
  return { runner: unit.runner, tests: unit.tests, command: unit.command, origin: unit.origin };
};

/** A Nest library whose only Jest config is the e2e one its `test:integration` script names (ts-jest in it). */
const jestInSubfolder = (more: Record<string, string> = {}) => ({
  'package.json': json({
    name: '@acme/config',
    scripts: {
      build: 'rimraf -rf dist && tsc -p tsconfig.json',
      lint: "eslint 'lib/**/*.ts' --fix",
      'test:integration': 'jest --config ./tests/jest-e2e.json --runInBand',
    },
    devDependencies: { jest: '29', 'ts-jest': '29', typescript: '5' },
  }),
  'tsconfig.json': json({ compilerOptions: { outDir: './dist' }, include: ['lib/**/*'] }),
  'lib/config.service.ts': 'export class ConfigService {}\n',
  'lib/index.ts': "export * from './config.service';\n",
  'tests/jest-e2e.json': json({
    moduleFileExtensions: ['js', 'json', 'ts'],
    rootDir: '.',
    testEnvironment: 'node',
    testRegex: '.spec.ts$',
    transform: { '^.+\\.(t|j)s$': ['ts-jest', { tsconfig: './tests/tsconfig.json' }] },
  }),
  'tests/tsconfig.json': json({ extends: '../tsconfig.json', include: ['./**/*.ts'] }),
  'tests/e2e/load-env.spec.ts': "import { Test } from '@nestjs/testing';\n",
  'tests/src/app.module.ts': 'export class AppModule {}\n',
  ...more,
});

test("Jest's config named only by a test script other than `test` (`test:integration: jest --config ./tests/jest-e2e.json`): the proof command keeps it, and the folder is one that config collects", async () => {
  const census = await censusOf(jestInSubfolder());
  assert.deepEqual(unitOf(census), {
    runner: 'jest',
    tests: 'tests/acceptance/**',
    command: 'npx jest --config ./tests/jest-e2e.json --runInBand --verbose --runTestsByPath {files}',
    origin: 'package.json (scripts.test:integration)',
  });
  assert.equal(census.proof?.units[0]?.probe, 'tests/acceptance/orchestrator-probe.spec.ts');
});

test("CircleCI's steps are CI's commands: `run:` strings and `command:`s, aliases, a reusable command, the step's folder below the job's checkout; orb steps and unknown parameters left out", async () => {
  const circle = [
    'version: 2.1',
    'aliases:',
    '  - &install-deps',
    '    run:',
    '      name: Install dependencies',
    '      command: npm ci --ignore-scripts',
    'commands:',
    '  lint-docs:',
    '    parameters:',
    '      folder: {type: string, default: docs}',
    '    steps:',
    '      - run: cd << parameters.folder >> && npx markdownlint .',
    'jobs:',
    '  build:',
    '    working_directory: ~/nest',
    '    docker: [{image: cimg/node:20.6}]',
    '    steps:',
    '      - checkout',
    '      - run: sudo npm install -g npm@latest',
    '      - *install-deps',
    '      - run:',
    '          name: Build',
    '          command: npm run build',
    '  integration_tests:',
    '    working_directory: ~/nest',
    '    environment: {TZ: UTC}',
    '    steps:',
    '      - checkout',
    '      - node/install-packages',
    '      - *install-deps',
    '      - run:',
    '          name: Integration tests',
    '          command: npm run test:integration',
    '      - run:',
    '          command: npm run lint',
    '          working_directory: ~/nest',
    '      - run: npm run << pipeline.parameters.task >>',
    '      - lint-docs',
    'workflows:',
    '  build-and-test:',
    '    jobs: [build, {integration_tests: {requires: [build]}}]',
  ].join('\n');
  const census = await censusOf(jestInSubfolder({ '.circleci/config.yml': circle, 'docs/index.md': '# docs\n' }));
  const validate = census.layers.flatMap((l) => l.validate);
  assert.ok(
    validate.some((v) => v.command === 'TZ=UTC npm run test:integration' && v.origin === '.circleci/config.yml'),
    JSON.stringify(validate),
  );
  assert.ok(
    validate.some((v) => v.command === 'npm run build' && v.origin === '.circleci/config.yml'),
    JSON.stringify(validate),
  );
  assert.ok(!commands(census, census.layers[0]!.name).some((c) => /pipeline|<</.test(c)));
  assert.ok(
    validate.some((v) => v.command === 'cd docs && TZ=UTC npx markdownlint .'),
    'a reusable command, its parameter from its default',
  );
  assert.ok(!validate.some((v) => /npm install -g|npm ci/.test(v.command)), 'installs are no checks');
});

/** A Python package tested by unittest: tox runs `coverage run -m unittest discover {toxinidir}/tests`, CI runs tox. */
const unittestProject = (more: Record<string, string> = {}) => ({
  'pyproject.toml':
    '[project]\nname = "markdown"\nversion = "3.5"\n[project.optional-dependencies]\ntesting = ["coverage", "pyyaml"]\n',
  'markdown/__init__.py': 'from .core import markdown\n',
  'markdown/core.py': 'def markdown(text):\n    return text\n',
  'tests/__init__.py': '',
  'tests/test_apis.py':
    'import unittest\nimport markdown\n\n\nclass TestApis(unittest.TestCase):\n    def test_plain(self):\n        self.assertEqual(markdown.markdown("a"), "a")\n',
  ...more,
});

const TOX = [
  '[tox]',
  'envlist = py{38, 39, 310}, flake8',
  '',
  '[testenv]',
  'extras = testing',
  'allowlist_externals = coverage',
  'commands =',
  '    coverage run --source=markdown -m unittest discover {toxinidir}/tests',
  '    coverage xml',
  '    coverage report --show-missing',
  '',
  '[testenv:flake8]',
  'deps = flake8',
  'commands = flake8 {toxinidir}/markdown {toxinidir}/tests',
  '',
].join('\n');

test('unittest is a proof runner: read from the command tox runs (CI naming only tox), or from test modules importing unittest; the proof tests are modules discovery takes', async () => {
  const viaTox = await censusOf(
    unittestProject({
      'tox.ini': TOX,
      '.github/workflows/tox.yml':
        'jobs:\n  test:\n    steps:\n      - run: python -m pip install tox\n      - run: python -m tox\n',
    }),
  );
  assert.deepEqual(unitOf(viaTox), {
    runner: 'unittest',
    tests: 'tests/test_acceptance_*.py',
    command: 'python3 -m unittest -v {files}',
    origin: 'tox.ini ([testenv] commands)',
  });
  assert.equal(viaTox.proof?.units[0]?.probe, 'tests/test_acceptance_orchestrator_probe.py');

  // No tox: the tests' own imports say unittest; `-p` and `-s` of a discover command give the folder and the names.
  const byImports = await censusOf(unittestProject());
  assert.deepEqual(unitOf(byImports), {
    runner: 'unittest',
    tests: 'tests/test_acceptance_*.py',
    command: 'python3 -m unittest -v {files}',
    origin: 'pyproject.toml',
  });
  const discover = await censusOf(
    unittestProject({
      'checks/util_test.py': 'import unittest\n',
      Makefile: 'test:\n\tpython3 -m unittest discover -s checks -p "*_test.py"\n',
    }),
  );
  assert.deepEqual(unitOf(discover), {
    runner: 'unittest',
    tests: 'checks/acceptance_*_test.py',
    command: 'python3 -m unittest -v {files}',
    origin: 'Makefile',
  });
});

test("a runner run through its command-line script by node (`node node_modules/jasmine/bin/jasmine.js && npm run lint`) is that runner, given the files, not the per-file `npm test -- {file}` that would only reach the lint; the runner's own repository runs its own bin through its script (`npm test -- {files}`, which a change to the bin asks first), or has proof off where the script would give the files to a lint", async () => {
  const project = (test: string, more: Record<string, string> = {}) =>
    censusOf({
      'package.json': json({
        name: 'jasmine',
        scripts: { test, lint: 'eslint "lib/**/*.js" "spec/**/*.js"' },
        dependencies: { 'jasmine-core': '~7.0.0' },
        devDependencies: { eslint: '9' },
      }),
      'lib/jasmine.js': 'module.exports = {};\n',
      'spec/support/jasmine.json': json({ spec_dir: 'spec', spec_files: ['*[sS]pec.js'] }),
      'spec/command_spec.js': "describe('command', () => {});\n",
      ...more,
    });
  const installed = await project(
    'node --no-warnings node_modules/jasmine/bin/jasmine.js --config=spec/support/jasmine.json && npm run lint',
  );
  assert.deepEqual(unitOf(installed), {
    runner: 'jasmine',
    // spec_files' `*[sS]pec.js` takes spec/'s own files only: beside them, where Jasmine runs them too.
    tests: 'spec/acceptance-*.spec.js',
    command: 'node --no-warnings node_modules/jasmine/bin/jasmine.js --config=spec/support/jasmine.json {files}',
    origin: 'package.json (scripts.test)',
  });
  const mocha = await project('node node_modules/mocha/bin/_mocha --timeout 5000 && npm run lint');
  assert.equal(unitOf(mocha).runner, 'mocha');
  assert.match(unitOf(mocha).command, /^node node_modules\/mocha\/bin\/_mocha --timeout 5000 .*\{files\}$/);

  const bin = { 'bin/jasmine.js': "require('../lib/jasmine');\n" };
  const chained = await project('node ./bin/jasmine.js && npm run lint', bin);
  assert.deepEqual(chained.proof?.units, []);
  assert.match(
    chained.proof?.without[0]?.reason ?? '',
    /^node \.\/bin\/jasmine\.js \{files\} runs bin\/jasmine\.js, which layer/,
  );
  // Its script is the runner alone (npm's posttest lints after it): run as npm runs it, the bin still Jasmine's.
  const own = await project('node ./bin/jasmine.js', bin);
  assert.deepEqual(unitOf(own), {
    runner: 'jasmine',
    tests: 'spec/acceptance-*.spec.js',
    command: 'npm test -- {files}',
    origin: 'package.json (scripts.test)',
  });
});

test('npm runs `posttest` after the test script, never given the file: a `posttest` ending in a lint leaves the per-file `npm test -- {file}` rule out', async () => {
  const project = (scripts: Record<string, string>) =>
    censusOf({
      'package.json': json({ name: 'calc', scripts: { test: 'zora-runner "test/**/*.test.js"', ...scripts } }),
      'test/sum.test.js': '',
      'src/sum.js': '',
    });
  assert.equal(unitOf(await project({ pretest: 'tsc' })).command, 'npm test -- {file}');
  const post = await project({ posttest: 'tsc --noEmit && npm run lint', lint: 'eslint .' });
  assert.deepEqual(post.proof?.units, [], 'every proof run would end in the lint');
});

test('a `pretest` building through npm-run-all (`npm run build && npm run lint`, `build: run-p build:*`, one of them babel): the proof command builds first as `npm test` would, without the lint', async () => {
  const census = await censusOf({
    'package.json': json({
      name: 'validator',
      scripts: {
        lint: 'eslint src test',
        'build:es': 'babel src -d es --env-name=es',
        'build:node': 'babel src -d .',
        build: 'run-p build:*',
        pretest: 'npm run build && npm run lint',
        test: 'nyc --reporter=text-summary mocha --require @babel/register --reporter dot --recursive',
      },
      devDependencies: { mocha: '10', nyc: '15', '@babel/cli': '7', 'npm-run-all': '4' },
    }),
    '.gitignore': 'node_modules\n/es\n/lib\n/index.js\n',
    'src/index.js': "export { default as isEmail } from './lib/isEmail';\n",
    'src/lib/isEmail.js': 'export default function isEmail() { return true; }\n',
    'test/validators.test.js': "import validator from '../src/index';\n",
  });
  assert.equal(
    unitOf(census).command,
    'npm run build && npx mocha --require @babel/register --recursive --reporter tap {files}',
  );
});

test("pytest from the project's own virtualenv (`.venv/bin/pytest`, else `venv/`) where it has one, not the machine's on PATH; unittest's python likewise", async () => {
  const pytestProject = {
    'pyproject.toml': '[project]\nname = "boltons"\n[tool.pytest.ini_options]\ntestpaths = ["tests"]\n',
    '.gitignore': '.venv/\nvenv/\n',
    'boltons/__init__.py': '',
    'tests/test_iterutils.py': 'def test_x():\n    pass\n',
  };
  const withVenv = async (files: Record<string, string>, venv: string, program: string) => {
    const repo = await makeRepo({ ...files, [`${venv}/bin/${program}`]: '#!/bin/sh\n' });
    try {
      await chmod(join(repo.dir, venv, 'bin', program), 0o755);
      return unitOf(await takeCensus(repo.dir)).command;
    } finally {
      await repo.cleanup();
    }
  };
  assert.equal(unitOf(await censusOf(pytestProject)).command, 'pytest -rA -v {files}');
  assert.equal(await withVenv(pytestProject, '.venv', 'pytest'), '.venv/bin/pytest -rA -v {files}');
  assert.equal(await withVenv(pytestProject, 'venv', 'pytest'), 'venv/bin/pytest -rA -v {files}');
  assert.equal(await withVenv(unittestProject(), '.venv', 'python3'), '.venv/bin/python3 -m unittest -v {files}');
});

test('node:test through one aggregate file node runs (`node --experimental-transform-types ./test/all.test.js`, importing the others): node:test, each proof file run under --test with the same flags; not where the scripts are another library’s (uvu, tape)', async () => {
  const project = (devDependencies: Record<string, string>) =>
    censusOf({
      'package.json': json({
        name: 'zx-like',
        type: 'module',
        scripts: {
          build: 'tsc',
          pretest: 'npm run build',
          test: 'npm run test:size && npm run test:unit',
          'test:size': 'size-limit',
          'test:unit': 'node --experimental-transform-types ./test/all.test.js',
        },
        devDependencies,
      }),
      'src/util.ts': 'export const quote = (s: string) => s;\n',
      'test/all.test.js': "import './util.test.js'\n",
      'test/util.test.js': "import { test } from 'node:test'\n",
    });
  const census = await project({ typescript: '5', 'size-limit': '12' });
  const unit = unitOf(census);
  // Beside its tests, said to be run by the proof command alone: the aggregate imports only what it names.
  assert.deepEqual(census.proof?.units[0]?.onlyFiles, ['./test/all.test.js']);
  assert.equal(unit.runner, 'node');
  assert.equal(unit.tests, 'test/acceptance/**');
  assert.equal(
    unit.command,
    'npm run pretest && node --experimental-transform-types --test --test-reporter=spec {files}',
  );
  assert.ok(
    !(await project({ uvu: '0.5' })).proof?.units.some((u) => u.runner === 'node'),
    "uvu's test files are scripts node runs too: not node:test's",
  );
});
