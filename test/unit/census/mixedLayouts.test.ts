import assert from 'node:assert/strict';
import { test } from 'node:test';
import { censusOf, commands, json, layer } from '../../support/census';

test('backend/ in Python and frontend/ in TypeScript: two layers, CI steps with working-directory, the frontend after the backend', async () => {
  const census = await censusOf({
    'backend/requirements.txt': 'fastapi==0.110\npytest\nruff\n',
    'backend/app/main.py': 'app = 1',
    'backend/tests/test_api.py': 'def test(): pass',
    'frontend/package.json': json({
      name: 'frontend',
      dependencies: { react: '18', vite: '5' },
      scripts: { lint: 'eslint .', typecheck: 'tsc -b', build: 'vite build' },
    }),
    'frontend/package-lock.json': '{}',
    'frontend/src/App.tsx': 'export {}',
    'frontend/src/api/client.ts': "export const baseURL = import.meta.env.VITE_API ?? 'http://localhost:8000';",
    'docker-compose.yml': 'services: {}',
    '.github/workflows/ci.yml': [
      'jobs:',
      '  api:',
      '    steps:',
      '      - run: pip install -r requirements.txt',
      '        working-directory: ./backend',
      '      - run: ruff check app',
      '        working-directory: ./backend',
      '      - run: pytest',
      '        working-directory: ./backend',
      '  web:',
      '    steps:',
      '      - run: |',
      '          cd frontend',
      '          npm ci',
      '          npm run lint',
      '          npm run typecheck',
    ].join('\n'),
  });
  assert.deepEqual(census.layers.map((l) => l.name).sort(), ['backend', 'frontend']);
  assert.deepEqual(commands(census, 'backend'), ['cd backend && ruff check app', 'cd backend && pytest']);
  assert.deepEqual(commands(census, 'frontend'), ['cd frontend && npm run lint', 'cd frontend && npm run typecheck']);
  assert.deepEqual(layer(census, 'frontend').after, ['backend']);
});

test('no manifest at all: folder layers cover the source, a root Makefile gives the commands', async () => {
  const census = await censusOf({
    Makefile: 'test:\n\t./scripts/test.sh\nlint:\n\tshellcheck scripts/*.sh\ninstall:\n\tcp x y\n',
    'scripts/test.sh': '#!/bin/sh',
    'scripts/deploy.sh': '#!/bin/sh',
    'src/main.c': 'int main() {}',
    'src/util.c': 'int x;',
    'src/util.h': 'int x;',
    'web/index.html': '<html>',
    'web/app.js': 'x()',
    'README.md': '# hi',
  });
  assert.ok(census.layers.length >= 2);
  assert.equal(census.unowned.length <= 1, true, `unowned: ${census.unowned.join(', ')}`);
  const src = census.layers.find((l) => l.dirs.includes('src'))!;
  assert.deepEqual(src.owns, ['src/**']);
  assert.deepEqual(
    src.validate.map((v) => v.command),
    ['make test', 'make lint'],
  );
  assert.equal(src.validate[0]!.origin, 'Makefile');
  assert.equal(layer(census, 'frontend').dirs[0], 'web', 'a folder named web is a frontend');
});

test('GitLab matrix variables expand over a `cd` line; commands that install, deploy or print are never validate commands', async () => {
  const census = await censusOf({
    'services/billing/go.mod': 'module acme/billing\n\ngo 1.22\n',
    'services/billing/main.go': 'package main',
    'services/auth/go.mod': 'module acme/auth\n\ngo 1.22\n',
    'services/auth/main.go': 'package main',
    '.gitlab-ci.yml': [
      'stages: [test, deploy]',
      'vet:',
      '  stage: test',
      '  parallel:',
      '    matrix:',
      '      - SERVICE: [billing, auth]',
      '  script:',
      '    - cd services/$SERVICE',
      '    - go vet ./...',
      'deploy:',
      '  stage: deploy',
      '  script:',
      '    - docker build -t x .',
      '    - kubectl apply -f k8s/',
    ].join('\n'),
  });
  assert.deepEqual(commands(census, 'billing'), ['cd services/billing && go vet ./...']);
  assert.deepEqual(commands(census, 'auth'), ['cd services/auth && go vet ./...']);
});

test('a broken workflow is a warning naming file and line; the rest of the census goes on', async () => {
  const census = await censusOf({
    'package.json': json({ name: 'x', scripts: { lint: 'eslint .' } }),
    'index.js': 'x()',
    '.github/workflows/broken.yml': 'jobs:\n  a:\n    steps: [\n',
  });
  assert.ok(
    census.warnings.some((w) => /^\.github\/workflows\/broken\.yml:\d+: not valid YAML/.test(w)),
    census.warnings.join('\n'),
  );
  assert.deepEqual(commands(census, 'x'), ['npm run lint']);
});

test('gitignored and dependency folders are never walked, owned or counted', async () => {
  const census = await censusOf({
    '.gitignore': 'generated/\n*.log\n',
    'package.json': json({ name: 'tool', scripts: { test: 'node --test' } }),
    'lib/index.js': 'x',
    'generated/big.js': 'x',
    'node_modules/dep/index.js': 'x',
    'sub/.gitignore': 'cache/\n',
    'sub/a.js': 'x',
    'sub/cache/b.js': 'x',
  });
  assert.equal(census.sourceFiles, 2, 'lib/index.js and sub/a.js only');
  assert.deepEqual(layer(census, 'tool').owns, ['package.json', 'lib/**', 'sub/**']);
});
