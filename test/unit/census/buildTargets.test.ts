import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTargets } from '../../../src/core/census/commands/buildTargets';
import { commandWords } from '../../../src/core/census/commands/checkCommands';
import { censusOf, workflowRunning } from '../../support/census';

test('Bazel and Pants targets name folders: `//a/b/...` and `a/b::` everything under a/b, `//a/b:t` and `a/b:t` the package, `//...` and `::` the whole; goals are no targets', () => {
  const folders = (command: string) => buildTargets(commandWords(command)).map((t) => [t.folder, t.recursive]);
  assert.deepEqual(folders('bazel test --config=ci //services/api/... //libs/util:test'), [
    ['services/api', true],
    ['libs/util', false],
  ]);
  assert.deepEqual(folders('bazel build //...'), [['', true]]);
  assert.deepEqual(folders('pants --tag=-integration lint check test src/python/app:: tests/app:unit'), [
    ['src/python/app', true],
    ['tests/app', false],
  ]);
  assert.deepEqual(folders('pants test ::'), [['', true]]);
  assert.deepEqual(folders('go test ./...'), []);
});

test("Bazel targets in CI are per-folder checks: `bazel test //services/api/...` is the api module's, not the root's; a command over two modules keeps each its own target", async () => {
  const census = await censusOf({
    'MODULE.bazel': 'module(name = "shop")\n',
    'services/api/go.mod': 'module example.com/api\n\ngo 1.22\n',
    'services/api/main.go': 'package main',
    'services/api/BUILD.bazel': 'go_binary(name = "api")',
    'services/web/go.mod': 'module example.com/web\n\ngo 1.22\n',
    'services/web/main.go': 'package main',
    'services/web/BUILD.bazel': 'go_binary(name = "web")',
    '.github/workflows/ci.yml': workflowRunning(
      'bazel test //services/api/... //services/web:all',
      'bazel build //...',
    ),
  });
  const api = census.layers.find((l) => l.owns.some((o) => o.startsWith('services/api')))!;
  const web = census.layers.find((l) => l.owns.some((o) => o.startsWith('services/web')))!;
  assert.ok(
    api.validate.some((v) => v.command === 'bazel test //services/api/...'),
    JSON.stringify(api.validate),
  );
  assert.ok(
    web.validate.some((v) => v.command === 'bazel test //services/web:all'),
    JSON.stringify(web.validate),
  );
  assert.ok(!api.validate.some((v) => v.command.includes('//services/web')), JSON.stringify(api.validate));
});
