import assert from 'node:assert/strict';
import { test } from 'node:test';
import { censusOf, commands, json } from '../../support/census';

const workflow = (steps: string, defaults = '') =>
  `on: push\njobs:\n  ci:\n    runs-on: ubuntu-latest\n${defaults}    steps:\n${steps}`;

test("a root sbt build's CI check covers its folders of Scala code; a reusable workflow's folder default is where its steps run", async () => {
  const census = await censusOf({
    'build.sbt': '',
    'project/build.properties': 'sbt.version=1.10.0\n',
    'backend/src/main/scala/app/Main.scala': '',
    'backend/src/main/resources/db/migration/V1__init.sql': 'CREATE TABLE users (id int);',
    'ui/package.json': json({
      name: 'ui',
      dependencies: { react: '19', vite: '7' },
      scripts: { build: 'vite build', lint: 'eslint .' },
    }),
    'ui/yarn.lock': '',
    'ui/src/main.tsx': '',
    '.github/workflows/ci.yml': workflow('      - run: sbt test\n'),
    '.github/workflows/ui.yml': workflow(
      '      - run: yarn lint\n',
      "    defaults:\n      run:\n        working-directory: ${{ inputs.dir || '.' }}/ui\n",
    ),
    '.github/workflows/other.yml': workflow(
      '      - run: sbt scalafmtCheck\n',
      '    defaults:\n      run:\n        working-directory: ${{ inputs.path }}\n',
    ),
  });
  assert.ok(
    !census.layers.some((l) => l.validate.some((v) => v.command.includes('scalafmtCheck'))),
    'a folder CI computes is not the root',
  );
  assert.deepEqual(commands(census, 'backend'), ['sbt test']);
  assert.ok(commands(census, 'frontend').includes('cd ui && yarn lint'), JSON.stringify(commands(census, 'frontend')));
});

test('a .NET library referencing xunit.assert for its guards is no test project: it keeps its own layer and commands', async () => {
  const csproj = (refs: string[]) =>
    `<Project Sdk="Microsoft.NET.Sdk">\n  <ItemGroup>\n${refs.map((r) => `    <PackageReference Include="${r}" Version="1.0.0" />`).join('\n')}\n  </ItemGroup>\n</Project>\n`;
  const census = await censusOf({
    'Shop.sln': '',
    'Api/Api.csproj': csproj(['Swashbuckle.AspNetCore']).replace('Microsoft.NET.Sdk', 'Microsoft.NET.Sdk.Web'),
    'Api/Program.cs': '',
    'Shop.Common/Shop.Common.csproj': csproj(['xunit.assert', 'Flurl.Http']),
    'Shop.Common/Guard.cs': '',
    'Api.Tests/Api.Tests.csproj': csproj(['Microsoft.NET.Test.Sdk', 'xunit']),
    'Api.Tests/ApiTests.cs': '',
    '.github/workflows/ci.yml': workflow(
      '      - run: dotnet build Shop.Common/Shop.Common.csproj\n      - run: dotnet test Api.Tests/Api.Tests.csproj\n',
    ),
  });
  const common = census.projects.find((p) => p.dir === 'Shop.Common');
  assert.equal(common?.tests, undefined);
  assert.equal(census.projects.find((p) => p.dir === 'Api.Tests')?.tests, true);
  const owner = census.layers.find((l) => l.owns.some((g) => g.startsWith('Shop.Common')));
  assert.ok(
    owner?.validate.some((v) => v.command === 'dotnet build Shop.Common/Shop.Common.csproj'),
    JSON.stringify(census.layers.map((l) => [l.name, l.owns, l.validate.map((v) => v.command)])),
  );
});

test("a uv workspace member whose tests live at the root is checked by the root's commands, not a copy run in its folder", async () => {
  const census = await censusOf({
    'pyproject.toml':
      '[project]\nname = "suite"\ndependencies = ["lib-core"]\n\n[tool.uv.workspace]\nmembers = ["lib_core", "lib_cli"]\n\n[tool.pytest.ini_options]\ntestpaths = ["tests"]\n',
    'uv.lock': '',
    Makefile: 'typecheck:\n\tuv run mypy\n',
    'tests/test_core.py': '',
    'lib_core/pyproject.toml': '[project]\nname = "lib-core"\n',
    'lib_core/lib_core/__init__.py': '',
    'lib_core/lib_core/engine.py': '',
    'lib_cli/pyproject.toml': '[project]\nname = "lib-cli"\n',
    'lib_cli/lib_cli/__init__.py': '',
    'lib_cli/tests/test_cli.py': '',
    '.github/workflows/ci.yml': workflow(
      '      - run: make typecheck\n      - run: uv run coverage run -m pytest -n auto\n',
    ),
  });
  const core = census.layers.find((l) => l.owns.some((g) => g.startsWith('lib_core')))!;
  assert.ok(
    core.validate.length > 0 && core.validate.every((v) => !v.command.startsWith('cd lib_core')),
    JSON.stringify(core.validate),
  );
  assert.ok(
    core.validate.some((v) => v.command === 'uv run coverage run -m pytest -n auto'),
    JSON.stringify(core.validate),
  );
  const cli = census.layers.find((l) => l.owns.some((g) => g.startsWith('lib_cli')))!;
  assert.ok(
    cli.validate.some((v) => v.command.startsWith('cd lib_cli && ')),
    'a member with tests of its own runs them in its folder',
  );
});

test("Gradle modules get their own `check`, never another module's task CI qualified (`:server:test`)", async () => {
  const census = await censusOf({
    'settings.gradle.kts': 'include(":server", ":core", ":app:web")\n',
    gradlew: '',
    'server/build.gradle.kts': '',
    'server/src/main/kotlin/Main.kt': '',
    'server/src/test/kotlin/MainTest.kt': '',
    'core/build.gradle.kts': '',
    'core/src/commonMain/kotlin/Model.kt': '',
    'core/src/commonTest/kotlin/ModelTest.kt': '',
    'app/web/build.gradle.kts': '',
    'app/web/src/main/kotlin/App.kt': '',
    '.github/workflows/ci.yml': workflow('      - run: ./gradlew :server:test\n'),
  });
  const of = (dir: string) =>
    census.layers.find((l) => l.owns.some((g) => g.startsWith(dir)))!.validate.map((v) => v.command);
  assert.deepEqual(of('server'), ['./gradlew :server:test']);
  assert.deepEqual(of('core'), ['./gradlew :core:check']);
  assert.deepEqual(of('app/web'), ['./gradlew :app:web:check']);
});

test("a package.json beside the root's composer.json whose JavaScript CI never checks: its own scripts join the layer's checks", async () => {
  const census = await censusOf({
    'composer.json': json({
      name: 'acme/app',
      require: { 'symfony/framework-bundle': '7' },
      'require-dev': { 'phpunit/phpunit': '11' },
    }),
    'composer.lock': '{}',
    'bin/console': '',
    'src/Kernel.php': '',
    'src/Controller/HomeController.php': '',
    'tests/HomeTest.php': '',
    'package.json': json({
      name: 'acme',
      scripts: { dev: 'encore dev', lint: 'eslint assets/js/', build: 'encore production' },
      dependencies: { '@symfony/webpack-encore': '5', eslint: '9' },
    }),
    'pnpm-lock.yaml': '',
    'assets/js/app.js': '',
    'assets/js/forms.js': '',
    '.github/workflows/ci.yml': workflow(
      '      - run: composer validate --strict\n      - run: vendor/bin/phpstan analyse\n      - run: vendor/bin/phpstan analyse -c tests/phpstan.neon\n      - run: composer run tests\n      - run: vendor/bin/phpunit tests/\n      - run: vendor/bin/php-cs-fixer fix --dry-run\n',
    ),
  });
  const root = census.layers.find((l) => l.owns.includes('assets/**') || l.owns.some((g) => g.startsWith('assets')))!;
  assert.ok(
    root.validate.some((v) => v.command === 'pnpm run lint'),
    JSON.stringify(root.validate.map((v) => v.command)),
  );
  assert.ok(
    root.validate.some((v) => v.command.includes('phpunit') || v.command.includes('composer')),
    'the PHP checks stay',
  );
});

test('past the coverage goal, a small folder the repository runs checks in still gets its layer', async () => {
  const files: Record<string, string> = {
    'api/Cargo.toml': '[package]\nname = "api"\nversion = "0.1.0"\n',
    'edge/deno.json': '{ "tasks": { "build": "deno bundle main.ts" } }',
    'edge/main.ts': '',
    'edge/proxy.ts': '',
    'scripts/one-off.ts': '',
    '.github/workflows/ci.yml': workflow(
      '      - run: cd api && cargo test\n      - run: deno lint\n        working-directory: edge\n',
    ),
  };
  for (let i = 0; i < 40; i++) files[`api/src/m${i}.rs`] = '';
  const census = await censusOf(files);
  const edge = census.layers.find((l) => l.owns.includes('edge/**'));
  assert.ok(edge, JSON.stringify(census.layers.map((l) => l.owns)));
  assert.deepEqual(
    edge.validate.map((v) => v.command),
    ['cd edge && deno lint'],
  );
  assert.ok(
    !census.layers.some((l) => l.owns.includes('scripts/**')),
    'a folder nothing checks stays unowned past the goal',
  );
});

test("folders checked only by the root deno.json's tasks get their layers: a check task acting in one folder, an end-to-end task where nothing else checks", async () => {
  const files: Record<string, string> = {
    'server/Cargo.toml': '[package]\nname = "server"\nversion = "0.1.0"\n',
    'deno.jsonc': `{
      // maintenance
      "tasks": {
        "dev": "deno run -A ./ops/dev.ts",
        "lint": "deno task lint:ops && deno task lint:web",
        "lint:ops": "deno lint ops/ && deno check ops/**/*.ts",
        "lint:web": "cd web && deno lint",
        "smoke:e2e": "cd smoke && SITE=https://staging.example.test deno test -A",
        "ops:reindex": "deno run --allow-net ops/reindex.ts",
      },
    }`,
    'web/main.ts': '',
    'ops/reindex.ts': '',
    'ops/dev.ts': '',
    'smoke/main_test.ts': '',
    'notes/draft.ts': '',
    '.github/workflows/ci.yml': workflow('      - run: cd server && cargo test\n      - run: deno task lint:web\n'),
  };
  for (let i = 0; i < 60; i++) files[`server/src/m${i}.rs`] = '';
  const census = await censusOf(files);
  const layer = (dir: string) => census.layers.find((l) => l.owns.includes(`${dir}/**`));
  assert.deepEqual(
    layer('ops')?.validate.map((v) => v.command),
    ['deno task lint:ops'],
    JSON.stringify(census.layers.map((l) => [l.owns, l.validate])),
  );
  assert.deepEqual(
    layer('smoke')?.validate.map((v) => v.command),
    ['deno task smoke:e2e'],
  );
  assert.equal(layer('notes'), undefined, 'a folder nothing checks stays unowned past the goal');
});
