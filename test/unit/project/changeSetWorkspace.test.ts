// `.claude/workspace.yaml` (issue 73): found from a member or the parent folder, checked with the
// file, line and key of each mistake, ordered producers first, and proposed for a parent folder
// from what its repositories say of each other (a dependency on a sibling's package, a go.mod
// require, a script generating a client from a sibling's OpenAPI file).
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  findWorkspaceRoot,
  loadWorkspace,
  memberOrder,
  producersOf,
  proposeWorkspace,
  WORKSPACE_FILE,
} from '../../../src/core/project/changeSet';
import { ProjectFileError } from '../../../src/core/project/sources';
import { initFromCensus } from '../../../src/core/census/init/initFromCensus';
import { repositoriesFolder } from '../../support/gitFixture';

const folder = (files: Record<string, string>, repos: string[]) => repositoriesFolder(files, repos, 'orch-changeset-');

const SHOP = {
  'service/package.json': JSON.stringify({ name: '@shop/service', scripts: { test: 'node --test' } }),
  'service/openapi.yaml': 'openapi: 3.0.0\n',
  'sdk/package.json': JSON.stringify({
    name: '@shop/sdk',
    scripts: { generate: 'openapi-typescript ../service/openapi.yaml -o src/api.ts' },
  }),
  'web/package.json': JSON.stringify({ name: 'web', dependencies: { '@shop/sdk': '^1.0.0', react: '18' } }),
  'web/.claude/orchestrator.yaml': 'version: 1\n',
};

test('a parent folder of three repositories: the proposal names each edge with where it was read, and loads back producers first', async () => {
  const dir = folder(SHOP, ['web', 'sdk', 'service']);
  const proposal = proposeWorkspace(dir)!;
  assert.deepEqual(proposal.members, ['sdk', 'service', 'web']);
  assert.deepEqual(
    proposal.uses.map(({ consumer, producer, via }) => `${consumer} ← ${producer} (${via})`),
    ['sdk ← service (openapi)', 'web ← sdk (npm)'],
  );
  assert.equal(proposal.uses[0]!.generate, 'openapi-typescript {schema} -o src/api.ts');
  assert.match(proposal.text, /- consumer: web # web\/package\.json dependencies/);

  mkdirSync(join(dir, '.claude'));
  writeFileSync(join(dir, WORKSPACE_FILE), proposal.text);
  // Found from inside a member, as from the parent.
  assert.equal(findWorkspaceRoot(join(dir, 'web')), dir);
  const workspace = await loadWorkspace(dir);
  assert.deepEqual(
    workspace.members.map((m) => `${m.name}${m.configured ? ' (configured)' : ''}`),
    ['service', 'sdk', 'web (configured)'],
  );
  assert.equal(workspace.members[2]!.path, join(dir, 'web'));
});

test('a member may hold the file and name the others by relative paths; no file above a lone repository', async () => {
  const dir = folder(
    {
      'web/.claude/workspace.yaml':
        'version: 1\nrepositories:\n  web: { path: . }\n  sdk: { path: ../sdk, github: shop/sdk }\nuses:\n  - { consumer: web, producer: sdk, via: npm, package: "@shop/sdk" }\n',
    },
    ['web', 'sdk', 'lone'],
  );
  const workspace = await loadWorkspace(findWorkspaceRoot(join(dir, 'web'))!);
  assert.deepEqual(
    workspace.members.map((m) => [m.name, m.path, m.github]),
    [
      ['sdk', join(dir, 'sdk'), 'shop/sdk'],
      ['web', join(dir, 'web'), undefined],
    ],
  );
  assert.equal(findWorkspaceRoot(join(dir, 'lone')), undefined);
  assert.equal(proposeWorkspace(join(dir, 'lone')), undefined);
});

test('mistakes name the file, the line and the key: an unknown member, a missing link field, a folder that is no repository, a circle', async () => {
  const cases: [string, RegExp][] = [
    [
      'version: 1\nrepositories:\n  a: { path: a }\n  b: { path: b }\nuses:\n  - { consumer: a, producer: c, via: npm, package: x }\n',
      /:6.*uses\[0\]\.producer.*c is not under repositories \(a, b\)/,
    ],
    [
      'version: 1\nrepositories:\n  a: { path: a }\n  b: { path: b }\nuses:\n  - { consumer: a, producer: b, via: openapi, schema: api.yaml }\n',
      /uses\[0\].*via: openapi needs generate/,
    ],
    [
      'version: 1\nrepositories:\n  a: { path: a }\n  b: { path: nowhere }\n',
      /:4.*repositories\.b\.path.*nowhere is no folder/,
    ],
    ['version: 1\nrepositories:\n  a: { path: a }\n  b: { path: plain }\n', /plain is no git repository/],
    [
      'version: 1\nrepositories:\n  a: { path: a }\n  b: { path: b }\nuses:\n  - { consumer: a, producer: b, via: command, link: "x" }\n  - { consumer: b, producer: a, via: command, link: "y" }\n',
      /:6.*uses\[0\].*a circle: a → b → a/,
    ],
    ['version: 1\nrepositories:\n  a: { path: a }\n  b: { path: b, gitlab: x }\n', /repositories\.b\.gitlab/],
  ];
  const dir = folder({ 'plain/readme.md': '' }, ['a', 'b']);
  mkdirSync(join(dir, '.claude'));
  for (const [text, expected] of cases) {
    writeFileSync(join(dir, WORKSPACE_FILE), text);
    await assert.rejects(loadWorkspace(dir), (e: unknown) => {
      assert.ok(e instanceof ProjectFileError, String(e));
      assert.match(e.message, expected);
      assert.ok(e.message.includes('workspace.yaml'), e.message);
      return true;
    });
  }
});

test('the order: producers first, the rest in the file order; a circle is named', () => {
  assert.deepEqual(
    memberOrder(
      ['web', 'docs', 'sdk', 'service'],
      [
        { consumer: 'web', producer: 'sdk' },
        { consumer: 'sdk', producer: 'service' },
      ],
    ),
    { order: ['docs', 'service', 'sdk', 'web'] },
  );
  assert.deepEqual(
    memberOrder(
      ['a', 'b', 'c'],
      [
        { consumer: 'b', producer: 'c' },
        { consumer: 'c', producer: 'b' },
      ],
    ),
    { cycle: ['b', 'c', 'b'] },
  );
});

test("a member's producers: through the others too (its links lead to their work trees)", () => {
  const fan = [
    { consumer: 'sdk', producer: 'service' },
    { consumer: 'web', producer: 'service' },
    { consumer: 'app', producer: 'sdk' },
  ];
  assert.deepEqual(producersOf('app', fan).sort(), ['sdk', 'service']);
  assert.deepEqual(producersOf('service', fan), []);
});

test('init in a parent folder of repositories writes the proposal beside its config, and keeps one already there', async () => {
  const dir = folder(SHOP, ['web', 'sdk', 'service']);
  const first = await initFromCensus(dir, { trusted: false, verify: false });
  assert.ok(first.created.includes(WORKSPACE_FILE), first.created.join(', '));
  assert.deepEqual(
    (await loadWorkspace(dir)).members.map((m) => m.name),
    ['service', 'sdk', 'web'],
  );
  const again = await initFromCensus(dir, { trusted: false, verify: false, force: true });
  assert.ok(again.kept.includes(WORKSPACE_FILE));
  // A member's own init proposes none.
  assert.ok(
    !(await initFromCensus(join(dir, 'sdk'), { trusted: false, verify: false })).created.includes(WORKSPACE_FILE),
  );
});
