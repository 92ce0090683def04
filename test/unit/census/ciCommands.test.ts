import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkCommand, normalizeCheck } from '../../../src/core/census/commands/checkCommands';
import { powershellCommands, scriptCommands } from '../../../src/core/census/commands/shellScript';
import { censusOf, commands, json, layer } from '../../support/census';

const kept = (command: string, scripts: Record<string, string> = {}) =>
  checkCommand(command, (name) => scripts[name])?.command;

test('a CI script is cut as a shell reads it: chains, continuations, quotes, heredocs, pipes, tolerated failures, control flow, a loop over literal words once per word', () => {
  const script = [
    'set -euo pipefail',
    'npm ci && npm run lint; npm test',
    'cargo clippy --all-targets \\',
    '  -- -D warnings',
    'python - <<EOF',
    'import sys',
    'print("pytest is great")',
    'EOF',
    "cat > conf.ini <<-'END'",
    '  [x]',
    '  END',
    'python -c "',
    'import json',
    'print(1)"',
    'pytest -q 2>&1 | tee pytest.log',
    'ruff format --check . || true',
    'if [ -f go.mod ]; then go vet ./...; fi',
    'for d in a b; do make -C "$d" test; done',
    'echo "done # not a comment"  # a comment',
  ].join('\n');
  assert.deepEqual(
    scriptCommands(script).map((c) => c.text),
    [
      'set -euo pipefail',
      'npm ci',
      'npm run lint',
      'npm test',
      'cargo clippy --all-targets -- -D warnings',
      'python -c "\nimport json\nprint(1)"',
      'pytest -q 2>&1',
      'go vet ./...',
      'make -C "a" test',
      'make -C "b" test',
      'echo "done # not a comment"',
    ],
  );
  assert.deepEqual(
    powershellCommands(
      '$ErrorActionPreference = "Stop"\nWrite-Host "building"\ndotnet test Shop.sln\nif ($LASTEXITCODE) { exit 1 }\n',
    ).map((c) => c.text),
    ['dotnet test Shop.sln'],
  );
});

test('checks are judged past their wrappers; clean is dropped; installs, servers, releases, packaging, codegen and browser installs are no checks', () => {
  assert.equal(kept('poetry run ./scripts/lint'), 'poetry run ./scripts/lint');
  assert.equal(kept('./scripts/test'), './scripts/test');
  assert.equal(kept('uv run pytest -q'), 'uv run pytest -q');
  assert.equal(kept('uv run --package api --frozen pytest'), 'uv run --package api --frozen pytest');
  assert.equal(kept('pipenv run python -m pytest'), 'pipenv run python -m pytest');
  assert.equal(kept('bundle exec rspec'), 'bundle exec rspec');
  assert.equal(kept('npx tsc --noEmit'), 'npx tsc --noEmit');
  assert.equal(kept('./gradlew clean test'), './gradlew test');
  assert.equal(kept('./gradlew clean build --no-daemon'), './gradlew build --no-daemon');
  assert.equal(kept('mvn -B clean verify'), 'mvn -B verify');
  assert.equal(kept('make clean test'), 'make test');
  // A task file's `coverage` target runs the suite under coverage (more-itertools' CI step "Run tests").
  assert.equal(kept('make coverage'), 'make coverage');
  assert.equal(kept('just coverage'), 'just coverage');
  assert.equal(kept('mix test'), 'mix test');
  assert.equal(kept('php artisan test'), 'php artisan test');
  assert.equal(kept('deno task check'), 'deno task check');
  assert.equal(kept('flutter analyze'), 'flutter analyze');
  assert.equal(kept('flutter test --coverage'), 'flutter test --coverage');
  assert.equal(kept('RUSTFLAGS="-D warnings" cargo clippy'), 'RUSTFLAGS="-D warnings" cargo clippy');
  assert.equal(kept('DATABASE_URL=${{ secrets.DB }} pytest'), 'pytest', 'an assignment CI computes is dropped');
  for (const never of [
    'newman run tests/api.postman_collection.json',
    'npm run test:postman',
    'curl -f http://localhost:8080/health',
    'npx wait-on http://localhost:3000',
    'pytest --base-url http://localhost:8000',
    'npm run tauri build -- --target x86_64-pc-windows-msvc',
    'npx tauri build',
    'npx electron-builder --win',
    'flutter build windows',
    'flutter pub run build_runner build --delete-conflicting-outputs',
    'docker build -t app .',
    'uvx twine check dist/*',
    'python -m build',
    'mix do deps.get + deps.compile',
    'mix deps.get',
    'npx playwright install --with-deps',
    'npm run test:e2e',
    'poetry install',
    'uv sync --frozen',
    'bundle install',
    'dotnet restore',
    'dotnet publish -c Release',
    'cargo publish',
    './gradlew assembleRelease',
    './gradlew publish',
    'npm run release',
    'buf generate',
    'go generate ./...',
    'npm run generate',
    '${RUNNER} pytest',
    '$CMD',
    '${{ matrix.command }}',
  ])
    assert.equal(kept(never), undefined, never);
  assert.equal(
    kept('npm run test:api', { 'test:api': 'newman run api.json' }),
    undefined,
    "a script's text counts, not only its name",
  );
  assert.equal(kept('npm run ci', { ci: 'npm run lint && npm test' }), 'npm run ci');
  assert.equal(
    normalizeCheck('cd api && go vet ./... && go test ./...')?.command,
    'cd api && go vet ./... && go test ./...',
  );
  assert.equal(normalizeCheck('npm ci && npm test'), undefined, 'a chain with an install is no validate command');
});

test('Flutter CI: analyze and test are taken, platform builds and code generation are not; the app is one mobile layer, never named `ios` after a platform folder', async () => {
  const census = await censusOf({
    'pubspec.yaml': 'name: tasks_app\ndependencies:\n  flutter:\n    sdk: flutter\n',
    'lib/main.dart': 'void main() {}',
    'lib/src/home.dart': 'class Home {}',
    'test/home_test.dart': 'void main() {}',
    'ios/Runner/AppDelegate.swift': 'import UIKit',
    'android/app/build.gradle': 'plugins { id "com.android.application" }',
    'android/app/src/main/kotlin/MainActivity.kt': 'class MainActivity',
    'android/settings.gradle': 'include ":app"',
    'windows/runner/main.cpp': 'int main() {}',
    '.github/workflows/ci.yml': [
      'jobs:',
      '  build:',
      '    runs-on: windows-latest',
      '    steps:',
      '      - uses: subosito/flutter-action@v2',
      '      - run: flutter pub get',
      '      - run: dart run build_runner build --delete-conflicting-outputs',
      '      - run: flutter analyze',
      '      - run: flutter test',
      '      - run: flutter build windows --release',
    ].join('\n'),
  });
  assert.deepEqual(
    census.layers.map((l) => l.name),
    ['mobile'],
  );
  assert.deepEqual(commands(census, 'mobile'), ['flutter analyze', 'flutter test']);
  assert.ok(
    layer(census, 'mobile').owns.includes('ios/**') && layer(census, 'mobile').owns.includes('android/**'),
    'platform folders belong to the app',
  );
});

test('wrapped CI commands are kept; a Postman run that needs a live server is not; Gradle after clean keeps its task', async () => {
  const census = await censusOf({
    'pyproject.toml': '[tool.poetry]\nname = "svc"\n[tool.poetry.dependencies]\npython = "^3.12"\nfastapi = "*"\n',
    'svc/main.py': 'app = 1',
    'scripts/lint': '#!/bin/sh\nruff check svc',
    'scripts/test': '#!/bin/sh\npytest',
    'postman/collection.json': '{}',
    'jvm/settings.gradle': 'rootProject.name = "jvm"',
    'jvm/build.gradle': 'plugins { id "java" }',
    'jvm/gradlew': '#!/bin/sh',
    'jvm/src/main/java/App.java': 'class App {}',
    '.github/workflows/ci.yml': [
      'env:',
      '  PYTEST_ARGS: -q',
      'jobs:',
      '  py:',
      '    steps:',
      '      - run: pip install poetry && poetry install',
      '      - run: poetry run ./scripts/lint',
      '      - run: ./scripts/test',
      '      - run: |',
      '          poetry run uvicorn svc.main:app --port 8000 &',
      '          npx wait-on http://localhost:8000',
      '          newman run postman/collection.json --env-var base=http://localhost:8000',
      '  jvm:',
      '    defaults:',
      '      run:',
      '        working-directory: jvm',
      '    steps:',
      '      - run: ./gradlew clean test',
      '      - name: inline python',
      '        shell: python',
      '        run: |',
      '          import subprocess',
      '          subprocess.run(["pytest"])',
    ].join('\n'),
  });
  // The workflow's literal env goes with each command as CI runs it.
  assert.deepEqual(commands(census, 'backend'), [
    'PYTEST_ARGS=-q poetry run ./scripts/lint',
    'PYTEST_ARGS=-q ./scripts/test',
  ]);
  assert.deepEqual(commands(census, 'jvm'), ['cd jvm && PYTEST_ARGS=-q ./gradlew test']);
});

test('scoping never doubles a scope: qualified Gradle tasks stay as CI wrote them, one cargo package, one MSBuild project', async () => {
  const gradle = await censusOf({
    'settings.gradle.kts': 'include(":core:data", ":app")\nincludeBuild("build-logic")',
    gradlew: '#!/bin/sh',
    'app/build.gradle.kts': 'plugins { id("com.android.application") }',
    'app/src/main/kotlin/App.kt': 'class App',
    'core/data/build.gradle.kts': 'plugins { id("org.jetbrains.kotlin.jvm") }',
    'core/data/src/main/kotlin/Repo.kt': 'class Repo',
    'build-logic/convention/build.gradle.kts': 'plugins { `kotlin-dsl` }',
    'build-logic/convention/src/main/kotlin/Conv.kt': 'class Conv',
    '.github/workflows/ci.yml':
      'jobs:\n  check:\n    steps:\n      - run: ./gradlew :build-logic:convention:check\n      - run: ./gradlew clean testDebugUnitTest\n',
  });
  const all = gradle.layers.flatMap((l) => l.validate.map((v) => v.command));
  assert.ok(!all.some((c) => /::/.test(c)), all.join('\n'));
  assert.ok(all.includes('./gradlew :build-logic:convention:check'), all.join('\n'));
  assert.ok(all.includes('./gradlew :core:data:testDebugUnitTest'), all.join('\n'));

  const cargo = await censusOf({
    'Cargo.toml': '[workspace]\nmembers = ["crates/*"]\n',
    'crates/a/Cargo.toml': '[package]\nname = "a"\n',
    'crates/a/src/lib.rs': '',
    'crates/b/Cargo.toml': '[package]\nname = "b"\n',
    'crates/b/src/lib.rs': '',
    '.github/workflows/ci.yml':
      'jobs:\n  t:\n    steps:\n      - run: cargo test -p a\n      - run: cargo clippy --workspace\n',
  });
  assert.deepEqual(commands(cargo, 'a'), ['cargo test -p a', 'cargo clippy -p a']);
  assert.deepEqual(commands(cargo, 'b'), ['cargo clippy -p b']);

  const dotnet = await censusOf({
    'Shop.sln': 'x',
    'Shop.Web.slnf': '{}',
    'src/Api/Api.csproj': '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>',
    'src/Api/Program.cs': 'x',
    'src/Web/Web.csproj': '<Project Sdk="Microsoft.NET.Sdk.BlazorWebAssembly"></Project>',
    'src/Web/App.razor': 'x',
    '.github/workflows/ci.yml':
      'jobs:\n  b:\n    steps:\n      - run: dotnet build Shop.Web.slnf -c Release\n      - run: dotnet build src/Api/Api.csproj\n',
  });
  for (const l of dotnet.layers)
    for (const { command } of l.validate)
      assert.ok((command.match(/\.(csproj|sln|slnf)\b/g) ?? []).length === 1, command);
  assert.deepEqual(commands(dotnet, 'backend'), [
    'dotnet build src/Api/Api.csproj -c Release',
    'dotnet build src/Api/Api.csproj',
  ]);
});

test("a job's literal env goes with its commands as CI runs them (a date library's tests need CI's TZ); plumbing the workflow reads by name, the runner's variables, expressions and values a shell word cannot hold bare do not", async () => {
  const census = await censusOf({
    'package.json': json({ name: 'dates', scripts: { test: 'jest --coverage', build: 'node build.js' } }),
    'src/zone.js': 'x',
    '.github/workflows/test.yml': [
      'env:',
      '  NODE_VERSION: 22',
      'jobs:',
      '  test:',
      '    env:',
      '      LANG: en_US.utf8',
      '      TZ: America/New_York',
      '      JEST_LABEL: slow suite',
      '      TOKEN: ${{ secrets.TOKEN }}',
      '      PATH: /opt/bin',
      '      GITHUB_STEP: x',
      '    steps:',
      '      - uses: actions/setup-node@v4',
      '        with:',
      '          node-version: ${{ env.NODE_VERSION }}',
      '      - run: npm run build',
      '      - run: npm run test',
      '        env:',
      '          CI: true',
    ].join('\n'),
  });
  assert.deepEqual(commands(census, 'dates'), [
    'LANG=en_US.utf8 TZ=America/New_York npm run build',
    'LANG=en_US.utf8 TZ=America/New_York CI=true npm run test',
  ]);
});

test('env values CI sets are expanded; a command led by an unknown variable is skipped; a Windows job keeps only plain commands', async () => {
  const census = await censusOf({
    'package.json': json({ name: 'tool', scripts: { lint: 'eslint .', test: 'node --test' } }),
    'index.js': 'x',
    '.github/workflows/ci.yml': [
      'env:',
      '  PM: npm',
      'jobs:',
      '  a:',
      '    runs-on: windows-latest',
      '    steps:',
      '      - run: |',
      '          $ErrorActionPreference = "Stop"',
      '          Write-Host "lint"',
      '          ${{ env.PM }} run lint',
      '      - run: ${SUDO} npm test',
      '        shell: bash',
      '      - run: $PM test',
      '        shell: bash',
    ].join('\n'),
  });
  assert.deepEqual(commands(census, 'tool'), ['npm run lint', 'npm test']);
});

test("a uv workspace: CI runs `uv run pytest` from the root; each member library gets it in its folder, a Makefile target's recipe made each crate's own", async () => {
  const census = await censusOf({
    'pyproject.toml':
      '[project]\nname = "platform"\n[tool.uv.workspace]\nmembers = ["packages/*"]\n[tool.pytest.ini_options]\naddopts = "-q"\n',
    'src/platform/__init__.py': '',
    'packages/core/pyproject.toml': '[project]\nname = "core"\n',
    'packages/core/src/core/__init__.py': '',
    'packages/core/tests/test_core.py': 'def test(): pass',
    'packages/client/pyproject.toml': '[project]\nname = "client"\n',
    'packages/client/src/client/__init__.py': '',
    'tools/gen/go.mod': 'module gen\n',
    'tools/gen/main.go': 'package main',
    Makefile: 'test:\n\tuv run pytest\n',
    '.github/workflows/ci.yml': 'jobs:\n  t:\n    steps:\n      - run: uv sync\n      - run: uv run pytest\n',
  });
  assert.deepEqual(commands(census, 'core'), ['cd packages/core && uv run pytest']);
  assert.deepEqual(commands(census, 'client'), ['cd packages/client && uv run pytest']);
  assert.deepEqual(commands(census, 'platform'), ['uv run pytest']);

  const make = await censusOf({
    'Cargo.toml': '[workspace]\nmembers = ["crates/*"]\n',
    'crates/core/Cargo.toml': '[package]\nname = "core"\n',
    'crates/core/src/lib.rs': '',
    'tools/site/package.json': json({ name: 'site' }),
    'tools/site/index.js': '',
    Makefile: 'test:\n\tcargo test --workspace\n',
    '.github/workflows/ci.yml': 'jobs:\n  t:\n    steps:\n      - run: make test\n',
  });
  assert.deepEqual(commands(make, 'core'), ['cargo test -p core'], "what the target runs, made the crate's own");
  assert.equal(layer(make, 'core').validate[0]!.origin, 'Makefile (make test)');
});

test('malformed and huge scripts: an unclosed quote or heredoc loses only its own command; 20,000 lines are cut quickly', () => {
  assert.deepEqual(
    scriptCommands('npm test\necho "unterminated\nnpm run lint').map((c) => c.text),
    ['npm test', 'echo "unterminated\nnpm run lint'],
  );
  assert.deepEqual(
    scriptCommands('cargo test\ncat <<EOF\nnever ends').map((c) => c.text),
    ['cargo test'],
  );
  assert.deepEqual(
    scriptCommands('pytest $(find tests -name "*.py" | head -1) && ruff check').map((c) => c.text),
    ['pytest $(find tests -name "*.py" | head -1)', 'ruff check'],
  );
  const huge = Array.from({ length: 20_000 }, (_, i) => (i % 2 ? `echo step ${i}` : `make test-${i}`)).join('\n');
  assert.equal(scriptCommands(huge).length, 20_000);
});

test('a CI command the trust rule would refuse is never proposed: `python -m pytest` in a layer folder becomes `pytest`; one that would import an owned module is dropped with a warning; a script CI runs stays owned by nobody', async () => {
  const census = await censusOf({
    'api/pyproject.toml': '[project]\nname = "api"\ndependencies = ["fastapi"]\n',
    'api/app/main.py': 'x = 1',
    'api/app/models.py': 'x = 1',
    'api/app/routes.py': 'x = 1',
    'api/app/deps.py': 'x = 1',
    'api/app/db.py': 'x = 1',
    'api/app/auth.py': 'x = 1',
    'api/app/users.py': 'x = 1',
    'api/app/orders.py': 'x = 1',
    'api/app/items.py': 'x = 1',
    'api/app/config.py': 'x = 1',
    'api/tools/check.py': 'print(1)',
    '.github/workflows/ci.yml':
      'jobs:\n  t:\n    steps:\n      - run: |\n          cd api\n          python3 -m pytest -q\n          python -m unittest discover\n          python tools/check.py\n',
  });
  assert.deepEqual(commands(census, 'backend'), ['cd api && pytest -q', 'cd api && python tools/check.py']);
  assert.ok(!layer(census, 'backend').owns.includes('api/**'), 'the script CI runs is owned by nobody');
  assert.ok(
    census.warnings.some((w) =>
      /python -m unittest discover .* is not proposed: it runs api\/unittest\.py, which layer backend owns/.test(w),
    ),
    census.warnings.join('\n'),
  );
});
