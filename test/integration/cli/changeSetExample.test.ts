// examples/changeset (issue 73), three repositories as a user clones them, through the built CLI:
// `init` in their parent folder proposes the example's own workspace file (sdk uses service via
// openapi, web uses sdk via npm); `check workspace --json` lists them producers first; and the
// example holds: its client is what its generator writes, and each member passes its own tests.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { CHANGESET, CHANGESET_MEMBERS, makeChangeset } from '../../support/changesetExample';
import { buildCli, runCli } from '../../support/cli/cliKit';
import { tempDir } from '../../support/gitFixture';

const WORKSPACE = '.claude/workspace.yaml';

test('init in the parent folder proposes the example’s workspace file; check workspace --json lists service, sdk, web', async () => {
  buildCli();
  const dir = makeChangeset({ withoutWorkspaceFile: true });
  const init = await runCli(['init', '--no-verify'], { cwd: dir });
  assert.equal(init.code, 0, init.stderr);
  assert.match(init.stdout + init.stderr, /created \.claude\/workspace\.yaml/);
  const proposed = parse(readFileSync(join(dir, WORKSPACE), 'utf8')) as { uses: unknown[] };
  assert.deepEqual(proposed.uses, [
    {
      consumer: 'sdk',
      producer: 'service',
      via: 'openapi',
      schema: 'openapi.yaml',
      generate: 'node scripts/generate.mjs {schema} src/client.js',
    },
    { consumer: 'web', producer: 'sdk', via: 'npm', package: '@changeset-example/sdk' },
  ]);
  assert.deepEqual(proposed, parse(readFileSync(join(CHANGESET, WORKSPACE), 'utf8')), 'the example’s file is init’s');

  const checked = await runCli(['check', 'workspace', '--json'], { cwd: dir });
  assert.equal(checked.code, 0, checked.stderr);
  const { workspace } = JSON.parse(checked.stdout) as {
    workspace: { members: { name: string; configured: boolean }[] };
  };
  assert.deepEqual(
    workspace.members.map((m) => `${m.name}${m.configured ? '' : ' (no config)'}`),
    ['service', 'sdk', 'web'],
  );
});

test('the example holds: the sdk’s client is what its generator writes from the service’s schema, each member passes its tests', () => {
  const dir = makeChangeset();
  const client = join(tempDir('orch-changeset-client-'), 'client.js');
  execFileSync(process.execPath, ['scripts/generate.mjs', '../service/openapi.yaml', client], {
    cwd: join(dir, 'sdk'),
  });
  assert.equal(readFileSync(client, 'utf8'), readFileSync(join(dir, 'sdk/src/client.js'), 'utf8'));
  // The sdk as web/.npmrc installs it: a copy, from the folder beside it, nothing from the registry.
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund'], { cwd: join(dir, 'web'), stdio: 'pipe' });
  for (const member of CHANGESET_MEMBERS)
    execFileSync(process.execPath, ['--test'], { cwd: join(dir, member), stdio: 'pipe' });
});
