import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generatorSources, layerHolding, scriptSources } from '../../../src/core/census/manifests/generatedClients';
import { censusOf, json, layer } from '../../support/census';

test('a frontend generated from the backend’s OpenAPI document runs after the backend: openapi-ts and orval configs, a package script, the document not committed', async () => {
  const census = await censusOf({
    // A FastAPI backend that writes its openapi.json with a script (the file is not committed).
    'backend/pyproject.toml': '[project]\nname = "shop-api"\ndependencies = ["fastapi"]\n',
    'backend/app/main.py': 'from fastapi import FastAPI\napp = FastAPI()\n',
    'backend/scripts/export_openapi.py':
      'import json\nfrom app.main import app\njson.dump(app.openapi(), open("openapi.json", "w"))\n',
    // Its frontend: the generated client is the only tie, no base URL anywhere.
    'frontend/package.json': json({
      name: 'shop-web',
      dependencies: { react: '19' },
      devDependencies: { '@hey-api/openapi-ts': '0.80', vite: '7' },
      scripts: { build: 'vite build', 'generate-client': 'openapi-ts' },
    }),
    'frontend/openapi-ts.config.ts':
      "import { defineConfig } from '@hey-api/openapi-ts';\n\nexport default defineConfig({\n  input: '../backend/openapi.json',\n  output: { path: './src/client', format: 'prettier' },\n  plugins: ['@hey-api/client-fetch'],\n});\n",
    'frontend/src/main.tsx': "import { listItems } from './client';\nlistItems();\n",
    'frontend/src/client/sdk.gen.ts': 'export const listItems = () => fetch("/items");\n',
    // A Go service with a committed spec, and an admin app whose orval config reads it.
    'inventory/go.mod': 'module example.com/inventory\n',
    'inventory/main.go': 'package main\n',
    'inventory/api/openapi.yaml': 'openapi: 3.1.0\ninfo: { title: inventory, version: "1" }\npaths: {}\n',
    'admin/package.json': json({
      name: 'admin',
      dependencies: { react: '19' },
      devDependencies: { orval: '7' },
      scripts: { build: 'tsc -b' },
    }),
    'admin/orval.config.js':
      "module.exports = {\n  inventory: {\n    input: { target: '../inventory/api/openapi.yaml' },\n    output: { target: './src/api/inventory.ts', client: 'react-query' },\n  },\n};\n",
    'admin/src/index.ts': 'export {};\n',
    // A package script reading a document kept in the app's own folder orders nothing.
    'kiosk/package.json': json({
      name: 'kiosk',
      dependencies: { vue: '3' },
      scripts: { api: 'openapi-typescript ./spec/openapi.json -o src/api.d.ts', build: 'vite build' },
    }),
    'kiosk/spec/openapi.json': '{"openapi": "3.1.0"}',
    'kiosk/src/main.ts': 'export {};\n',
    // A script generating from the backend's document by path.
    'reports/package.json': json({
      name: 'reports',
      scripts: { 'gen:api': 'openapi-typescript ../backend/openapi.json --output src/schema.d.ts', build: 'tsc' },
    }),
    'reports/src/index.ts': 'export {};\n',
  });
  assert.deepEqual(layer(census, 'frontend').after, ['backend']);
  assert.equal(
    layer(census, 'frontend').afterReasons?.backend,
    'openapi-ts.config.ts generates a client from backend/openapi.json (backend)',
  );
  assert.deepEqual(layer(census, 'admin').after, ['inventory']);
  assert.match(
    layer(census, 'admin').afterReasons?.inventory ?? '',
    /orval\.config\.js generates a client from inventory\/api\/openapi\.yaml/,
  );
  assert.deepEqual(layer(census, 'kiosk').after, []);
  assert.deepEqual(layer(census, 'reports').after, ['backend']);
  assert.deepEqual(layer(census, 'backend').after, []);
});

test('generator configs and scripts: the documents they read, resolved from their folder; URLs left to the port matching', () => {
  assert.deepEqual(
    generatorSources(
      'web/openapi-ts.config.ts',
      "export default { input: 'http://localhost:8000/openapi.json', output: 'src/client' }",
    ),
    [],
  );
  assert.deepEqual(
    generatorSources(
      'apps/web/openapitools.json',
      json({
        'generator-cli': { generators: { api: { inputSpec: '../../services/api/openapi.json', output: 'src/gen' } } },
      }),
    ),
    [{ path: 'services/api/openapi.json', file: 'apps/web/openapitools.json' }],
  );
  assert.deepEqual(
    scriptSources('web', 'web/package.json', {
      gen: 'orval --input ../api/openapi.yaml --output src/api.ts',
      lint: 'eslint src/config.json',
    }),
    [{ path: 'api/openapi.yaml', file: 'web/package.json' }],
  );
  const layers = [
    { name: 'api', files: ['api/main.py'] },
    { name: 'web', files: ['web/src/a.ts'] },
  ];
  assert.equal(layerHolding('api/openapi.json', layers, 'web'), 'api');
  assert.equal(layerHolding('web/openapi.json', layers, 'web'), undefined);
  assert.equal(layerHolding('elsewhere/openapi.json', layers, 'web'), undefined);
});

test('a client generated from a document nothing names (the generator config is code, or openapi-generator output) runs after the one API server; a generator script run in the server folder names it', async () => {
  // Shapes of real repositories: the generator's config is code the census does not read (here empty), the
  // backend is the repository's root package or a Python service whose script prints the document.
  const census = await censusOf({
    'package.json': json({
      name: 'server',
      dependencies: { express: '4' },
      scripts: { test: 'vitest run' },
      workspaces: ['frontend'],
    }),
    'src/server.ts': '',
    'src/routes/users.ts': '',
    'frontend/package.json': json({
      name: 'frontend',
      dependencies: { react: '19', vite: '7' },
      devDependencies: { orval: '7' },
      scripts: { 'gen:api': 'orval --config orval.config.ts', build: 'vite build' },
    }),
    'frontend/orval.config.ts': '',
    'frontend/src/main.tsx': '',
  });
  assert.deepEqual(layer(census, 'frontend').after, ['backend']);
  assert.match(
    layer(census, 'frontend').afterReasons?.backend ?? '',
    /generates an OpenAPI client; backend is the repository's one API server/,
  );

  const python = await censusOf({
    'server/pyproject.toml': '[project]\nname = "api"\ndependencies = ["fastapi"]\n',
    'server/api/main.py': '',
    'worker/pyproject.toml': '[project]\nname = "worker"\ndependencies = ["flask"]\n',
    'worker/worker/app.py': '',
    'clients/sdk/package.json': json({
      name: '@acme/sdk',
      scripts: { generate: 'uv run --directory ../../server/ -m scripts.openapi | openapi-typescript -o ./src/v1.ts' },
    }),
    'clients/sdk/src/index.ts': '',
    'web/package.json': json({ name: 'web', dependencies: { vue: '3' }, scripts: { build: 'vite build' } }),
    'web/src/openapi/.openapi-generator/FILES': '',
    'web/src/openapi/apis/UsersApi.ts': '',
    'web/src/main.ts': '',
  });
  assert.deepEqual(layer(python, 'sdk').after, ['server']);
  assert.match(layer(python, 'sdk').afterReasons?.server ?? '', /generates a client from what server\/ prints/);
  assert.deepEqual(
    layer(python, 'frontend').after,
    [],
    'two servers: openapi-generator output alone does not say which',
  );
});
