import assert from 'node:assert/strict';
import { test } from 'node:test';
import { censusOf, commands, json } from '../../support/census';

test('CI through wrappers on Rails, Laravel, Deno and a matrix-expanded working-directory', async () => {
  const rails = await censusOf({
    Gemfile: 'gem "rails"\ngem "rspec-rails"\n',
    'app/models/user.rb': 'class User; end',
    'spec/models/user_spec.rb': 'describe User',
    '.github/workflows/ci.yml':
      'jobs:\n  t:\n    steps:\n      - run: bundle install\n      - run: bin/rails db:setup\n      - run: bundle exec rspec\n      - run: bundle exec rubocop --parallel\n',
  });
  assert.deepEqual(commands(rails, 'backend'), ['bundle exec rspec', 'bundle exec rubocop --parallel']);

  const laravel = await censusOf({
    'composer.json': json({ name: 'acme/shop', require: { 'laravel/framework': '^11' } }),
    artisan: '#!/usr/bin/env php',
    'app/Http/Controllers/Home.php': '<?php',
    'routes/web.php': '<?php',
    '.github/workflows/ci.yml':
      'jobs:\n  t:\n    steps:\n      - run: composer install --no-interaction\n      - run: php artisan key:generate\n      - run: php artisan migrate --force\n      - run: php artisan test\n      - run: vendor/bin/phpstan analyse\n',
  });
  assert.deepEqual(commands(laravel, 'backend'), ['php artisan test', 'vendor/bin/phpstan analyse']);

  const deno = await censusOf({
    'deno.json': json({ tasks: { check: 'deno check main.ts', dev: 'deno run -A --watch main.ts' } }),
    'main.ts': 'Deno.serve(() => new Response("hi"))',
    'lib/util.ts': 'export {}',
    '.github/workflows/ci.yml':
      'jobs:\n  t:\n    steps:\n      - uses: denoland/setup-deno@v2\n      - run: deno task check\n      - run: deno test -A\n      - run: deno task dev\n',
  });
  const all = deno.layers.flatMap((l) => l.validate.map((v) => v.command));
  assert.ok(
    all.includes('deno task check') && all.includes('deno test -A') && !all.includes('deno task dev'),
    all.join(', '),
  );

  const matrix = await censusOf({
    'services/users/pyproject.toml': '[project]\nname = "users"\n',
    'services/users/users/app.py': 'x = 1',
    'services/orders/pyproject.toml': '[project]\nname = "orders"\n',
    'services/orders/orders/app.py': 'x = 1',
    '.github/workflows/ci.yml': [
      'jobs:',
      '  test:',
      '    strategy:',
      '      matrix:',
      '        service: [users, orders]',
      '    defaults:',
      '      run:',
      '        working-directory: services/${{ matrix.service }}',
      '    steps:',
      '      - run: uv sync --frozen',
      '      - run: uv run pytest -q',
      '        working-directory: services/${{ matrix.service }}',
      '      - run: uv run ruff check .',
      '        working-directory: services/${{ matrix.service }}',
    ].join('\n'),
  });
  assert.deepEqual(commands(matrix, 'users'), [
    'cd services/users && uv run pytest -q',
    'cd services/users && uv run ruff check .',
  ]);
  assert.deepEqual(commands(matrix, 'orders'), [
    'cd services/orders && uv run pytest -q',
    'cd services/orders && uv run ruff check .',
  ]);
});

test('.NET with Aspire and a solution filter: one project per command, the AppHost keeps its own', async () => {
  const census = await censusOf({
    'Shop.sln': 'x',
    'Shop.AppHost/Shop.AppHost.csproj':
      '<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="Aspire.Hosting.AppHost" Version="9.0.0" /><ProjectReference Include="..\\Shop.Api\\Shop.Api.csproj" /></ItemGroup></Project>',
    'Shop.AppHost/Program.cs': 'var b = DistributedApplication.CreateBuilder(args);',
    'Shop.Api/Shop.Api.csproj': '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>',
    'Shop.Api/Program.cs': 'var app = WebApplication.Create();',
    'Shop.Api.Tests/Shop.Api.Tests.csproj':
      '<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="xunit" Version="2" /></ItemGroup></Project>',
    'Shop.Api.Tests/ApiTests.cs': 'class T {}',
    '.github/workflows/ci.yml':
      'jobs:\n  b:\n    steps:\n      - run: dotnet restore\n      - run: dotnet build Shop.sln --no-restore\n      - run: dotnet test Shop.sln --no-build\n      - run: dotnet publish Shop.Api -c Release\n',
  });
  for (const layer of census.layers)
    for (const { command } of layer.validate)
      assert.equal((command.match(/\.(csproj|sln|slnf)\b/g) ?? []).length, 1, command);
  assert.deepEqual(commands(census, 'backend'), [
    'dotnet build Shop.Api/Shop.Api.csproj --no-restore',
    'dotnet test Shop.Api.Tests/Shop.Api.Tests.csproj --no-build',
  ]);
  assert.deepEqual(commands(census, 'Shop-AppHost'), ['dotnet build Shop.AppHost/Shop.AppHost.csproj --no-restore']);
  const appHost = census.layers.find((l) => l.name === 'Shop-AppHost')!;
  assert.deepEqual(appHost.after, ['backend'], 'the AppHost references the API project');
});
