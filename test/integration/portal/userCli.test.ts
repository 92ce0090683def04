// `orchestrator serve` and `orchestrator user …`: arguments, and the accounts the CLI makes
// (password piped on stdin, one line; an agent's token printed once, revoked at once).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { before, test } from 'node:test';
import { parseArgs } from '../../../src/cli/args';
import { engine } from '../../../src/core/engine';
import { Accounts } from '../../../src/portal/accounts';
import { buildCli, CLI } from '../../support/cli/cliKit';
import { makeShop } from '../../support/engine/shopWorkspace';

before(() => buildCli());

const parse = (...argv: string[]) => parseArgs(argv, '/ws');

test('serve and user take their own options; mistakes are usage errors', () => {
  const serve = parse('serve', '--port', '8080', '--host', '0.0.0.0');
  assert.deepEqual([serve.command, serve.port, serve.host], ['serve', '8080', '0.0.0.0']);
  const add = parse('user', 'add', 'ada', '--role', 'admin');
  assert.deepEqual([add.command, add.subcommand, add.positional, add.role], ['user', 'add', 'ada', 'admin']);
  const revoke = parse('user', 'token', 'bot', '--revoke');
  assert.deepEqual([revoke.subcommand, revoke.positional, revoke.revoke], ['token', 'bot', true]);
  const cases: [string[], RegExp][] = [
    [['user'], /user needs add, list or token \(got nothing\)/],
    [['user', 'add', 'ada'], /user add needs --role/],
    [['user', 'add', '--role', 'admin'], /user add needs one account name/],
    [['user', 'token', 'bot', '--role', 'agent'], /--role belongs to user add/],
    [['user', 'add', 'x', '--role', 'agent', '--revoke'], /--revoke belongs to user token/],
    [['serve', '--port', '99999'], /--port needs a port number/],
    [['serve', '--role', 'admin'], /--role belongs to user/],
    [['task', 'list', '--revoke'], /--revoke belongs to user token/],
  ];
  for (const [argv, message] of cases) assert.throws(() => parse(...argv), message, argv.join(' '));
});

const cli = (dir: string, input: string, ...args: string[]) =>
  spawnSync(process.execPath, [CLI, ...args, '--workspace', dir], {
    input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });

test('user add reads the password from a pipe (one line) and stores only its bcrypt hash; user token prints a token once; --revoke stops it', async () => {
  const shop = makeShop();
  try {
    const added = cli(shop.dir, 'correct horse battery\n', 'user', 'add', 'ada', '--role', 'supervisor');
    assert.equal(added.status, 0, added.stderr);
    assert.equal(added.stdout, 'added ada (supervisor)\n');
    const short = cli(shop.dir, 'short\n', 'user', 'add', 'leo', '--role', 'admin');
    assert.equal(short.status, 2);
    assert.match(short.stderr, /at least 8 characters/);
    assert.equal(cli(shop.dir, '\n', 'user', 'add', 'bot', '--role', 'agent').status, 0);
    const notAgent = cli(shop.dir, '', 'user', 'token', 'ada');
    assert.equal(notAgent.status, 2);
    assert.match(notAgent.stderr, /ada is a supervisor: MCP tokens are for agent accounts/);
    const issued = cli(shop.dir, '', 'user', 'token', 'bot');
    assert.equal(issued.status, 0, issued.stderr);
    const token = issued.stdout.trim();
    assert.match(token, /^orch_[A-Za-z0-9_-]{43}$/);
    assert.match(issued.stderr, /shown only now/);

    const queue = await engine.openQueue(shop.dir, { trusted: true });
    try {
      const accounts = new Accounts(queue.store);
      const stored = await queue.store.getAccount('ada');
      assert.match(stored!.passwordHash!, /^\$2[aby]\$11\$/);
      assert.ok(await accounts.signIn('ada', 'correct horse battery'));
      assert.equal(await accounts.signIn('ada', 'correct horse'), undefined);
      assert.equal((await accounts.byToken(token))?.name, 'bot');
      assert.equal(cli(shop.dir, '', 'user', 'token', 'bot', '--revoke').status, 0);
      assert.equal(await accounts.byToken(token), undefined);
    } finally {
      await queue.close();
    }
    const list = cli(shop.dir, '', 'user', 'list', '--json');
    assert.deepEqual(
      JSON.parse(list.stdout).map((a: { name: string; role: string; hasToken: boolean }) => [
        a.name,
        a.role,
        a.hasToken,
      ]),
      [
        ['ada', 'supervisor', false],
        ['bot', 'agent', false],
      ],
    );
    assert.doesNotMatch(list.stdout, /passwordHash|\$2/);
  } finally {
    shop.cleanup();
  }
});

test('user add --email: an account that signs in through OpenID Connect needs no password; emails are unique, lower-case, removable', () => {
  const shop = makeShop();
  try {
    const added = cli(shop.dir, '\n', 'user', 'add', 'sam', '--role', 'supervisor', '--email', 'Sam@Example.com');
    assert.equal(added.status, 0, added.stderr);
    assert.equal(added.stdout, 'added sam (supervisor, sam@example.com)\n');
    const taken = cli(shop.dir, '\n', 'user', 'add', 'eve', '--role', 'supervisor', '--email', 'sam@example.com');
    assert.equal(taken.status, 2);
    assert.match(taken.stderr, /sam@example\.com is already the email of sam/);
    const bad = cli(shop.dir, '\n', 'user', 'add', 'eve', '--role', 'supervisor', '--email', 'not an email');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /is not an email address/);
    const noWayIn = cli(shop.dir, '\n', 'user', 'add', 'eve', '--role', 'supervisor');
    assert.equal(noWayIn.status, 2);
    assert.match(noWayIn.stderr, /the password needs at least 8 characters/);
    const list = JSON.parse(cli(shop.dir, '', 'user', 'list', '--json').stdout) as { name: string; email: string }[];
    assert.deepEqual(
      list.map((a) => [a.name, a.email]),
      [['sam', 'sam@example.com']],
    );
    // An email removed (-) leaves the password as the way in.
    assert.equal(cli(shop.dir, 'a long password\n', 'user', 'add', 'sam', '--role', 'supervisor').status, 0);
    assert.equal(cli(shop.dir, '\n', 'user', 'add', 'sam', '--role', 'supervisor', '--email', '-').status, 0);
    assert.deepEqual(
      (JSON.parse(cli(shop.dir, '', 'user', 'list', '--json').stdout) as { email: string }[]).map((a) => a.email),
      [''],
    );
    assert.throws(() => parse('user', 'token', 'sam', '--email', 'a@b.c'), /--email belongs to user add/);
  } finally {
    shop.cleanup();
  }
});
