import assert from 'node:assert/strict';
import { test } from 'node:test';
import { censusOf, commands, json } from '../../support/census';

const workflow = (steps: string, defaults = '') => `on: push\njobs:\n  ci:\n    runs-on: ubuntu-latest\n${defaults}    steps:\n${steps}`;

test("a root sbt build's CI check covers its folders of Scala code; a reusable workflow's folder default is where its steps run", async () => {
  const census = await censusOf({
    'build.sbt': '',
    'project/build.properties': 'sbt.version=1.10.0\n',
    'backend/src/main/scala/app/Main.scala': '',
    'backend/src/main/resources/db/migration/V1__init.sql': 'CREATE TABLE users (id int);',
    'ui/package.json': json({ name: 'ui', dependencies: { react: '19', vite: '7' }, scripts: { build: 'vite build', lint: 'eslint .' } }),
    'ui/yarn.lock': '',
    'ui/src/main.tsx': '',
    '.github/workflows/ci.yml': workflow('      - run: sbt test\n'),
    '.github/workflows/ui.yml': workflow("      - run: yarn lint\n", "    defaults:\n      run:\n        working-directory: ${{ inputs.dir || '.' }}/ui\n"),
  });
  assert.deepEqual(commands(census, 'backend'), ['sbt test']);
  assert.ok(commands(census, 'frontend').includes('cd ui && yarn lint'), JSON.stringify(commands(census, 'frontend')));
});

test('a .NET library referencing xunit.assert for its guards is no test project: it keeps its own layer and commands', async () => {
  const csproj = (refs: string[]) => `<Project Sdk="Microsoft.NET.Sdk">\n  <ItemGroup>\n${refs.map((r) => `    <PackageReference Include="${r}" Version="1.0.0" />`).join('\n')}\n  </ItemGroup>\n</Project>\n`;
  const census = await censusOf({
    'Shop.sln': '',
    'Api/Api.csproj': csproj(['Swashbuckle.AspNetCore']).replace('Microsoft.NET.Sdk', 'Microsoft.NET.Sdk.Web'),
    'Api/Program.cs': '',
    'Shop.Common/Shop.Common.csproj': csproj(['xunit.assert', 'Flurl.Http']),
    'Shop.Common/Guard.cs': '',
    'Api.Tests/Api.Tests.csproj': csproj(['Microsoft.NET.Test.Sdk', 'xunit']),
    'Api.Tests/ApiTests.cs': '',
    '.github/workflows/ci.yml': workflow('      - run: dotnet build Shop.Common/Shop.Common.csproj\n      - run: dotnet test Api.Tests/Api.Tests.csproj\n'),
  });
  const common = census.projects.find((p) => p.dir === 'Shop.Common');
  assert.equal(common?.tests, undefined);
  assert.equal(census.projects.find((p) => p.dir === 'Api.Tests')?.tests, true);
  const owner = census.layers.find((l) => l.owns.some((g) => g.startsWith('Shop.Common')));
  assert.ok(owner?.validate.some((v) => v.command === 'dotnet build Shop.Common/Shop.Common.csproj'), JSON.stringify(census.layers.map((l) => [l.name, l.owns, l.validate.map((v) => v.command)])));
});
