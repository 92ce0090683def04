import assert from 'node:assert/strict';
import { test } from 'node:test';
import { censusOf, commands, json } from '../../support/census';

test('a project CI says nothing about inherits no unrelated command: not a Markdown lint, not another app’s unit tests', async () => {
  const census = await censusOf({
    'package.json': json({ private: true, workspaces: ['apps/*', 'e2e'] }),
    'package-lock.json': '{}',
    'apps/web/package.json': json({ name: 'web', dependencies: { react: '19' }, devDependencies: { jest: '30' } }),
    'apps/web/jest.config.js': 'module.exports = { testEnvironment: "jsdom" };',
    'apps/web/src/App.tsx': 'export const App = () => null;',
    'apps/web/src/App.test.tsx': 'test("renders", () => {});',
    // Browser tests against a running app: its own script needs a server, so it has no check CI would run here.
    'e2e/package.json': json({
      name: 'e2e',
      devDependencies: { '@playwright/test': '1.55' },
      scripts: { test: 'playwright test' },
    }),
    'e2e/playwright.config.ts': 'export default { use: { baseURL: process.env.BASE_URL } };',
    'e2e/tests/checkout.spec.ts': 'test("checkout", async () => {});',
    'Api/Api.csproj': '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>',
    'Api/Program.cs': 'var app = WebApplication.Create();',
    'tests/Api.UnitTests/Api.UnitTests.csproj':
      '<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><ProjectReference Include="../../Api/Api.csproj" /></ItemGroup></Project>',
    'tests/Api.UnitTests/OrderTests.cs': 'public class OrderTests {}',
    'docs/guide.md': '# Guide',
    '.github/workflows/ci.yml': [
      'jobs:',
      '  checks:',
      '    steps:',
      '      - run: npx markdownlint-cli2 "**/*.md" "#node_modules"',
      '      - run: markdownlint docs',
      '      - run: npx markdownlint-cli2',
      '      - run: npx jest --config apps/web/jest.config.js',
      '      - run: dotnet test tests/Api.UnitTests/Api.UnitTests.csproj',
    ].join('\n'),
  });
  assert.deepEqual(commands(census, 'e2e'), []);
  assert.ok(
    census.warnings.some((w) => w.startsWith('layer e2e: the repository names no command that checks e2e')),
    census.warnings.join('\n'),
  );
  assert.deepEqual(commands(census, 'frontend'), ['npx jest --config apps/web/jest.config.js']);
  for (const layer of census.layers)
    for (const { command } of layer.validate) assert.doesNotMatch(command, /markdownlint/, `${layer.name}: ${command}`);
});

test("a folder of browser tests CI runs (`npx playwright test` at the root) is a layer of its own checked by that run; an app's own suite stays the app's", async () => {
  const census = await censusOf({
    'package.json': json({ name: 'store', scripts: {}, devDependencies: { '@playwright/test': '1.55', dotenv: '16' } }),
    'package-lock.json': '{}',
    'playwright.config.ts': '',
    'e2e/cart.spec.ts': '',
    'e2e/browse.spec.ts': '',
    'e2e/login.setup.ts': '',
    'Store.slnx': '',
    'src/Api/Api.csproj': '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>',
    'src/Api/Program.cs': '',
    'src/Api/Orders.cs': '',
    'src/Web/Web.csproj': '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>',
    'src/Web/Program.cs': '',
    'admin/package.json': json({
      name: 'admin',
      dependencies: { react: '19' },
      devDependencies: { '@playwright/test': '1.55', vitest: '3' },
      scripts: { test: 'vitest run' },
    }),
    'admin/src/App.tsx': '',
    'admin/e2e/users.spec.ts': '',
    '.github/workflows/ci.yml': [
      'jobs:',
      '  ci:',
      '    steps:',
      ...[
        'dotnet build Store.slnx',
        'npx playwright install chromium',
        // CI's env for the step leads the command; a value with `$` is not a shell word's.
        'npx playwright test\n        env:\n          E2E_HTTP: 1\n          PASSWORD: Pass123$',
        'cd admin && npm test',
        'cd admin && npx playwright test',
      ].map((run) => `      - run: ${run}`),
    ].join('\n'),
  });
  const e2e = census.layers.find((l) => l.owns.includes('e2e/**'));
  assert.deepEqual(
    e2e?.validate.map((v) => v.command),
    ['E2E_HTTP=1 npx playwright test'],
    JSON.stringify(census.layers.map((l) => [l.name, l.owns, l.validate.map((v) => v.command)])),
  );
  const admin = census.layers.find((l) => l.owns.some((g) => g.startsWith('admin')));
  assert.ok(admin && !admin.validate.some((v) => v.command.includes('playwright')), JSON.stringify(admin?.validate));
  assert.ok(!census.layers.some((l) => l !== e2e && l.owns.some((g) => g.startsWith('e2e'))));
});
