// Issue 31, point 2, as attacks: the team's data does not live where `git clean -X` deletes it.
// - `git clean -fdX` (and -fdx) while `serve` runs: webhooks keep working, and after a restart
//   every task and account is still there (embedded store and PostgreSQL);
// - the database file itself deleted or replaced under a running `serve`: the next write is not
//   acknowledged (503) and the process stops with a clear error;
// - truncated in place (same inode: SQLite would go on writing its WAL and answering from its
//   cache, and a restart found an empty queue): the same, and the restart says what happened;
// - a queue an earlier version kept in `.claude/runs/` is moved to the data folder once, with a
//   notice, nothing lost; the store's files are the owner's only (0600, folder 0700).
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, rmSync, statSync, truncateSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { engine } from '../../../src/core/engine';
import { queueDbPath } from '../../../src/core/queue/openStore';
import { SqliteQueueStore } from '../../../src/core/queue/sqliteStore';
import { Accounts } from '../../../src/portal/accounts';
import { hashPassword } from '../../../src/portal/credentials';
import { signedHeaders } from '../../../src/portal/webhooks';
import { freshDatabase, usePostgres } from '../../support/postgres';
import { portalCall, portalSignIn, startServe, type ServeProcess } from '../../support/serveProcess';
import { buildCli } from '../../support/cli/cliKit';
import { portalWorld } from '../../support/portal/portalKit';
import { makeShop, type ShopWorkspace } from '../../support/engine/shopWorkspace';

const SECRET = 'whsec-deleted-store-test';
const pg = usePostgres(buildCli);

async function addSam(shop: ShopWorkspace): Promise<void> {
  const queue = await engine.openQueue(shop.dir, { trusted: true });
  try {
    await new Accounts(queue.store).put('sam', 'supervisor', 'sam-password-1');
  } finally {
    await queue.close();
  }
}

function webhook(port: number, title: string, delivery: string) {
  const body = JSON.stringify({ title, requester: 'mia@example.com' });
  return portalCall(
    port,
    'POST',
    '/webhooks/tasks',
    { 'content-type': 'application/json', ...signedHeaders(SECRET, body), 'x-orchestrator-delivery': delivery },
    body,
  );
}

const ended = (serve: ServeProcess) =>
  new Promise<number | null>((resolve) =>
    serve.child.exitCode !== null ? resolve(serve.child.exitCode) : serve.child.once('exit', (code) => resolve(code)),
  );

for (const store of ['embedded', 'postgresql'] as const) {
  test(`${store}: git clean -fdX and -fdx while serving lose no task and no account; the embedded file is 0600 in a 0700 folder`, async () => {
    const url = store === 'postgresql' ? await freshDatabase(pg, 'clean') : undefined;
    const shop = makeShop(url ? { config: (yaml) => `${yaml}\nqueue:\n  url: ${url}\n` } : {});
    const servers: ServeProcess[] = [];
    try {
      await addSam(shop);
      servers.push(await startServe(shop.dir, { ORCHESTRATOR_WEBHOOK_SECRET: SECRET }));
      assert.equal((await webhook(servers[0]!.port, 'before the clean', 'd-1')).status, 201);
      shop.git('clean', '-fdX');
      assert.equal((await webhook(servers[0]!.port, 'after clean -X', 'd-2')).status, 201);
      shop.git('clean', '-fdx');
      assert.equal((await webhook(servers[0]!.port, 'after clean -x', 'd-3')).status, 201);
      assert.equal(
        (await portalSignIn(servers[0]!.port, 'sam', 'sam-password-1')).cookie.startsWith('orch_session='),
        true,
      );
      await servers[0]!.stop();

      servers.push(await startServe(shop.dir, { ORCHESTRATOR_WEBHOOK_SECRET: SECRET }));
      const sam = await portalSignIn(servers[1]!.port, 'sam', 'sam-password-1');
      const tasks = await sam.send('GET', '/api/tasks');
      const titles = (Array.isArray(tasks.json) ? tasks.json : tasks.json.tasks)
        .map((t: { title: string }) => t.title)
        .sort();
      assert.deepEqual(titles, ['after clean -X', 'after clean -x', 'before the clean']);
      if (store === 'embedded') {
        const file = queueDbPath(shop.dir);
        assert.ok(!file.startsWith(shop.dir), `${file} is outside the working tree`);
        assert.equal(statSync(file).mode & 0o777, 0o600, 'the database: owner only');
        for (const side of ['-wal', '-shm'])
          if (existsSync(file + side)) assert.equal(statSync(file + side).mode & 0o777, 0o600, side);
        assert.equal(statSync(dirname(file)).mode & 0o777, 0o700, 'its folder: owner only');
      }
    } finally {
      for (const s of servers) await s.stop();
      shop.cleanup();
    }
  });
}

/**
 * A serve that acknowledged one webhook, then its database file `lose`s under it: its answer to
 * the next webhook must not be an acknowledgement (503 when that request finds the loss; refused
 * when serve's 2-second look found it first and stopped), and serve ends with an error.
 */
async function loseUnderServe(shop: ShopWorkspace, lose: (file: string) => void): Promise<ServeProcess> {
  await addSam(shop);
  const serve = await startServe(shop.dir, { ORCHESTRATOR_WEBHOOK_SECRET: SECRET });
  const exit = ended(serve);
  assert.equal((await webhook(serve.port, 'kept', 'd-1')).status, 201);
  lose(queueDbPath(shop.dir));
  const reply = await webhook(serve.port, 'into the void', 'd-2').catch((error: Error) => ({
    status: 0,
    json: { error: error.message },
  }));
  if (reply.status === 503) assert.match(reply.json.error, /nothing was stored/);
  else assert.match(reply.json.error, /ECONNREFUSED|ECONNRESET|socket hang up/, `never acknowledged (${reply.status})`);
  assert.notEqual(await exit, 0, 'serve stopped with an error');
  return serve;
}

test('the database file deleted under a running serve: the next webhook is not acknowledged (503) and serve stops naming the file', async () => {
  const shop = makeShop();
  try {
    const serve = await loseUnderServe(shop, (file) => {
      for (const side of ['', '-wal', '-shm']) rmSync(file + side, { force: true });
    });
    assert.match(
      serve.stderr(),
      /the queue database .*queue\.db was deleted while this process was using it: stopping without acknowledging anything more/,
    );
  } finally {
    shop.cleanup();
  }
});

test('the database file truncated in place under a running serve: the next webhook is not acknowledged (503, or refused once serve stopped), serve stops naming the file, and the restart refuses the damaged queue', async () => {
  const shop = makeShop();
  try {
    const serve = await loseUnderServe(shop, (file) => {
      const inode = statSync(file).ino;
      truncateSync(file, 0);
      assert.equal(statSync(file).ino, inode, 'the same file, emptied');
    });
    assert.match(
      serve.stderr(),
      /the queue database .*queue\.db was truncated \(0 bytes, it had \d+\) while this process was using it: stopping without acknowledging anything more/,
    );
    // The restart finds the file marked: refused by name, never served as an empty queue.
    const again = await startServe(shop.dir, { ORCHESTRATOR_WEBHOOK_SECRET: SECRET }).then(
      async (restarted) => (await restarted.stop(), `started: ${restarted.stderr()}`),
      (error: Error) => error.message,
    );
    assert.match(
      again,
      /serve ended before listening: .*the queue database .*queue\.db was truncated \(0 bytes, it had \d+\) while process \d+ was using it, .*: what it held is gone, so it is not opened as an empty queue/,
    );
  } finally {
    shop.cleanup();
  }
});

test('the database file truncated in place under the portal: the next webhook and every call after it are answered 503, and nothing was stored', async () => {
  const world = await portalWorld({ webhookSecret: SECRET });
  try {
    const sam = await world.signIn('sam');
    assert.equal((await webhook(world.port, 'kept', 'd-1')).status, 201);
    truncateSync(queueDbPath(world.shop.dir), 0);
    const reply = await webhook(world.port, 'into the void', 'd-2');
    assert.equal(reply.status, 503, 'the write that went into the emptied file is not acknowledged');
    assert.match(
      reply.json.error,
      /the queue is unavailable \(its store was lost under this server\): nothing was stored/,
    );
    assert.doesNotMatch(reply.json.error, /queue\.db/, 'the data folder is not told to the caller');
    assert.equal((await webhook(world.port, 'after it', 'd-3')).status, 503, 'refused before it runs');
    assert.equal((await world.as(sam, 'GET', '/api/tasks')).status, 503, 'a signed-in read too');
  } finally {
    await world.close();
  }
});

test('the database file replaced under a store (a copy restored over it): every later call is refused and the listeners are told', async () => {
  const shop = makeShop();
  try {
    const file = queueDbPath(shop.dir);
    const store = new SqliteQueueStore(file);
    await store.open();
    let told: Error | undefined;
    store.onLost((error) => (told = error));
    await store.createTask({ title: 'one' }, new Date());
    copyFileSync(file, `${file}.copy`);
    rmSync(file);
    copyFileSync(`${file}.copy`, file);
    await assert.rejects(
      store.createTask({ title: 'two' }, new Date()),
      /was replaced while this process was using it/,
    );
    assert.match(String(told?.message), /was replaced/);
    await assert.rejects(store.listTasks(), /was replaced/);
    await store.close();
  } finally {
    shop.cleanup();
  }
});

test('a queue an earlier version kept in .claude/runs/ moves to the data folder once, with a notice; nothing is lost', async () => {
  const shop = makeShop();
  try {
    const old = join(shop.dir, '.claude/runs/queue.db');
    const earlier = new SqliteQueueStore(old);
    await earlier.open();
    const task = await earlier.createTask({ title: 'from before the move' }, new Date());
    await earlier.putAccount(
      { name: 'sam', role: 'supervisor', passwordHash: await hashPassword('sam-password-1') },
      new Date(),
    );
    await earlier.close();

    const serve = await startServe(shop.dir);
    try {
      assert.match(
        serve.stderr(),
        /moved the queue \(tasks, accounts, sessions, token hashes\) from \.claude\/runs\/queue\.db in the working tree to .*queue\.db, where `git clean` cannot delete it/,
      );
      assert.equal(existsSync(old), false, 'the working tree holds it no more');
      const sam = await portalSignIn(serve.port, 'sam', 'sam-password-1');
      assert.equal((await sam.send('GET', `/api/tasks/${task.id}`)).json.title, 'from before the move');
    } finally {
      await serve.stop();
    }
    // Once: a second start says nothing about moving.
    const again = await startServe(shop.dir);
    await again.stop();
    assert.doesNotMatch(again.stderr(), /moved the queue/);
  } finally {
    shop.cleanup();
  }
});
