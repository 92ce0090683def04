import assert from 'node:assert/strict';
import { test } from 'node:test';
import { censusOf, commands, json, layer } from '../../support/census';

test('Django: one backend layer, app migrations matched by schema, ruff and pytest from pyproject', async () => {
  const census = await censusOf({
    'pyproject.toml':
      '[project]\nname = "blog"\ndependencies = ["Django>=5.0"]\n[tool.ruff]\nline-length = 100\n[tool.pytest.ini_options]\nDJANGO_SETTINGS_MODULE = "blog.settings"\n',
    'manage.py': 'import django',
    'blog/settings.py': 'DEBUG = True',
    'blog/urls.py': 'urlpatterns = []',
    'posts/models.py': 'class Post: pass',
    'posts/migrations/0001_initial.py': 'class Migration: pass',
    'posts/migrations/__init__.py': '',
    'posts/tests/test_models.py': 'def test(): pass',
  });
  assert.deepEqual(
    census.layers.map((l) => l.name),
    ['backend'],
  );
  assert.deepEqual(commands(census, 'backend'), ['ruff check', 'pytest']);
  assert.deepEqual(
    census.schema.map((s) => s.glob),
    ['posts/migrations/**'],
  );
  assert.deepEqual(
    layer(census, 'backend').owns,
    ['manage.py', 'pyproject.toml', 'blog/**', 'posts/**'],
    'the root project names its top-level files one by one',
  );
});

test('FastAPI with alembic: the alembic folder is the database layer; CI commands spread over steps and a working-directory', async () => {
  const census = await censusOf({
    'backend/pyproject.toml':
      '[project]\nname = "api"\ndependencies = ["fastapi", "sqlalchemy", "alembic"]\n[dependency-groups]\ndev = ["pytest", "ruff", "mypy"]\n',
    'backend/app/main.py': 'app = FastAPI()',
    'backend/app/models.py': 'class User: pass',
    'backend/alembic.ini': '[alembic]',
    'backend/alembic/env.py': 'run()',
    'backend/alembic/versions/001_users.py': 'def upgrade(): pass',
    'backend/tests/test_main.py': 'def test(): pass',
    '.github/workflows/backend.yml': [
      'on: push',
      'jobs:',
      '  test:',
      '    runs-on: ubuntu-latest',
      '    defaults:',
      '      run:',
      '        working-directory: backend',
      '    steps:',
      '      - uses: actions/setup-python@v5',
      '      - run: pip install -e .[dev]',
      '      - name: Lint',
      '        run: |',
      '          ruff check .',
      '          mypy app',
      '      - name: Test',
      '        run: pytest -q',
    ].join('\n'),
  });
  assert.deepEqual(census.layers.map((l) => l.name).sort(), ['backend', 'database']);
  assert.deepEqual(commands(census, 'backend'), [
    'cd backend && ruff check .',
    'cd backend && mypy app',
    'cd backend && pytest -q',
  ]);
  assert.deepEqual(layer(census, 'database').owns, ['backend/alembic/**']);
  assert.ok(census.schema.some((s) => s.glob === 'backend/alembic/**'));
  assert.deepEqual(
    layer(census, 'backend').owns,
    ['backend/*', 'backend/app/**', 'backend/tests/**'],
    'alembic.ini stays with the project, alembic/ goes to the database layer',
  );
});

test('Go service with cmd/ and internal/ in api/: go vet ./... in api/, from CI with a matrix', async () => {
  const census = await censusOf({
    'api/go.mod': 'module github.com/acme/api\n\ngo 1.22\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.9.1\n)\n',
    'api/cmd/server/main.go': 'package main',
    'api/internal/users/handler.go': 'package users',
    'api/internal/users/handler_test.go': 'package users',
    '.github/workflows/go.yml': [
      'jobs:',
      '  build:',
      '    strategy:',
      '      matrix:',
      '        go: ["1.21", "1.22"]',
      '        dir: [api]',
      '    steps:',
      '      - uses: actions/setup-go@v5',
      '        with: { go-version: "${{ matrix.go }}" }',
      '      - run: go vet ./...',
      '        working-directory: ${{ matrix.dir }}',
      '      - run: go test ./...',
      '        working-directory: ${{ matrix.dir }}',
    ].join('\n'),
  });
  assert.deepEqual(
    census.layers.map((l) => l.name),
    ['backend'],
  );
  assert.deepEqual(commands(census, 'backend'), ['cd api && go vet ./...', 'cd api && go test ./...']);
  assert.deepEqual(layer(census, 'backend').owns, ['api/**']);
});

test('Rust workspace: cargo check -p per crate, a native crate nested in an app owned without overlap', async () => {
  const census = await censusOf({
    'Cargo.toml': '[workspace]\nmembers = ["crates/*", "apps/dashboard/src-tauri"]\nresolver = "2"\n',
    'crates/core/Cargo.toml': '[package]\nname = "core"\nversion = "0.1.0"\n[dependencies]\ntokio = "1"\n',
    'crates/core/src/lib.rs': 'pub fn x() {}',
    'crates/server/Cargo.toml': '[package]\nname = "server"\nversion = "0.1.0"\n[dependencies]\naxum = "0.7"\n',
    'crates/server/src/main.rs': 'fn main() {}',
    'apps/dashboard/package.json': json({
      name: 'dashboard',
      dependencies: { '@tauri-apps/api': '2', react: '18' },
      scripts: { build: 'vite build' },
    }),
    'apps/dashboard/src/App.tsx': 'export {}',
    'apps/dashboard/src-tauri/Cargo.toml':
      '[package]\nname = "dashboard-app"\nversion = "0.1.0"\n[dependencies]\ntauri = "2"\n',
    'apps/dashboard/src-tauri/src/main.rs': 'fn main() {}',
    '.github/workflows/rust.yml':
      'jobs:\n  check:\n    steps:\n      - run: cargo clippy --workspace -- -D warnings\n      - run: cargo test --workspace\n',
  });
  assert.deepEqual(commands(census, 'core'), ['cargo clippy -p core -- -D warnings', 'cargo test -p core']);
  assert.deepEqual(commands(census, 'backend'), ['cargo clippy -p server -- -D warnings', 'cargo test -p server']);
  const dashboard = census.layers.find((l) => l.dirs.includes('apps/dashboard'))!;
  const tauri = census.layers.find((l) => l.dirs.includes('apps/dashboard/src-tauri'))!;
  assert.deepEqual(dashboard.owns, ['apps/dashboard/*', 'apps/dashboard/src/**']);
  assert.deepEqual(tauri.owns, ['apps/dashboard/src-tauri/**']);
  assert.deepEqual(
    tauri.validate.map((v) => v.command),
    ['cargo clippy -p dashboard-app -- -D warnings', 'cargo test -p dashboard-app'],
  );
});

test('.NET solution: dotnet build per project, EF Core Migrations as the database layer, test projects with the project they test', async () => {
  const census = await censusOf({
    'Shop.sln': 'Microsoft Visual Studio Solution File',
    'src/Shop.Api/Shop.Api.csproj':
      '<Project Sdk="Microsoft.NET.Sdk.Web"><ItemGroup><PackageReference Include="Microsoft.EntityFrameworkCore.SqlServer" Version="8.0.0" /></ItemGroup></Project>',
    'src/Shop.Api/Program.cs': 'var app = WebApplication.Create();',
    'src/Shop.Api/Controllers/OrdersController.cs': 'class OrdersController {}',
    'src/Shop.Api/Migrations/20260101_Init.cs': 'class Init {}',
    'src/Shop.Api/Migrations/ShopDbContextModelSnapshot.cs': 'class Snapshot {}',
    'src/Shop.Domain/Shop.Domain.csproj': '<Project Sdk="Microsoft.NET.Sdk"></Project>',
    'src/Shop.Domain/Order.cs': 'class Order {}',
    'tests/Shop.Api.Tests/Shop.Api.Tests.csproj':
      '<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="Microsoft.NET.Test.Sdk" Version="17.0.0" /><PackageReference Include="xunit" Version="2.0.0" /></ItemGroup></Project>',
    'tests/Shop.Api.Tests/OrdersTests.cs': 'class OrdersTests {}',
    'azure-pipelines.yml':
      'steps:\n  - script: dotnet restore\n  - script: dotnet build Shop.sln --no-restore\n  - task: DotNetCoreCLI@2\n    inputs:\n      command: test\n      projects: "**/*Tests.csproj"\n',
  });
  assert.deepEqual(commands(census, 'backend'), [
    'dotnet build src/Shop.Api/Shop.Api.csproj --no-restore',
    'dotnet test tests/Shop.Api.Tests/Shop.Api.Tests.csproj',
  ]);
  assert.deepEqual(layer(census, 'backend').owns.sort(), [
    'src/Shop.Api/*',
    'src/Shop.Api/Controllers/**',
    'tests/Shop.Api.Tests/**',
  ]);
  assert.deepEqual(layer(census, 'database').owns, ['src/Shop.Api/Migrations/**']);
  assert.deepEqual(commands(census, 'Shop-Domain'), ['dotnet build src/Shop.Domain/Shop.Domain.csproj --no-restore']);
});

test('Spring Boot with Maven modules and with a Gradle wrapper; Flyway migrations are schema', async () => {
  const maven = await censusOf({
    'pom.xml':
      '<project><artifactId>parent</artifactId><packaging>pom</packaging><modules><module>api</module><module>core</module></modules></project>',
    mvnw: '#!/bin/sh',
    'api/pom.xml':
      '<project><parent><artifactId>parent</artifactId></parent><artifactId>api</artifactId><dependencies><dependency><artifactId>spring-boot-starter-web</artifactId></dependency></dependencies></project>',
    'api/src/main/java/com/acme/Api.java': 'class Api {}',
    'api/src/main/resources/db/migration/V1__init.sql': 'create table t();',
    'core/pom.xml': '<project><artifactId>core</artifactId></project>',
    'core/src/main/java/com/acme/Core.java': 'class Core {}',
  });
  assert.deepEqual(commands(maven, 'backend'), ['./mvnw -q -B -pl api -am compile']);
  assert.deepEqual(commands(maven, 'core'), ['./mvnw -q -B -pl core -am compile']);
  assert.deepEqual(
    maven.schema.map((s) => s.glob),
    ['api/src/main/resources/db/migration/**'],
  );

  const gradle = await censusOf({
    'settings.gradle.kts': 'rootProject.name = "svc"',
    'build.gradle.kts':
      'plugins { id("org.springframework.boot") version "3.3.0" }\ndependencies { implementation("org.springframework.boot:spring-boot-starter-web") }',
    gradlew: '#!/bin/sh',
    'src/main/kotlin/App.kt': 'fun main() {}',
    '.gitlab-ci.yml': 'stages: [test]\ntest:\n  image: gradle:8\n  script:\n    - ./gradlew check --no-daemon\n',
  });
  assert.deepEqual(commands(gradle, 'backend'), ['./gradlew check --no-daemon']);
  assert.ok(!layer(gradle, 'backend').owns.includes('gradlew'), 'the wrapper the command runs stays out of owns');
  assert.equal(layer(gradle, 'backend').validate[0]!.origin, '.gitlab-ci.yml');
});

test('Rails and Laravel: db/ and database/ are the database layer; rubocop, rspec, composer scripts', async () => {
  const rails = await censusOf({
    Gemfile: 'source "https://rubygems.org"\ngem "rails", "~> 7.1"\ngem "rubocop", require: false\ngem "rspec-rails"\n',
    'app/models/user.rb': 'class User; end',
    'app/controllers/users_controller.rb': 'class UsersController; end',
    'db/migrate/20260101000000_create_users.rb': 'class CreateUsers; end',
    'db/schema.rb': 'ActiveRecord::Schema.define',
    'bin/rails': '#!/usr/bin/env ruby',
    'spec/models/user_spec.rb': 'describe User',
  });
  assert.deepEqual(rails.layers.map((l) => l.name).sort(), ['backend', 'database']);
  assert.deepEqual(commands(rails, 'backend'), ['bundle exec rubocop', 'bundle exec rspec']);
  assert.deepEqual(layer(rails, 'database').owns, ['db/**']);
  assert.deepEqual(rails.schema.map((s) => s.glob).sort(), ['db/migrate/**', 'db/schema.rb']);

  const laravel = await censusOf({
    'composer.json': json({
      name: 'acme/shop',
      require: { 'laravel/framework': '^11.0' },
      'require-dev': { 'phpunit/phpunit': '^11' },
      scripts: { test: 'phpunit', lint: 'pint --test' },
    }),
    'package.json': json({
      private: true,
      scripts: { build: 'vite build', dev: 'vite' },
      devDependencies: { vite: '5' },
    }),
    artisan: '#!/usr/bin/env php',
    'app/Models/User.php': '<?php class User {}',
    'app/Http/Controllers/UserController.php': '<?php',
    'database/migrations/2026_01_01_000000_create_users_table.php': '<?php',
    'resources/js/app.js': 'import "./bootstrap";',
    'routes/web.php': '<?php',
  });
  assert.deepEqual(commands(laravel, 'backend'), [
    'composer run-script lint',
    'composer run-script test',
    'npm run build',
  ]);
  assert.deepEqual(layer(laravel, 'database').owns, ['database/**']);
});

test('Go modules and no CI: go vet ./..., and go test ./... only for the module that has tests', async () => {
  const census = await censusOf({
    'services/billing/go.mod': 'module acme/billing\n\ngo 1.22\n',
    'services/billing/main.go': 'package main',
    'services/billing/invoice/invoice_test.go': 'package invoice',
    'services/auth/go.mod': 'module acme/auth\n\ngo 1.22\n',
    'services/auth/main.go': 'package main',
  });
  assert.deepEqual(commands(census, 'billing'), [
    'cd services/billing && go vet ./...',
    'cd services/billing && go test ./...',
  ]);
  assert.deepEqual(commands(census, 'auth'), ['cd services/auth && go vet ./...']);
});
