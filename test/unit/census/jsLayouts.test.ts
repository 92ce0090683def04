import assert from 'node:assert/strict';
import { test } from 'node:test';
import { censusOf, commands, json, layer } from '../../support/census';

const turboMonorepo = {
  'package.json': json({
    name: 'acme',
    private: true,
    packageManager: 'pnpm@9.0.0',
    scripts: { typecheck: 'turbo run typecheck', lint: 'turbo run lint', build: 'turbo run build' },
  }),
  'pnpm-workspace.yaml': 'packages:\n  - "apps/*"\n  - "packages/*"\n',
  'pnpm-lock.yaml': 'lockfileVersion: "9.0"\n',
  'turbo.json': json({ tasks: { typecheck: {}, lint: {} } }),
  'apps/web/package.json': json({
    name: 'web',
    dependencies: { next: '15.0.0', react: '19.0.0', '@acme/ui': 'workspace:*' },
    scripts: { typecheck: 'tsc --noEmit', lint: 'next lint', dev: 'next dev' },
  }),
  'apps/web/app/page.tsx': 'export default function Page() {}',
  'apps/web/app/users/[id]/page.tsx': 'export default function User() {}',
  'apps/web/next.config.mjs': 'export default {}',
  'apps/web/lib/api.ts': 'export const api = (path: string) => fetch(`http://localhost:4000${path}`);',
  'apps/api/package.json': json({
    name: 'api',
    dependencies: { '@nestjs/core': '10.0.0', '@prisma/client': '5.0.0' },
    scripts: { typecheck: 'tsc --noEmit', lint: 'eslint src', test: 'jest' },
  }),
  'apps/api/src/main.ts': 'const app = await NestFactory.create(AppModule);\nawait app.listen(4000);',
  'apps/api/src/users/users.service.ts': 'export class UsersService {}',
  'apps/api/src/users/users.service.spec.ts': 'test()',
  'apps/api/prisma/schema.prisma': 'model User { id Int @id }',
  'apps/api/prisma/migrations/20260101_init/migration.sql': 'CREATE TABLE "User" ();',
  'packages/ui/package.json': json({
    name: '@acme/ui',
    dependencies: { react: '19.0.0' },
    scripts: { lint: 'eslint .', typecheck: 'tsc --noEmit' },
  }),
  'packages/ui/src/button.tsx': 'export const Button = 1',
  'packages/config/package.json': json({ name: '@acme/config', scripts: {} }),
  'packages/config/index.js': 'module.exports = {}',
  '.github/workflows/ci.yml': [
    'name: CI',
    'on: [push]',
    'jobs:',
    '  check:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: actions/checkout@v4',
    '      - uses: pnpm/action-setup@v4',
    '      - run: pnpm install --frozen-lockfile',
    '      - run: pnpm typecheck',
    '      - run: pnpm turbo lint',
    '      - run: echo done',
  ].join('\n'),
};

test('pnpm + turbo monorepo: a layer per app and package, CI commands scoped with --filter, Prisma as the database layer', async () => {
  const census = await censusOf(turboMonorepo);
  assert.deepEqual(census.layers.map((l) => l.name).sort(), ['backend', 'config', 'database', 'ui', 'web']);
  assert.deepEqual(commands(census, 'web'), ['pnpm --filter web typecheck', 'pnpm --filter web lint']);
  assert.deepEqual(commands(census, 'backend'), ['pnpm --filter api typecheck', 'pnpm --filter api lint']);
  assert.deepEqual(commands(census, 'ui'), ['pnpm --filter @acme/ui typecheck', 'pnpm --filter @acme/ui lint']);
  assert.ok(
    layer(census, 'web').validate.every((v) => v.origin === '.github/workflows/ci.yml'),
    'CI is preferred, and said',
  );
  assert.deepEqual(layer(census, 'database').owns, ['apps/api/prisma/**']);
  assert.deepEqual(layer(census, 'backend').owns, ['apps/api/*', 'apps/api/src/**']);
  assert.deepEqual(layer(census, 'web').owns, ['apps/web/**']);
  assert.deepEqual(
    layer(census, 'web').after,
    ['backend', 'ui'],
    'the frontend runs after the backend it calls and the package it imports',
  );
  assert.match(
    layer(census, 'web').afterReasons!.backend!,
    /api\.ts calls http:\/\/localhost:4000.*backend listens on 4000/,
  );
  assert.deepEqual(layer(census, 'ui').after, [], 'a shared UI package runs after nothing it does not use');
  assert.deepEqual(
    census.schema.map((s) => s.glob),
    ['apps/api/prisma/**'],
  );
  assert.deepEqual(census.unowned, []);
  assert.equal(commands(census, 'config').length, 0, 'a package with no check script gets no made-up command');
});

test('npm workspaces with nx and no CI: package scripts scoped with -w, watch/dev scripts never proposed', async () => {
  const census = await censusOf({
    'package.json': json({ name: 'root', workspaces: ['apps/*', 'libs/*'], devDependencies: { nx: '19.0.0' } }),
    'package-lock.json': '{}',
    'nx.json': '{}',
    'apps/shop/package.json': json({
      name: 'shop',
      dependencies: { vite: '5.0.0', vue: '3.0.0' },
      scripts: { build: 'vite build', dev: 'vite', test: 'vitest --watch', lint: 'eslint .' },
    }),
    'apps/shop/src/main.ts': 'createApp()',
    'apps/shop/src/App.vue': '<template />',
    'libs/core/package.json': json({
      name: '@shop/core',
      scripts: { test: 'echo "Error: no test specified" && exit 1', build: 'tsc -p .' },
    }),
    'libs/core/src/index.ts': 'export {}',
  });
  assert.deepEqual(commands(census, 'frontend'), ['npm run build -w apps/shop', 'npm run lint -w apps/shop']);
  assert.deepEqual(commands(census, 'core'), ['npm run build -w libs/core']);
  assert.equal(layer(census, 'frontend').validate[0]!.origin, 'apps/shop/package.json');
});

test('yarn workspaces: yarn workspace NAME run SCRIPT', async () => {
  const census = await censusOf({
    'package.json': json({ private: true, workspaces: { packages: ['packages/*'] } }),
    'yarn.lock': '',
    'packages/server/package.json': json({
      name: 'server',
      dependencies: { express: '4.0.0' },
      scripts: { typecheck: 'tsc --noEmit' },
    }),
    'packages/server/src/index.ts': 'app.listen(3001)',
    'packages/client/package.json': json({
      name: 'client',
      dependencies: { react: '18.0.0', vite: '5.0.0' },
      scripts: { build: 'vite build' },
    }),
    'packages/client/src/App.tsx': 'export {}',
    'packages/client/src/http.ts': "export const get = (p: string) => fetch('http://127.0.0.1:3001' + p);",
  });
  assert.deepEqual(commands(census, 'backend'), ['yarn workspace server run typecheck']);
  assert.deepEqual(commands(census, 'frontend'), ['yarn workspace client run build']);
  assert.deepEqual(layer(census, 'frontend').after, ['backend']);
});

test('one package.json with src/api, src/ui and prisma/: split by role, the rest with the backend', async () => {
  const census = await censusOf({
    'package.json': json({
      name: 'plain',
      dependencies: { express: '4.0.0', react: '18.0.0', prisma: '5.0.0' },
      scripts: { build: 'tsc -p .', lint: 'eslint src', test: 'vitest run' },
    }),
    'src/api/users.ts': 'export {}',
    'src/api/server.ts': 'export {}',
    'src/ui/App.tsx': 'export {}',
    'src/ui/UserForm.tsx': 'export {}',
    'src/shared/types.ts': 'export {}',
    'prisma/schema.prisma': 'model User { id Int @id }',
    'tsconfig.json': '{}',
  });
  assert.deepEqual(census.layers.map((l) => l.name).sort(), ['backend', 'database', 'frontend']);
  assert.deepEqual(layer(census, 'frontend').owns, ['src/ui/**']);
  assert.deepEqual(layer(census, 'database').owns, ['prisma/**']);
  assert.ok(
    layer(census, 'backend').owns.includes('src/api/**') &&
      layer(census, 'backend').owns.includes('src/shared/**') &&
      layer(census, 'backend').owns.includes('package.json'),
  );
  assert.deepEqual(commands(census, 'backend'), ['npm run build', 'npm run lint', 'npm run test']);
  assert.deepEqual(
    census.schema.map((s) => s.glob),
    ['prisma/**'],
  );
});

test('Next.js with Prisma at the root: the app is the frontend, prisma/ the database', async () => {
  const census = await censusOf({
    'package.json': json({
      name: 'site',
      dependencies: { next: '15.0.0', react: '19.0.0', '@prisma/client': '5.0.0' },
      scripts: { lint: 'next lint', build: 'next build', 'type-check': 'tsc --noEmit' },
    }),
    'pnpm-lock.yaml': '',
    'app/layout.tsx': 'export {}',
    'app/(marketing)/about/page.tsx': 'export {}',
    'lib/db.ts': 'export {}',
    'prisma/schema.prisma': 'model Post { id Int @id }',
    'prisma/migrations/001_init/migration.sql': 'CREATE TABLE x();',
    '.github/workflows/ci.yml':
      'jobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pnpm install\n      - run: pnpm lint\n      - run: pnpm type-check\n',
  });
  assert.deepEqual(census.layers.map((l) => l.name).sort(), ['database', 'frontend']);
  assert.deepEqual(commands(census, 'frontend'), ['pnpm lint', 'pnpm type-check']);
  assert.ok(layer(census, 'frontend').owns.includes('app/**'));
  assert.ok(!layer(census, 'frontend').owns.some((g) => g.startsWith('prisma')));
});

test('a Bun frontend whose CI only installs (`bun ci`): its own lint, typecheck and test scripts are proposed, never the install', async () => {
  const census = await censusOf({
    'frontend/package.json': json({
      name: 'web',
      dependencies: { react: '19.0.0', vite: '6.0.0' },
      scripts: { dev: 'vite', build: 'vite build', lint: 'eslint .', typecheck: 'tsc -b', test: 'vitest run' },
    }),
    'frontend/bun.lock': '{}',
    'frontend/src/App.tsx': 'export default function App() {}',
    'backend/pyproject.toml': '[project]\nname = "api"\ndependencies = ["fastapi"]\n',
    'backend/app/main.py': 'from fastapi import FastAPI\napp = FastAPI()\n',
    '.github/workflows/frontend.yml': [
      'name: FE',
      'on: [push]',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-latest',
      '    defaults:',
      '      run:',
      '        working-directory: frontend',
      '    steps:',
      '      - uses: actions/checkout@v4',
      '      - uses: oven-sh/setup-bun@v2',
      '      - run: bun ci',
    ].join('\n'),
  });
  assert.deepEqual(commands(census, 'frontend'), [
    'cd frontend && bun run typecheck',
    'cd frontend && bun run lint',
    'cd frontend && bun run test',
  ]);
});

test('a nested package.json that only says `"type": "module"` is part of the package around it: its files are that layer\'s, proved by its runner', async () => {
  const census = await censusOf({
    'package.json': json({ name: 'dates', scripts: { test: 'jest --coverage' }, devDependencies: { jest: '29.0.0' } }),
    'src/package.json': json({ type: 'module', version: '3.7.1' }),
    'src/datetime.js': 'export const now = () => 0;\n',
    'bench/package.json': json({ type: 'module' }),
    'bench/run.js': '',
    'test/datetime.test.js': "test('now', () => {});\n",
  });
  assert.deepEqual(
    census.layers.map((l) => l.name),
    ['dates'],
  );
  assert.ok(layer(census, 'dates').owns.includes('src/**'), JSON.stringify(layer(census, 'dates').owns));
  assert.deepEqual(
    census.proof?.units.map((u) => [u.layer, u.runner]),
    [['dates', 'jest']],
  );
});

test("a root script made of per-package steps (`pnpm run -C packages/store build && …`) gives each package its own step, in CI's order", async () => {
  const census = await censusOf({
    'package.json': json({
      name: 'root',
      private: true,
      scripts: {
        build: 'pnpm run -C packages/store build && pnpm run -C packages/testing build',
        'build:dts': 'pnpm run -r --parallel build:dts',
      },
    }),
    'pnpm-workspace.yaml': 'packages:\n  - "packages/*"\n',
    'pnpm-lock.yaml': 'lockfileVersion: "9.0"\n',
    'packages/store/package.json': json({
      name: 'store',
      main: 'dist/index.js',
      scripts: { build: 'rollup -c', 'build:dts': 'api-extractor run --local' },
    }),
    'packages/store/src/index.ts': 'export const a = 1;\n',
    'packages/testing/package.json': json({
      name: 'testing',
      main: 'dist/index.js',
      scripts: { build: 'rollup -c', 'build:dts': 'api-extractor run --local' },
    }),
    'packages/testing/src/index.ts': 'export const b = 1;\n',
    '.github/workflows/ci.yml':
      'jobs:\n  t:\n    steps:\n      - run: pnpm install --frozen-lockfile\n      - run: pnpm run build\n      - run: pnpm run build:dts\n',
  });
  assert.deepEqual(commands(census, 'store'), ['pnpm --filter store build', 'pnpm --filter store build:dts']);
  assert.deepEqual(commands(census, 'testing'), ['pnpm --filter testing build', 'pnpm --filter testing build:dts']);
});
