import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDocument } from 'yaml';
import { censusDocument } from '../../../src/core/census/init/configDocument';
import { censusInMemory } from '../../../src/core/census/init/inMemory';
import { initSummary } from '../../../src/core/census/init/initSummary';
import type { InitReport } from '../../../src/core/census/init/initFromCensus';
import type { Census, ProofUnit } from '../../../src/core/census/types';
import { probeContent } from '../../../src/core/census/proof/proofProbes';
import { censusOf, json, makeRepo } from '../../support/census';

/** The proof unit of a layer, with the fields a proposal is judged by. */
function proofOf(
  census: Census,
  layer: string,
): Pick<ProofUnit, 'runner' | 'tests' | 'command' | 'origin'> & { probe: string } {
  const unit = census.proof?.units.find((u) => u.layer === layer);
  assert.ok(unit, `no proof for layer ${layer}; proof: ${JSON.stringify(census.proof)}`);
  return { runner: unit.runner, tests: unit.tests, command: unit.command, origin: unit.origin, probe: unit.probe };
}

/** The config's `proof:` section as init writes it, comments and all. */
const proofYaml = (census: Census) => {
  const text = censusDocument(census).toString({ lineWidth: 0 });
  return text.slice(text.indexOf('\nproof:\n') + '\nproof:\n'.length).replace(/^ {2}/gm, '');
};

test('node --test: the folder the test script names, its node flags kept, the spec reporter; the probe in TypeScript like the tests', async () => {
  const census = await censusOf({
    'package.json': json({
      name: 'ledger',
      type: 'module',
      scripts: { test: 'node --import tsx --test --test-reporter=dot "test/**/*.test.ts"', lint: 'eslint .' },
      devDependencies: { tsx: '4', typescript: '5' },
    }),
    'src/ledger.ts': 'export const total = (xs: number[]) => xs.reduce((a, b) => a + b, 0);\n',
    'test/ledger.test.ts': "import { test } from 'node:test';\n",
    'test/unit/balance.test.ts': "import { test } from 'node:test';\n",
  });
  assert.deepEqual(proofOf(census, 'ledger'), {
    runner: 'node',
    tests: 'test/acceptance/**',
    command: 'node --import tsx --test --test-reporter=spec {files}',
    origin: 'package.json (scripts.test)',
    probe: 'test/acceptance/orchestrator-probe.test.ts',
  });
  const yaml = proofYaml(census);
  assert.match(yaml, /mode: required/);
  assert.match(
    yaml,
    /- test\/acceptance\/\*\* # layer ledger: a folder node --test already runs \(from package.json \(scripts\.test\)\)/,
  );
  assert.match(yaml, /- node --import tsx --test --test-reporter=spec \{files\} # layer ledger; not verified/);
});

test('vitest in a pnpm workspace member: run from the package with pnpm exec, its config kept, the folder its include names', async () => {
  const census = await censusOf({
    'package.json': json({ name: 'shop', private: true, scripts: { test: 'pnpm -r test' } }),
    'pnpm-workspace.yaml': 'packages:\n  - "apps/*"\n',
    'pnpm-lock.yaml': 'lockfileVersion: "9.0"\n',
    'apps/web/package.json': json({
      name: 'web',
      dependencies: { react: '19.0.0', vite: '6.0.0' },
      devDependencies: { vitest: '3.0.0', typescript: '5.6.0' },
      scripts: { test: 'vitest run --config vitest.unit.config.ts --coverage', build: 'vite build' },
    }),
    'apps/web/vitest.config.ts':
      "import { defineConfig } from 'vitest/config';\nexport default defineConfig({ optimizeDeps: { include: ['react'] }, test: { include: ['src/**/*.spec.tsx'] } });\n",
    'apps/web/src/App.tsx': 'export const App = () => null;\n',
    'apps/web/src/App.spec.tsx': "import { test } from 'vitest';\n",
    '.github/workflows/ci.yml':
      'jobs:\n  t:\n    steps:\n      - run: pnpm install\n      - run: pnpm --filter web test\n',
  });
  const proof = proofOf(census, 'frontend');
  assert.equal(
    proof.command,
    'cd apps/web && pnpm exec vitest run --config vitest.unit.config.ts --reporter=verbose {files}',
  );
  assert.equal(
    proof.tests,
    'apps/web/src/acceptance/**',
    'inside the folder vitest includes, not the package named by optimizeDeps',
  );
  assert.equal(proof.origin, 'apps/web/package.json (scripts.test)');
  assert.equal(
    proof.probe,
    'apps/web/src/acceptance/orchestrator-probe.spec.tsx',
    'named as the include takes it: vitest runs a given file only then',
  );
});

test('jest with roots and an ESM node flag: NODE_OPTIONS keeps the flag, --verbose names each test, the files given by path', async () => {
  const census = await censusOf({
    'api/package.json': json({
      name: 'api',
      dependencies: { express: '4.0.0' },
      devDependencies: { jest: '29.0.0' },
      scripts: { test: 'node --experimental-vm-modules node_modules/jest/bin/jest.js --ci --coverage' },
      jest: { roots: ['<rootDir>/tests'] },
    }),
    'api/src/server.js': 'export const app = 1;\n',
    'api/tests/server.test.js': "test('x', () => {});\n",
  });
  const proof = proofOf(census, 'backend');
  assert.equal(
    proof.command,
    'cd api && NODE_OPTIONS=--experimental-vm-modules npx jest --verbose --runTestsByPath {files}',
  );
  assert.equal(proof.tests, 'api/tests/acceptance/**');
  assert.equal(proof.probe, 'api/tests/acceptance/orchestrator-probe.test.js');
});

test("pytest: the project's own runner (uv run from CI) in its folder, testpaths from pyproject, -rA -v", async () => {
  const census = await censusOf({
    'backend/pyproject.toml':
      '[project]\nname = "api"\ndependencies = ["fastapi"]\n[dependency-groups]\ndev = ["pytest"]\n[tool.pytest.ini_options]\ntestpaths = ["tests"]\naddopts = "-q"\n',
    'backend/uv.lock': '',
    'backend/app/main.py': 'app = FastAPI()\n',
    'backend/tests/test_main.py': 'def test_ok():\n    pass\n',
    '.github/workflows/ci.yml':
      'jobs:\n  t:\n    defaults:\n      run:\n        working-directory: backend\n    steps:\n      - run: uv sync\n      - run: uv run pytest -q tests/\n',
  });
  assert.deepEqual(proofOf(census, 'backend'), {
    runner: 'pytest',
    tests: 'backend/tests/acceptance/**',
    command: 'cd backend && uv run pytest -rA -v {files}',
    origin: '.github/workflows/ci.yml',
    probe: 'backend/tests/acceptance/test_orchestrator_probe.py',
  });
});

test('Go: proof tests are files of the package they test, in any package folder of the module, run as their packages with only their own tests', async () => {
  const census = await censusOf({
    'api/go.mod': 'module github.com/acme/api\n\ngo 1.22\n',
    'api/cmd/server/main.go': 'package main',
    'api/internal/users/handler.go': 'package users',
    'api/internal/users/handler_test.go': 'package users',
  });
  const proof = proofOf(census, 'backend');
  assert.equal(proof.tests, 'api/**/acceptance_*_test.go');
  assert.equal(
    proof.command,
    `cd api && go test -v -count=1 -run "$(sed -n 's/^func \\(Test[^(]*\\)(.*/\\1/p' {files} | sort -u | paste -sd'|' - | sed 's/.*/^(&)$/')" $(printf '%s\\n' {files} | sed 's|[^/]*$||' | sort -u | sed 's|^|./|')`,
  );
  // The module's root holds no package: the probe goes where its tests are, in their package.
  assert.equal(proof.probe, 'api/internal/users/acceptance_orchestrator_probe_test.go');
  assert.equal(census.proof?.units[0]?.language.package, 'users');
});

test("Go: a module whose root is its package (golang-jwt's `package jwt`) gets its probe there, under the package's name, so a proof test can call its unexported functions", async () => {
  const census = await censusOf({
    'go.mod': 'module github.com/golang-jwt/jwt/v5\n\ngo 1.21\n',
    'parser.go': '// Package jwt parses tokens.\npackage jwt\n\nfunc splitToken(s string) []string { return nil }\n',
    'parser_test.go': 'package jwt_test\n',
    'request/request.go': 'package request\n',
    'acceptance_old_test.go': 'package jwt\n',
  });
  const unit = census.proof!.units[0]!;
  // `acceptance_` is the project's own name already: `proof_`.
  assert.equal(unit.tests, '{proof_*_test.go,[^.]*/**/proof_*_test.go}');
  assert.equal(unit.probe, 'proof_orchestrator_probe_test.go');
  assert.equal(unit.language.package, 'jwt');
  assert.match(probeContent(unit), /^package jwt\n/);
});

test('Cargo workspace member: integration test files of its own under tests/, run from the crate as test targets', async () => {
  const census = await censusOf({
    'Cargo.toml': '[workspace]\nmembers = ["crates/*"]\n',
    'crates/engine/Cargo.toml': '[package]\nname = "engine"\nversion = "0.1.0"\n',
    'crates/engine/src/lib.rs': 'pub fn f() {}\n',
    'crates/engine/tests/acceptance_existing.rs': '#[test] fn t() {}\n',
    '.github/workflows/ci.yml': 'jobs:\n  t:\n    steps:\n      - run: cargo test -p engine\n',
  });
  const proof = proofOf(census, 'engine');
  assert.equal(proof.tests, 'crates/engine/tests/proof_*.rs', "acceptance_ is taken by the crate's own tests");
  assert.equal(
    proof.command,
    "cd crates/engine && cargo test --no-fail-fast $(printf '%s\\n' {files} | sed 's|^.*/||; s|\\.[A-Za-z]*$||' | sed 's|^|--test |')",
  );
  assert.equal(proof.probe, 'crates/engine/tests/proof_orchestrator_probe.rs');
});

test('.NET: the test project that goes with the API, an Acceptance folder in it, classes filtered by file name; an F# test project gets none', async () => {
  const census = await censusOf({
    'Shop.sln': '',
    'src/Shop.Api/Shop.Api.csproj': '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>',
    'src/Shop.Api/Program.cs': 'var app = WebApplication.Create();',
    'tests/Shop.Api.Tests/Shop.Api.Tests.csproj':
      '<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="Microsoft.NET.Test.Sdk" Version="17.0.0" /><PackageReference Include="NUnit" Version="4.0.0" /></ItemGroup><ItemGroup><ProjectReference Include="../../src/Shop.Api/Shop.Api.csproj" /></ItemGroup></Project>',
    'tests/Shop.Api.Tests/OrdersTests.cs': 'public class OrdersTests {}',
  });
  const unit = census.proof!.units[0]!;
  assert.equal(unit.runner, 'dotnet');
  assert.equal(unit.tests, 'tests/Shop.Api.Tests/Acceptance/**');
  assert.equal(
    unit.command,
    `cd tests/Shop.Api.Tests && dotnet test --logger 'console;verbosity=detailed' --filter "$(printf '%s\\n' {files} | sed 's|^.*/||; s|\\.[A-Za-z]*$||' | sed 's|^|FullyQualifiedName~.|; s|$|.|' | paste -sd'|' -)"`,
  );
  assert.deepEqual(unit.language, { extension: 'cs', framework: 'nunit' });

  const fsharp = await censusOf({
    'Calc/Calc.fsproj': '<Project Sdk="Microsoft.NET.Sdk"></Project>',
    'Calc/Library.fs': 'module Calc',
    'Calc.Tests/Calc.Tests.fsproj':
      '<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="xunit" Version="2.0.0" /></ItemGroup></Project>',
    'Calc.Tests/Tests.fs': 'module Tests',
  });
  assert.deepEqual(fsharp.proof!.units, []);
  assert.match(fsharp.proof!.without[0]!.reason, /F#, which builds only the files it lists/);
});

test('Maven and Gradle: src/test/<language>/acceptance, JUnit 4 or 5 from the dependencies, the files as Surefire paths or Gradle --tests classes', async () => {
  const maven = await censusOf({
    'pom.xml':
      '<project><modelVersion>4.0.0</modelVersion><artifactId>shop</artifactId><dependencies><dependency><groupId>junit</groupId><artifactId>junit</artifactId></dependency></dependencies></project>',
    mvnw: '#!/bin/sh\n',
    'src/main/java/com/acme/Shop.java': 'class Shop {}',
    'src/test/java/com/acme/ShopTest.java': 'class ShopTest {}',
  });
  const unit = maven.proof!.units[0]!;
  assert.equal(unit.tests, 'src/test/java/acceptance/**');
  assert.equal(
    unit.command,
    `./mvnw -B -Dsurefire.reportFormat=plain -Dsurefire.failIfNoSpecifiedTests=false -DfailIfNoTests=false -Dtest="$(printf '%s\\n' {files} | sed 's|^.*src/test/[a-z]*/||' | paste -sd, -)" test`,
  );
  assert.deepEqual(unit.language, { extension: 'java', framework: 'junit4' });

  const gradle = await censusOf({
    'settings.gradle.kts': 'include(":app")\n',
    gradlew: '#!/bin/sh\n',
    'app/build.gradle.kts':
      'plugins { kotlin("jvm") }\ndependencies { testImplementation("org.junit.jupiter:junit-jupiter:5.10.0") }\n',
    'app/src/main/kotlin/App.kt': 'fun main() {}',
    'app/src/test/kotlin/AppTest.kt': 'class AppTest',
  });
  const app = gradle.proof!.units.find((u) => u.tests.startsWith('app/'))!;
  assert.equal(app.tests, 'app/src/test/kotlin/acceptance/**');
  assert.equal(
    app.command,
    "./gradlew :app:test $(printf '%s\\n' {files} | sed 's|^.*src/test/[a-z]*/||; s|\\.[A-Za-z]*$||; s|/|.|g; s|^|--tests |')",
  );
  assert.deepEqual(app.language, { extension: 'kt', framework: 'junit5' });
});

test("PHP: inside the Feature suite phpunit.xml runs (tests/Acceptance is Codeception's), a filter on the files' classes; pest when the project has it", async () => {
  const laravel = {
    'composer.json': json({
      name: 'acme/shop',
      require: { 'laravel/framework': '^11.0' },
      'require-dev': { 'phpunit/phpunit': '^11.0' },
    }),
    'phpunit.xml':
      '<phpunit><testsuites><testsuite name="Unit"><directory>tests/Unit</directory></testsuite><testsuite name="Feature"><directory>tests/Feature</directory></testsuite></testsuites></phpunit>',
    'app/Models/User.php': '<?php class User {}',
    'tests/Feature/ExampleTest.php': '<?php',
    'tests/Acceptance/LoginCest.php': '<?php',
  };
  const phpunit = await censusOf(laravel);
  const unit = phpunit.proof!.units[0]!;
  assert.equal(unit.runner, 'phpunit');
  assert.equal(unit.tests, 'tests/Feature/Acceptance/**');
  assert.equal(
    unit.command,
    `vendor/bin/phpunit --testdox --filter "$(printf '%s\\n' {files} | sed 's|^.*/||; s|\\.[A-Za-z]*$||' | paste -sd'|' -)" tests/Feature/Acceptance`,
  );

  const pest = await censusOf({
    ...laravel,
    'composer.json': json({
      name: 'acme/shop',
      require: { 'laravel/framework': '^11.0' },
      'require-dev': { 'pestphp/pest': '^3.0' },
    }),
  });
  assert.equal(pest.proof!.units[0]!.runner, 'pest');
  assert.match(pest.proof!.units[0]!.command, /^vendor\/bin\/pest --filter /);
});

test('rspec: spec/acceptance with the documentation format, through bundle exec', async () => {
  const census = await censusOf({
    Gemfile: "source 'https://rubygems.org'\ngem 'rails'\ngem 'rspec-rails'\n",
    'app/models/user.rb': 'class User; end',
    'spec/models/user_spec.rb': 'RSpec.describe User do; end',
    '.github/workflows/ci.yml': 'jobs:\n  t:\n    steps:\n      - run: bundle exec rspec\n',
  });
  const unit = census.proof!.units[0]!;
  assert.deepEqual(
    [unit.runner, unit.tests, unit.command],
    ['rspec', 'spec/acceptance/**', 'bundle exec rspec --format documentation {files}'],
  );
});

test('no test runner known: mode off with one line saying why, in the config, the --json summary and the census in memory', async () => {
  const files = {
    'package.json': json({
      name: 'site',
      scripts: { build: 'vite build', lint: 'eslint .' },
      devDependencies: { vite: '6.0.0' },
    }),
    'src/main.js': 'console.log(1)',
  };
  const census = await censusOf(files);
  assert.deepEqual(census.proof!.units, []);
  const yaml = proofYaml(census);
  assert.equal(
    yaml.trim(),
    "mode: off # no test runner is known for this repository's code (site: no test script runs a test runner (node --test, Vitest, Jest, AVA, Mocha, tap, Jasmine, uvu, or another that is given a file), and neither vitest nor jest is a dependency)",
  );
  const summary = initSummary({
    census,
    proposal: '',
    config: 'created',
    created: [],
    kept: [],
    gitignore: 'unchanged',
  } as InitReport) as { proof: { mode: string; reason: string; tests: string[] } };
  assert.equal(summary.proof.mode, 'off');
  assert.match(summary.proof.reason, /no test script runs a test runner \(node --test, Vitest, Jest, AVA/);
  assert.deepEqual(summary.proof.tests, []);

  const repo = await makeRepo(files);
  try {
    const { config } = await censusInMemory(repo.dir);
    assert.equal(config.proof.mode, 'off');
    assert.deepEqual(config.proof.command, []);
  } finally {
    await repo.cleanup();
  }
});

test('zero configuration: a run without a config gets the proof section from the census in memory, and it loads', async () => {
  const repo = await makeRepo({
    'package.json': json({ name: 'calc', type: 'module', scripts: { test: 'node --test' } }),
    'src/calc.js': 'export const add = (a, b) => a + b;\n',
    'test/calc.test.js': "import { test } from 'node:test';\n",
  });
  try {
    const { config } = await censusInMemory(repo.dir);
    assert.equal(config.proof.mode, 'required');
    assert.deepEqual(config.proof.tests, ['test/acceptance/**']);
    assert.deepEqual(config.proof.command, ['node --test --test-reporter=spec {files}']);
    assert.equal(config.proof.maxRounds, 2);
  } finally {
    await repo.cleanup();
  }
});

test('two layers: each its own tests and command, in the same order; a layer without a runner says so beside them', async () => {
  const census = await censusOf({
    'backend/pyproject.toml':
      '[project]\nname = "api"\ndependencies = ["django"]\n[tool.pytest.ini_options]\nDJANGO_SETTINGS_MODULE = "api.settings"\n',
    'backend/api/settings.py': 'DEBUG = True',
    'backend/posts/tests/test_models.py': 'def test(): pass',
    'frontend/package.json': json({
      name: 'web',
      dependencies: { react: '19.0.0' },
      devDependencies: { jest: '29.0.0' },
      scripts: { test: 'jest' },
    }),
    'frontend/src/App.jsx': 'export default 1',
    'frontend/src/App.test.jsx': "test('x', () => {})",
    'infra/main.tf': 'resource "x" "y" {}',
  });
  const doc = parseDocument(censusDocument(census).toString({ lineWidth: 0 }));
  const { proof } = doc.toJS() as { proof: { tests: string[]; command: string[] } };
  assert.deepEqual(proof.tests, ['backend/tests/acceptance/**', 'frontend/src/acceptance/**']);
  assert.deepEqual(proof.command, [
    'cd backend && pytest -rA -v {files}',
    'cd frontend && npx jest --verbose --runTestsByPath {files}',
  ]);
  assert.match(doc.toString(), /# layer infra has no proof command: no project manifest/);
});

test('pytest named only where CI names it (a test requirements file, a requirements folder, a hatch env, tox, nox, a Makefile): proof with pytest', async () => {
  const code = { 'setup.py': 'from setuptools import setup\nsetup(name="lib")\n', 'lib/core.py': 'X = 1\n' };
  const tox = '[tox]\nenvlist = py\n[testenv]\ndeps = -rtest-requirements.txt\ncommands = pytest {posargs}\n';
  const variants: Record<string, Record<string, string>> = {
    'test-requirements.txt': { 'test-requirements.txt': 'pytest>=7\nmock\n', 'tox.ini': tox },
    'requirements/test.txt': { 'requirements/test.txt': 'pytest\n' },
    'hatch env': {
      'pyproject.toml':
        '[project]\nname = "lib"\n[tool.hatch.envs.test]\ndependencies = ["pytest", "coverage"]\n[tool.hatch.envs.test.scripts]\nrun = "pytest {args}"\n',
    },
    'tox.ini': { 'tox.ini': '[testenv]\ndeps = -e .\ncommands = pytest tests\n' },
    'noxfile.py': {
      'noxfile.py':
        'import nox\n@nox.session\ndef tests(session):\n    session.install("pytest")\n    session.run("pytest")\n',
    },
    Makefile: { Makefile: 'test:\n\tpython -m pytest tests\n' },
  };
  for (const [where, files] of Object.entries(variants)) {
    const census = await censusOf({ ...code, ...files });
    const unit = census.proof?.units[0];
    assert.equal(unit?.runner, 'pytest', `${where}: ${JSON.stringify(census.proof)}`);
  }
});
