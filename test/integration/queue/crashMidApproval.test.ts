// Issue 31, point 1, as attacks, on the embedded store and on PostgreSQL: a real `orchestrator
// serve` is killed with SIGKILL while an approval's validate command runs (a command that
// sleeps). The next process on the repository (`serve` again; `orchestrator mcp` through the MCP
// SDK's stdio client) finds the interrupted approval: the workspace is as before, the decision can
// be taken at once (no 409 for the hold's length), and a rejection leaves nothing. A hold left by a
// dead process with no journal at all is taken over at once too.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { engine } from '../../../src/core/engine';
import { holderName } from '../../../src/core/queue/approvalJournal';
import { processStartTime } from '../../../src/core/journal/processStart';
import { Accounts } from '../../../src/portal/accounts';
import { freshDatabase, usePostgres } from '../../support/postgres';
import { portalSignIn, startServe, type ServeProcess } from '../../support/serveProcess';
import { buildCli, CLI } from '../../support/cli/cliKit';
import { connect } from '../../support/mcp/mcpKit';
import { makeShop, type ShopWorkspace } from '../../support/engine/shopWorkspace';

// The repository's data folder (approval journals, the embedded queue) for this file's processes, shared with the servers it starts.
process.env.ORCHESTRATOR_DATA_DIR ??= mkdtempSync(join(tmpdir(), 'orch-data-'));
// The backend's validation: says it started (a file in the workspace's ignored node_modules: it runs in
// the sandbox, where nothing else is writable), then sleeps far longer than the test.
const MARK = join('node_modules', '.validating');
const SLEEPY = `node -e "require('fs').mkdirSync('node_modules', { recursive: true }); require('fs').writeFileSync('${MARK}', 'started'); setTimeout(() => {}, 300000)"`;
const FILE = 'server/errors.js';
const NEW_FILE = 'server/payments/refund.js';

const pg = usePostgres(buildCli);

async function until(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function sleepyShop(url?: string): ShopWorkspace {
  return makeShop({
    config: (yaml) =>
      `${yaml.replace('validate: ["node scripts/check-server.js server"]', `validate: [${JSON.stringify(SLEEPY)}]`)}${url ? `\nqueue:\n  url: ${url}\n` : ''}`,
  });
}

/** Two tasks awaiting review: a code artifact rewriting a tracked file, and one creating a file in a new folder. */
async function twoSubmissions(shop: ShopWorkspace): Promise<string[]> {
  const queue = await engine.openQueue(shop.dir, { trusted: true });
  try {
    await new Accounts(queue.store).put('sam', 'supervisor', 'sam-password-1');
    const ids: string[] = [];
    for (const [path, content] of [
      [FILE, 'module.exports = { broken: true };\n'],
      [NEW_FILE, 'module.exports = () => 1;\n'],
    ] as const) {
      const task = await queue.createTask({ title: `change ${path}`, description: '' }, 'cli');
      await queue.claim(task.id, 'agent-1');
      await queue.submitArtifact({ task_id: task.id, type: 'code', path, content }, 'agent-1');
      ids.push(task.id);
    }
    return ids;
  } finally {
    await queue.close();
  }
}

/** Approves through `serve` and kills it (SIGKILL) while the validate command sleeps; the half-applied state is checked first. */
async function approveAndKill(shop: ShopWorkspace, serve: ServeProcess, taskId: string, path: string): Promise<void> {
  const sam = await portalSignIn(serve.port, 'sam', 'sam-password-1');
  const pending = sam.send('POST', `/api/tasks/${taskId}/review`, { verdict: 'approved' }).catch(() => undefined);
  await until(() => existsSync(join(shop.dir, MARK)), 'the validate command started');
  assert.ok(
    existsSync(join(shop.dir, path)) &&
      shop.read(path) !==
        (spawnSync('git', ['show', `HEAD:${path}`], { cwd: shop.dir, encoding: 'utf8' }).stdout || '\0'),
    'the artifact is written while it validates',
  );
  serve.child.kill('SIGKILL');
  await serve.stop();
  await pending;
  // The sandboxed validate command dies with serve (bubblewrap's --die-with-parent): nothing is left running.
  rmSync(join(shop.dir, MARK), { force: true });
}

const clean = (shop: ShopWorkspace) => shop.git('status', '--porcelain', '--untracked-files=all').trim();

for (const store of ['embedded', 'postgresql'] as const) {
  test(`${store}: serve killed -9 mid-validation; the next serve puts the workspace back, the decision is taken at once, a rejection leaves nothing`, async () => {
    const url = store === 'postgresql' ? await freshDatabase(pg, 'crash') : undefined;
    const shop = sleepyShop(url);
    const servers: ServeProcess[] = [];
    try {
      const [modified, created] = await twoSubmissions(shop);
      const original = shop.read(FILE);
      servers.push(await startServe(shop.dir));
      await approveAndKill(shop, servers[0]!, modified!, FILE);
      assert.notEqual(shop.read(FILE), original, 'before the restart the half-applied file is there');

      servers.push(await startServe(shop.dir));
      const restarted = servers[1]!;
      assert.match(
        restarted.stderr(),
        /approval of artifact a-[0-9a-f]+ by sam was interrupted \(its process ended\); put back as they were: server\/errors\.js/,
      );
      assert.equal(shop.read(FILE), original, 'the file is as it was');
      assert.equal(clean(shop), '', 'the workspace is as before');
      const sam = await portalSignIn(restarted.port, 'sam', 'sam-password-1');
      const started = Date.now();
      const rejected = await sam.send('POST', `/api/tasks/${modified}/review`, {
        verdict: 'rejected',
        comment: 'not this way',
      });
      assert.equal(rejected.status, 200, JSON.stringify(rejected.json));
      assert.ok(Date.now() - started < 10_000, 'no wait for the hold to lapse');
      assert.equal(rejected.json.task.status, 'in_progress');
      assert.equal(clean(shop), '', 'a rejection leaves nothing');

      // The second task: a file in a new folder, killed again; this time the recovery comes from `orchestrator mcp` (stdio, the SDK's client).
      await approveAndKill(shop, restarted, created!, NEW_FILE);
      assert.ok(existsSync(join(shop.dir, NEW_FILE)));
      const transport = new StdioClientTransport({
        command: process.execPath,
        args: [CLI, 'mcp', '--workspace', shop.dir],
        stderr: 'pipe',
        env: { ...process.env } as Record<string, string>,
      });
      let said = '';
      transport.stderr?.on('data', (chunk: Buffer) => (said += chunk.toString()));
      const mcp = await connect(transport, 'recovering-client');
      try {
        assert.equal((await mcp.call('list_tasks', {})).isError, undefined);
        await until(
          () => /put back as they were: server\/payments\/refund\.js/.test(said),
          'mcp said what it put back',
          5000,
        );
        assert.equal(existsSync(join(shop.dir, 'server/payments')), false, 'the created folder is gone');
        assert.equal(clean(shop), '');
      } finally {
        await mcp.client.close();
      }
      const queue = await engine.openQueue(shop.dir, { trusted: true });
      try {
        const outcome = await queue.review({ taskId: created!, verdict: 'rejected', reviewer: 'sam' });
        assert.equal(outcome.task.status, 'in_progress', 'decided at once');
      } finally {
        await queue.close();
      }
      assert.equal(clean(shop), '');
    } finally {
      for (const s of servers) await s.stop();
      shop.cleanup();
    }
  });

  test(`${store}: a hold left by a dead process on this host (no journal) is taken over at once; a live one is not`, async () => {
    const url = store === 'postgresql' ? await freshDatabase(pg, 'takeover') : undefined;
    const shop = makeShop(url ? { config: (yaml) => `${yaml}\nqueue:\n  url: ${url}\n` } : {});
    const queue = await engine.openQueue(shop.dir, { trusted: true });
    try {
      const task = await queue.createTask({ title: 'x', description: '' }, 'cli');
      await queue.claim(task.id, 'agent-1');
      const artifact = await queue.submitArtifact({ task_id: task.id, type: 'text', content: 'notes' }, 'agent-1');
      // A process that held the decision and ended: its pid is dead now.
      const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
        encoding: 'utf8',
      }).stdout;
      const deadHolder = holderName('ghost', 'x').replace(`|${process.pid}|`, `|${dead}|`);
      assert.equal(await queue.store.holdDecision(artifact.id, deadHolder, new Date(), 3600), true);
      const outcome = await queue.review({ taskId: task.id, verdict: 'approved', reviewer: 'sam' });
      assert.equal(outcome.task.status, 'done', 'taken over without waiting an hour');

      // A live holder (another process on this host: our parent) is respected until its hold lapses.
      const second = await queue.createTask({ title: 'y', description: '' }, 'cli');
      await queue.claim(second.id, 'agent-1');
      const other = await queue.submitArtifact({ task_id: second.id, type: 'text', content: 'notes' }, 'agent-1');
      const alive = `someone#y|${hostname()}|${process.ppid}|${processStartTime(process.ppid) ?? ''}`;
      assert.equal(await queue.store.holdDecision(other.id, alive, new Date(), 3600), true);
      await assert.rejects(
        queue.review({ taskId: second.id, verdict: 'approved', reviewer: 'sam' }),
        /being decided or was decided by someone else/,
      );
    } finally {
      await queue.close();
      shop.cleanup();
    }
  });
}
