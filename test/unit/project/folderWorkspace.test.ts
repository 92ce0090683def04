// A VS Code multi-root workspace as a workspace of repositories (issue 73): its folders, three git
// repositories in different places, are the members, each named by its folder, with the edges init
// proposes (a dependency on a sibling's package, a script generating a client from its OpenAPI file,
// reached by its relative path); written in their common folder it loads back producers first. A
// workspace file in one of them wins; fewer than two repositories is no workspace of repositories.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  loadWorkspace,
  WORKSPACE_FILE,
  workspaceOfFolders,
  writeFolderWorkspace,
} from '../../../src/core/project/changeSet';
import { repositoriesFolder } from '../../support/gitFixture';

const repos = (files: Record<string, string>, dirs: string[]) => repositoriesFolder(files, dirs, 'orch-folders-');

const SHOP = {
  'apis/service/package.json': JSON.stringify({ name: '@shop/service' }),
  'apis/service/openapi.yaml': 'openapi: 3.0.0\n',
  'clients/sdk/package.json': JSON.stringify({
    name: '@shop/sdk',
    scripts: { generate: 'openapi-typescript ../../apis/service/openapi.yaml -o src/api.ts' },
  }),
  'apps/web/package.json': JSON.stringify({ name: 'web', dependencies: { '@shop/sdk': '1.0.0' } }),
};
const MEMBERS = ['apps/web', 'clients/sdk', 'apis/service'];

test("a multi-root workspace's three repositories: the members and the edges init proposes, written in their common folder", async () => {
  const dir = repos(SHOP, MEMBERS);
  const found = workspaceOfFolders(MEMBERS.map((m) => join(dir, m)));
  assert.ok(found && 'proposal' in found, 'no workspace file: proposed');
  assert.equal(found.root, dir);
  assert.deepEqual(
    found.proposal.uses.map((u) => [u.consumer, u.producer, u.via, u.generate ?? u.package]),
    [
      ['web', 'sdk', 'npm', '@shop/sdk'],
      ['sdk', 'service', 'openapi', 'openapi-typescript {schema} -o src/api.ts'],
    ],
    "in the folders' order",
  );
  const file = await writeFolderWorkspace(found);
  assert.equal(file, join(dir, WORKSPACE_FILE));
  assert.ok(readFileSync(join(dir, '.claude/workspace.schema.json'), 'utf8').includes('"repositories"'));
  const workspace = await loadWorkspace(dir);
  assert.deepEqual(
    workspace.members.map((m) => [m.name, m.path]),
    [
      ['service', join(dir, 'apis/service')],
      ['sdk', join(dir, 'clients/sdk')],
      ['web', join(dir, 'apps/web')],
    ],
    'producers first, at their folders',
  );
  // Now the file is theirs: found from any folder, never written again.
  assert.deepEqual(workspaceOfFolders([join(dir, 'apps/web')]), { root: dir, file: join(dir, WORKSPACE_FILE) });
  await assert.rejects(writeFolderWorkspace(found), { code: 'EEXIST' });
});

test('a workspace file in a member wins; one repository, or folders that are no repositories, are no workspace of repositories', () => {
  const dir = repos(
    {
      ...SHOP,
      'apps/web/.claude/workspace.yaml':
        'version: 1\nrepositories:\n  web: { path: . }\n  sdk: { path: ../../clients/sdk }\n',
    },
    MEMBERS,
  );
  assert.deepEqual(workspaceOfFolders(MEMBERS.map((m) => join(dir, m))), {
    root: join(dir, 'apps/web'),
    file: join(dir, 'apps/web', WORKSPACE_FILE),
  });
  const lone = repos({ 'docs/readme.md': 'x\n' }, ['a']);
  assert.equal(workspaceOfFolders([join(lone, 'a'), join(lone, 'docs')]), undefined);
  const same = repos({}, ['x/web', 'y/web']);
  const named = workspaceOfFolders([join(same, 'x/web'), join(same, 'y/web')]);
  assert.deepEqual(named && 'proposal' in named ? named.proposal.members : undefined, ['web', 'web-2']);
});
