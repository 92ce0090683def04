// `git status` after every CLI command (issue 19): a command shows in the working tree only
// what it was asked to write. Run-time state (journals, lock, outbox, the task queue with its
// -wal/-shm and decisions log) lives in .claude/runs/, which ignores itself: the workspace's
// own .gitignore here does not mention it.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { queueDbPath } from '../../../src/core/queue/openStore';
import { startMessagesApiServer } from '../../support/messagesApiServer';
import { pipelineScript, productAgents } from '../../support/engine/agentScript';
import { makeShop } from '../../support/engine/shopWorkspace';
import { buildCli, jsonOf, runCli } from '../../support/cli/cliKit';

before(() => buildCli());

const PRODUCT_FILES = ['db/migrations/003_create_product.sql', 'server/entities/product.js', 'web/src/products.js'];

test('cli: git status after each command shows only what the command was asked to write', async () => {
  const scripted = pipelineScript(productAgents());
  const api = await startMessagesApiServer(scripted.script);
  // A .gitignore that knows nothing of the Orchestrator.
  const shop = makeShop({ files: { '.gitignore': 'node_modules/\n' } });
  const status = (): string[] =>
    execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: shop.dir, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((line) => line.slice(3))
      .sort();
  const cli = async (...args: string[]) => {
    const result = await runCli(args, { cwd: shop.dir, baseURL: api.url });
    assert.ok(result.code === 0, `${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    return result;
  };
  try {
    for (const args of [
      ['--version'],
      ['specs'],
      ['runs'],
      ['gc'],
      ['task', 'add', 'Write the changelog'],
      ['task', 'list'],
    ]) {
      await cli(...args);
      assert.deepEqual(status(), [], `after ${args.join(' ')}`);
    }
    assert.ok(
      existsSync(queueDbPath(shop.dir)) && !existsSync(join(shop.dir, '.claude/runs/queue.db')),
      'the queue is in the data folder, not the working tree',
    );

    // A feature whose spec is saved: the spec, nothing else.
    const saved = jsonOf(await cli('feature', 'Add a Product entity with name and price', '--json'));
    assert.equal(saved.status, 'spec-saved');
    const specPath = String(saved.specPath);
    assert.deepEqual(status(), [specPath], 'after feature');
    const specId = specPath.split('/').at(-2)!;
    execFileSync('git', ['add', '-A'], { cwd: shop.dir });
    execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', 'commit', '-qm', 'spec'], {
      cwd: shop.dir,
    });

    // Its approval: the layers' files and the spec (its status, then its move to completed).
    const done = jsonOf(await cli('approve', specId, '--yes', '--json'));
    assert.equal(done.status, 'completed');
    assert.deepEqual(done.filesChanged, PRODUCT_FILES);
    const changed = status();
    for (const file of PRODUCT_FILES) assert.ok(changed.includes(file), `${file} in ${changed.join(', ')}`);
    const extra = changed.filter((file) => !PRODUCT_FILES.includes(file));
    assert.ok(
      extra.every(
        (file) =>
          file.startsWith('spec/') || file === '.claude/entity-registry.json' || file === '.claude/memory.jsonl',
      ),
      `only the spec and project knowledge besides: ${extra.join(', ')}`,
    );
    assert.ok(!changed.some((file) => file.startsWith('.claude/runs')), 'no run-time state');
    execFileSync('git', ['add', '-A'], { cwd: shop.dir });
    execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', 'commit', '-qm', 'product'], {
      cwd: shop.dir,
    });

    const runId = String(done.runId);
    for (const args of [['runs'], ['events', runId], ['trace', specId], ['resume']]) {
      const result = await runCli(args, { cwd: shop.dir, baseURL: api.url });
      assert.ok(result.code === 0 || args[0] === 'resume', `${args.join(' ')}: ${result.stderr}`);
      assert.deepEqual(status(), [], `after ${args.join(' ')}`);
    }
    await cli('trace', specId, '--md', 'trace.md');
    assert.deepEqual(status(), ['trace.md'], 'after trace --md trace.md');
  } finally {
    await api.close();
    shop.cleanup();
  }
});
