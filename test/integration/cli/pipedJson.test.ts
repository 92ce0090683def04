// `task list --json | cat`: the whole JSON reaches the pipe before the CLI exits (the process
// used to exit with most of a large answer still unwritten).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { before, test } from 'node:test';
import { SqliteQueueStore } from '../../../src/core/queue/sqliteStore';
import { queueDbPath } from '../../../src/core/queue/openStore';
import { makeShop } from '../../support/engine/shopWorkspace';
import { buildCli, CLI } from '../../support/cli/cliKit';

before(() => buildCli());

test('cli: task list --json | cat with 1,000 tasks gives all 1,000, parsed', async () => {
  const shop = makeShop({ git: false });
  try {
    const store = new SqliteQueueStore(queueDbPath(shop.dir));
    await store.open();
    const at = new Date('2026-11-22T10:00:00.000Z');
    for (let i = 0; i < 1000; i++)
      await store.createTask(
        { title: `task ${i} ${'x'.repeat(250)}`, description: 'd'.repeat(200) },
        new Date(at.getTime() + i),
      );
    await store.close();
    const piped = spawnSync(
      'sh',
      ['-c', `"${process.execPath}" "${CLI}" task list --json --workspace "${shop.dir}" | cat`],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    assert.equal(piped.status, 0, piped.stderr);
    assert.ok(piped.stdout.length > 400_000, `${piped.stdout.length} bytes: more than a pipe holds at once`);
    const tasks = JSON.parse(piped.stdout) as { title: string }[];
    assert.equal(tasks.length, 1000);
    assert.equal(tasks.at(-1)!.title.startsWith('task 999 '), true);
  } finally {
    shop.cleanup();
  }
});

test('cli: a reader that goes away (`orchestrator feature --help | true`) ends nothing in a stack trace: the command exits with its own code', async () => {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, [CLI, 'feature', '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy(); // the pipe's reader is gone before the CLI writes
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((done) => child.on('close', done));
  assert.equal(stderr, '');
  assert.equal(code, 0);
});
