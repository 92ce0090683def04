// `check workspace --combined` (issue 73) on examples/changeset, three repositories as a user clones
// them, through the built CLI: each member, producers first, in a throwaway worktree with its
// producers' work trees linked in (sdk's client generated from the service's schema as it is now,
// web's `@changeset-example/sdk` the sdk's work tree, not the copy npm installed), its validate
// commands run confined. Untouched, every member passes; a breaking change left uncommitted in the
// service (an operation renamed) fails the sdk and the web app, each naming its failing test,
// before anything is committed or merged; no checkout is written.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { lstatSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeChangeset } from '../../support/changesetExample';
import { buildCli, runCli } from '../../support/cli/cliKit';

interface Member {
  name: string;
  at?: string;
  status: string;
  linked: { producer: string; via: string; step: string }[];
  commands: { command: string; outcome: { status: string; failing?: string[] } }[];
}

const status = (repo: string) => execFileSync('git', ['status', '--porcelain'], { cwd: repo, encoding: 'utf8' });

test("check workspace --combined: each member's checks with its producers' heads linked in; a producer's breaking change fails its consumers, naming their tests", async () => {
  buildCli();
  const dir = makeChangeset();
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund'], { cwd: join(dir, 'web'), stdio: 'pipe' });
  const check = async (...more: string[]) => {
    const result = await runCli(['check', 'workspace', '--combined', '--json', ...more], { cwd: join(dir, 'web') });
    return { code: result.code, stderr: result.stderr, report: JSON.parse(result.stdout) as { members: Member[] } };
  };

  const green = await check();
  assert.equal(green.code, 0, green.stderr);
  assert.deepEqual(
    green.report.members.map((m) => [m.name, m.status, m.linked.map((l) => `${l.producer} via ${l.via}: ${l.step}`)]),
    [
      ['service', 'passed', []],
      ['sdk', 'passed', ['service via openapi: node scripts/generate.mjs <service>/openapi.yaml src/client.js']],
      ['web', 'passed', ['sdk via npm: node_modules/@changeset-example/sdk']],
    ],
  );
  assert.match(green.stderr, /web: npm run test …/, 'each command said as it starts');

  const schema = join(dir, 'service/openapi.yaml');
  writeFileSync(
    schema,
    readFileSync(schema, 'utf8').replace('operationId: listProducts', 'operationId: listAllProducts'),
  );
  const client = readFileSync(join(dir, 'sdk/src/client.js'), 'utf8');
  const red = await check();
  assert.equal(red.code, 1, red.stderr);
  assert.deepEqual(
    red.report.members.map((m) => [m.name, m.status, m.commands.flatMap((c) => c.outcome.failing ?? [])]),
    [
      ['service', 'passed', []],
      ['sdk', 'failed', ['listProducts gets /products and gives its JSON']],
      ['web', 'failed', ['the list shows each product the API gives, its name escaped, its price in euros']],
    ],
  );
  // Nothing written into a checkout: the sdk's client as committed, web's sdk the copy npm installed.
  assert.equal(readFileSync(join(dir, 'sdk/src/client.js'), 'utf8'), client);
  assert.deepEqual([status(join(dir, 'sdk')), status(join(dir, 'web'))], ['', '']);
  assert.equal(lstatSync(join(dir, 'web/node_modules/@changeset-example/sdk')).isSymbolicLink(), false);

  // The change committed on the change-set's branch, the work tree back on main: --branch checks the branch.
  const service = join(dir, 'service');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: service, stdio: 'pipe' });
  git('checkout', '-q', '-b', 'rename');
  git('commit', '-q', '-am', 'rename listProducts');
  git('checkout', '-q', '-');
  assert.equal((await check()).code, 0, 'the work trees as they are: nothing renamed');
  const branch = await check('--branch=rename');
  assert.equal(branch.code, 1, branch.stderr);
  assert.deepEqual(
    branch.report.members.map((m) => [m.name, m.at, m.status]),
    [
      ['service', 'rename', 'passed'],
      ['sdk', 'HEAD (no rename)', 'failed'],
      ['web', 'HEAD (no rename)', 'failed'],
    ],
  );
});
