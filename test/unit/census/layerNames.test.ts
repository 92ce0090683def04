import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientUrls, listenPorts } from '../../../src/core/census/layers/layerOrder';
import { nameUnits } from '../../../src/core/census/layers/units';
import { censusOf, json, layer } from '../../support/census';

test('polyglot microservices: shared UI packages run after nothing; the frontend after the Go service it calls; the load generator after the frontend it calls', async () => {
  const census = await censusOf({
    'package.json': json({ private: true, workspaces: ['packages/*', 'web'] }),
    'package-lock.json': '{}',
    'packages/ui-kit/package.json': json({
      name: '@shop/ui-kit',
      main: 'dist/index.js',
      peerDependencies: { react: '18' },
      scripts: { lint: 'eslint .' },
    }),
    'packages/ui-kit/src/Button.tsx': 'export const Button = 1',
    'packages/icons/package.json': json({ name: '@shop/icons', exports: './index.js', dependencies: { react: '18' } }),
    'packages/icons/index.js': 'export {}',
    'web/package.json': json({
      name: 'storefront',
      dependencies: { vite: '5', react: '18', '@shop/ui-kit': '*' },
      scripts: { build: 'vite build' },
    }),
    'web/vite.config.ts':
      "export default { server: { port: 3000, proxy: { '/api': { target: 'http://localhost:8081' } } } }",
    'web/src/App.tsx': 'export {}',
    'services/catalog/go.mod': 'module shop/catalog\n\ngo 1.22\n',
    'services/catalog/main.go':
      'package main\nfunc main() { http.ListenAndServe(":8081", nil) }\n// CORS: allow http://localhost:3000',
    'services/orders/go.mod': 'module shop/orders\n\ngo 1.22\n',
    'services/orders/main.go': 'package main\nfunc main() { http.ListenAndServe(":8082", nil) }',
    'loadtest/locustfile.py': 'class User(HttpUser):\n    host = "http://localhost:3000"\n',
  });
  assert.deepEqual(layer(census, 'ui-kit').after, []);
  assert.deepEqual(layer(census, 'icons').after, []);
  assert.equal(layer(census, 'ui-kit').role, undefined, 'a UI library is no frontend for using React');
  assert.deepEqual(layer(census, 'frontend').after, ['catalog', 'ui-kit']);
  assert.deepEqual(layer(census, 'orders').after, []);
  const load = census.layers.find((l) => l.dirs.includes('loadtest'))!;
  assert.deepEqual(load.after, ['frontend'], 'the load generator calls the frontend: it runs after it');
  assert.deepEqual(layer(census, 'frontend').after.includes(load.name), false);
});

test('Gradle multi-module names: readable and unique from the folders above, never a counter; an `api` module is no backend by its name', async () => {
  const modules = [
    'feature/topic/impl',
    'feature/topic/api',
    'feature/foryou/impl',
    'feature/foryou/api',
    'core/data',
    'core/network/api',
    'sync/work/impl',
  ];
  const files: Record<string, string> = {
    'settings.gradle.kts': `include(${modules.map((m) => `":${m.replace(/\//g, ':')}"`).join(', ')})`,
    gradlew: '#!/bin/sh',
  };
  for (const module of modules) {
    files[`${module}/build.gradle.kts`] =
      module === 'feature/topic/impl'
        ? 'dependencies { implementation(project(":core:data")) }'
        : 'plugins { kotlin("jvm") }';
    files[`${module}/src/main/kotlin/X.kt`] = 'class X';
  }
  const census = await censusOf(files);
  const names = census.layers.map((l) => l.name).sort();
  assert.deepEqual(names, ['data', 'foryou-api', 'foryou-impl', 'network-api', 'topic-api', 'topic-impl', 'work-impl']);
  assert.ok(
    census.layers.every((l) => l.role === undefined),
    census.layers.map((l) => `${l.name}:${l.role}`).join(' '),
  );
  assert.deepEqual(layer(census, 'topic-impl').after, ['data']);
  assert.match(layer(census, 'topic-impl').afterReasons!.data!, /:core:data \(workspace dependency\)/);
});

test('ports and base URLs: servers listen, clients call, CORS lines are neither', () => {
  assert.deepEqual(listenPorts('app.listen(process.env.PORT || 3001)', 'server.ts'), [3001]);
  assert.deepEqual(listenPorts('http.ListenAndServe(":8080", r)', 'main.go'), [8080]);
  assert.deepEqual(listenPorts('server.port=9090', 'application.properties'), [9090]);
  assert.deepEqual(listenPorts('uvicorn.run(app, host="0.0.0.0", port=8000)', 'main.py'), [8000]);
  assert.deepEqual(
    clientUrls('const API = "http://localhost:8080/api";\nallow_origins=["http://localhost:5173"]').map((c) => c.port),
    [8080],
  );
  // The URL ends where prose around it does: `(http://localhost:3000)`, `<http://localhost:3000/>`, a list.
  assert.deepEqual(
    clientUrls(
      '/** The API at `baseUrl` (http://localhost:3000), one method each; see <http://localhost:4000/docs>. */',
    ).map((c) => c.url),
    ['http://localhost:3000', 'http://localhost:4000/docs'],
  );
});

test("a root project whose folder has no name of its own beside an `app` module: two names, the root's said (one `app` twice was a duplicate YAML key init refused)", () => {
  const unit = (dir: string, folderName: string) => ({
    key: `project:${dir}`,
    folderName,
    claims: [dir],
    projects: [],
    origin: `${dir ? `${dir}/` : ''}build.gradle`,
  });
  assert.deepEqual(nameUnits([unit('', ''), unit('app', 'app'), unit('libs/core', 'core')]), [
    'app-root',
    'app',
    'core',
  ]);
});
