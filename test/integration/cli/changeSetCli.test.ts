// `orchestrator check workspace` and `init` in a parent folder of repositories (issue 73), through the
// built CLI: no file yet says so and shows init's proposal; init writes it; checked from inside a member,
// the members are listed producers first; a mistake exits 2 naming the file, the line and the key.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { buildCli, ROOT, runCli } from '../../support/cli/cliKit';

test('check workspace and init in a parent folder: proposal, file, order, a mistake with its line', async (t) => {
  buildCli();
  const dir = mkdtempSync(join(tmpdir(), 'orch-changeset-cli-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const repo of ['web', 'sdk', 'service']) {
    mkdirSync(join(dir, repo));
    execFileSync('git', ['init', '-q', join(dir, repo)]);
  }
  const files: Record<string, string> = {
    'service/package.json': JSON.stringify({ name: '@shop/service' }),
    'sdk/package.json': JSON.stringify({ name: '@shop/sdk', dependencies: { '@shop/service': '1' } }),
    'web/package.json': JSON.stringify({ name: 'web', dependencies: { '@shop/sdk': '1' } }),
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }

  const none = await runCli(['check', 'workspace'], { cwd: dir });
  assert.equal(none.code, 1, none.stderr);
  assert.match(none.stderr, /no \.claude\/workspace\.yaml here/);
  assert.match(none.stderr, /consumer: web # web\/package\.json dependencies/);

  const init = await runCli(['init', '--no-verify'], { cwd: dir });
  assert.equal(init.code, 0, init.stderr);
  assert.match(`${init.stdout}${init.stderr}`, /created \.claude\/workspace\.yaml/);
  // Any editor checks it: its first line names the schema init put beside it, this version's.
  assert.equal(
    readFileSync(join(dir, '.claude/workspace.yaml'), 'utf8').split('\n')[0],
    '# yaml-language-server: $schema=workspace.schema.json',
  );
  assert.deepEqual(
    JSON.parse(readFileSync(join(dir, '.claude/workspace.schema.json'), 'utf8')),
    JSON.parse(readFileSync(join(ROOT, 'media/workspace.schema.json'), 'utf8')),
  );

  const listed = await runCli(['check', 'workspace'], { cwd: join(dir, 'web') });
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, /1\. service: .*\n {2}2\. sdk: .*\n {2}3\. web: /);
  assert.match(listed.stdout, /web uses sdk via npm/);
  const json = await runCli(['check', 'workspace', '--json'], { cwd: dir });
  assert.deepEqual(
    (JSON.parse(json.stdout) as { workspace: { members: { name: string }[] } }).workspace.members.map((m) => m.name),
    ['service', 'sdk', 'web'],
  );

  const file = join(dir, '.claude/workspace.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('via: npm', 'via: maven'));
  const broken = await runCli(['check', 'workspace'], { cwd: dir });
  assert.equal(broken.code, 2, 'a configuration error, as a broken workflow file');
  assert.match(broken.stderr, /workspace\.yaml:\d+.*uses\[\d\]\.via/);
});
