import assert from 'node:assert/strict';
import { test } from 'node:test';
import { censusRoom } from '../../../src/core/census';
import {
  propertyLibraries,
  propertyLibraryFor,
  propertyLibraryOf,
} from '../../../src/core/census/manifests/propertyLibraries';
import { json, makeRepo } from '../../support/census';

test('property-based testing libraries from every manifest kind, each with its unit folder and language', async () => {
  const repo = await makeRepo({
    // JavaScript: TypeScript by its dependency or its tsconfig; a runner binding counts as fast-check.
    'apps/web/package.json': json({ name: 'web', devDependencies: { 'fast-check': '^3.22.0', typescript: '5.6.0' } }),
    'packages/util/package.json': json({ name: 'util', devDependencies: { '@fast-check/vitest': '^0.1.0' } }),
    'packages/plain/package.json': json({ name: 'plain', dependencies: { 'fast-check': '3' } }),
    'packages/typed/package.json': json({ name: 'typed', devDependencies: { 'fast-check': '3' } }),
    'packages/typed/tsconfig.json': '{}',
    'packages/none/package.json': json({ name: 'none', devDependencies: { jest: '29' } }),
    // Python, in each place a dependency is declared.
    'py/uv/pyproject.toml': '[project]\nname = "a"\n[dependency-groups]\ndev = ["pytest", "hypothesis>=6.100"]\n',
    'py/poetry/pyproject.toml': '[tool.poetry]\nname = "b"\n[tool.poetry.group.test.dependencies]\nHypothesis = "^6"\n',
    'py/extras/pyproject.toml':
      '[project]\nname = "c"\n[project.optional-dependencies]\ntest = ["hypothesis[django]"]\n',
    'py/req/requirements-dev.txt': '# tools\npytest==8.0\nhypothesis==6.100.0  # properties\n',
    'py/pipenv/Pipfile': '[packages]\nrequests = "*"\n\n[dev-packages]\nhypothesis = "*"\n',
    'py/cfg/setup.cfg': '[options.extras_require]\ntest =\n    pytest\n    hypothesis>=6\n',
    'py/hypothesis-free/requirements.txt': 'hypothesis-jsonschema-not==1\nhypothesisx\n',
    // JVM: jqwik from Maven and from Gradle, Kotlin by its plugin.
    'jvm/maven/pom.xml':
      '<project><artifactId>shop</artifactId><dependencies><dependency><groupId>net.jqwik</groupId><artifactId>jqwik</artifactId><version>1.9.2</version><scope>test</scope></dependency></dependencies></project>',
    'jvm/kotlin/build.gradle.kts':
      'plugins { kotlin("jvm") version "2.0.0" }\ndependencies { testImplementation("net.jqwik:jqwik:1.9.2") }\n',
    'jvm/groovy/build.gradle': "dependencies { testImplementation 'com.pholser:junit-quickcheck-core:1.0' }\n",
    // Rust, Go, .NET.
    'rs/Cargo.toml': '[package]\nname = "rs"\nversion = "0.1.0"\n[dev-dependencies]\nproptest = "1.5"\n',
    'rs-qc/Cargo.toml':
      '[package]\nname = "qc"\nversion = "0.1.0"\n[target.\'cfg(unix)\'.dev-dependencies]\nquickcheck = "1"\n',
    'go/rapid/go.mod':
      'module example.com/rapid\n\ngo 1.22\n\nrequire (\n\tgithub.com/stretchr/testify v1.9.0\n\tpgregory.net/rapid v1.1.0\n)\n',
    'go/gopter/go.mod': 'module example.com/gopter\n\ngo 1.22\n\nrequire github.com/leanovate/gopter v0.2.11\n',
    'dotnet/Api.Tests/Api.Tests.csproj':
      '<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="FsCheck.Xunit" Version="3.0.0" /></ItemGroup></Project>',
    'dotnet/Calc.Tests/Calc.Tests.fsproj':
      '<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="FsCheck" Version="3.0.0" /></ItemGroup></Project>',
    // Other projects' manifests: a fixture and a generator's template are not this repository's dependencies.
    'test/fixtures/app/package.json': json({ name: 'fixture', devDependencies: { 'fast-check': '3' } }),
    'templates/service/Cargo.toml': '[package]\nname = "tpl"\n[dev-dependencies]\nproptest = "1"\n',
    // An unreadable manifest says nothing.
    'broken/package.json': '{ "devDependencies": { "fast-check": ',
  });
  try {
    assert.deepEqual(await propertyLibraries(repo.dir), [
      { name: 'fast-check', language: 'typescript', unit: 'apps/web' },
      { name: 'FsCheck', language: 'csharp', unit: 'dotnet/Api.Tests' },
      { name: 'FsCheck', language: 'fsharp', unit: 'dotnet/Calc.Tests' },
      { name: 'gopter', language: 'go', unit: 'go/gopter' },
      { name: 'rapid', language: 'go', unit: 'go/rapid' },
      { name: 'junit-quickcheck', language: 'java', unit: 'jvm/groovy' },
      { name: 'jqwik', language: 'kotlin', unit: 'jvm/kotlin' },
      { name: 'jqwik', language: 'java', unit: 'jvm/maven' },
      { name: 'fast-check', language: 'javascript', unit: 'packages/plain' },
      { name: 'fast-check', language: 'typescript', unit: 'packages/typed' },
      { name: 'fast-check', language: 'javascript', unit: 'packages/util' },
      { name: 'hypothesis', language: 'python', unit: 'py/cfg' },
      { name: 'hypothesis', language: 'python', unit: 'py/extras' },
      { name: 'hypothesis', language: 'python', unit: 'py/pipenv' },
      { name: 'hypothesis', language: 'python', unit: 'py/poetry' },
      { name: 'hypothesis', language: 'python', unit: 'py/req' },
      { name: 'hypothesis', language: 'python', unit: 'py/uv' },
      { name: 'proptest', language: 'rust', unit: 'rs' },
      { name: 'quickcheck', language: 'rust', unit: 'rs-qc' },
    ]);
  } finally {
    await repo.cleanup();
  }
});

test("a library at the root is the root unit (''), found once however many manifests name it", async () => {
  const repo = await makeRepo({
    'pyproject.toml': '[project]\nname = "calc"\ndependencies = ["hypothesis"]\n',
    'requirements-dev.txt': 'hypothesis\n',
    'calc/__init__.py': '',
  });
  try {
    assert.deepEqual(await propertyLibraries(repo.dir), [{ name: 'hypothesis', language: 'python', unit: '' }]);
  } finally {
    await repo.cleanup();
  }
});

test('the library to suggest when none is installed, per language', () => {
  const suggested = Object.fromEntries(
    [
      'javascript',
      'typescript',
      'python',
      'java',
      'kotlin',
      'rust',
      'go',
      'csharp',
      'fsharp',
      'TypeScript',
      'ruby',
      'php',
      'swift',
    ].map((l) => [l, propertyLibraryFor(l)]),
  );
  assert.deepEqual(suggested, {
    javascript: 'fast-check',
    typescript: 'fast-check',
    python: 'hypothesis',
    java: 'jqwik',
    kotlin: 'jqwik',
    rust: 'proptest',
    go: 'rapid',
    csharp: 'FsCheck',
    fsharp: 'FsCheck',
    TypeScript: 'fast-check',
    ruby: undefined,
    php: undefined,
    swift: undefined,
  });
});

test("the rest of the engine reaches both through the census room's loader", async () => {
  const room = censusRoom();
  assert.equal(room.propertyLibraryFor('go'), 'rapid');
  const repo = await makeRepo({
    'Cargo.toml': '[package]\nname = "x"\nversion = "0.1.0"\n[dev-dependencies]\nproptest = "1"\n',
    'src/lib.rs': '',
  });
  try {
    assert.deepEqual(await room.propertyLibraries(repo.dir), [{ name: 'proptest', language: 'rust', unit: '' }]);
  } finally {
    await repo.cleanup();
  }
});

test("the library of a criterion is its files' language and folder: a Python service gets Hypothesis, never the front end's fast-check", () => {
  const libraries = [
    { name: 'fast-check', language: 'typescript', unit: '' },
    { name: 'fast-check', language: 'typescript', unit: 'web' },
    { name: 'hypothesis', language: 'python', unit: 'services/api' },
  ];
  assert.deepEqual(propertyLibraryOf(libraries, ['services/api/app/prices.py', 'services/api/tests/test_prices.py']), {
    library: 'hypothesis',
    installed: true,
    language: 'python',
    unit: 'services/api',
  });
  assert.deepEqual(propertyLibraryOf(libraries, ['web/src/cart.tsx']), {
    library: 'fast-check',
    installed: true,
    language: 'typescript',
    unit: 'web',
  });
  // JavaScript is served by the TypeScript unit's library; the root's for a file no deeper unit holds.
  assert.deepEqual(propertyLibraryOf(libraries, ['scripts/tool.mjs']), {
    library: 'fast-check',
    installed: true,
    language: 'javascript',
    unit: '',
  });
  // A Python worker with no Hypothesis: the suggestion for Python, not the root's fast-check.
  assert.deepEqual(propertyLibraryOf(libraries, ['services/worker/jobs.py']), {
    library: 'hypothesis',
    installed: false,
    language: 'python',
  });
  // The files' most common language decides; files of no known language decide nothing.
  assert.equal(propertyLibraryOf(libraries, ['docs/api.md']), undefined);
  assert.equal(
    propertyLibraryOf(libraries, ['services/api/app/prices.py', 'services/api/app/rates.py', 'web/src/a.ts'])?.library,
    'hypothesis',
  );
});
