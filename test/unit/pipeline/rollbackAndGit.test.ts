import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { engine } from '../../../src/core/engine';
import { block, reply } from '../../support/messagesApiServer';
import { say, specAnswer, writesThenDone } from '../../support/engine/agentScript';
import { PRODUCT_MIGRATION, PRODUCT_MODULE, PRODUCT_SCREEN, PRODUCT_SPEC } from '../../support/engine/fixtures';
import { harness } from '../../support/engine/harness';

/** Every file's bytes, outside the orchestrator's own folders. */
function snapshot(dir: string, prefix = ''): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const name of readdirSync(join(dir, prefix)).sort()) {
    const rel = prefix ? `${prefix}/${name}` : name;
    if (['.git', '.claude', 'spec'].includes(rel)) continue;
    if (statSync(join(dir, rel)).isDirectory()) for (const [k, v] of snapshot(dir, rel)) out.set(k, v);
    else out.set(rel, readFileSync(join(dir, rel)));
  }
  return out;
}

const agents = {
  spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC),
  database: writesThenDone({ 'db/migrations/003_create_product.sql': PRODUCT_MIGRATION }),
  backend: ({ turn }: { turn: number }) => {
    if (turn === 0) {
      return reply.turn([
        block.toolUse('write_file', { path: 'server/entities/product.js', content: PRODUCT_MODULE }),
        block.toolUse('edit_file', {
          path: 'server/entities/customer.js',
          old_text: "'name is required'",
          new_text: "'a name is required'",
        }),
      ]);
    }
    return say.done();
  },
  frontend: ({ turn }: { turn: number }) => {
    if (turn === 0) {
      return reply.turn([
        block.toolUse('write_file', {
          path: 'web/src/products/list.js',
          content: PRODUCT_SCREEN.replace("'./api.js'", "'../api.js'"),
        }),
        block.toolUse('delete_file', { path: 'web/index.html' }),
      ]);
    }
    return say.done();
  },
  review: () => say.approve(),
};

test('rollback: restores byte-exact the files the run wrote or deleted, removes only what it created', async () => {
  const h = await harness(agents);
  try {
    // The user's own uncommitted work must survive the run and its rollback.
    h.shop.write('README.md', `${h.shop.read('README.md')}\nlocal note\r\n`);
    h.shop.write('notes.txt', 'untracked\n');
    h.shop.git('stash', 'list');
    const before = snapshot(h.shop.dir);
    const head = h.shop.git('rev-parse', 'HEAD').trim();
    const status = h.shop.git('status', '--porcelain', '--', '.', ':!.claude', ':!spec');

    const summary = await engine.runFeature('Add a Product entity with name and price', h.options());
    assert.equal(summary.status, 'completed', summary.error);
    const changes = await engine.runChanges(h.shop.dir, summary.runId);
    assert.deepEqual(changes, [
      { path: 'db/migrations/003_create_product.sql', status: 'added' },
      { path: 'server/entities/customer.js', status: 'modified' },
      { path: 'server/entities/product.js', status: 'added' },
      { path: 'web/index.html', status: 'deleted' },
      { path: 'web/src/products/list.js', status: 'added' },
    ]);
    assert.deepEqual(
      await engine.fileAtCheckpoint(h.shop.dir, summary.runId, 'server/entities/customer.js'),
      before.get('server/entities/customer.js'),
    );
    assert.equal(await engine.fileAtCheckpoint(h.shop.dir, summary.runId, 'server/entities/product.js'), undefined);

    const report = await engine.rollback(h.shop.dir, summary.runId);
    assert.deepEqual(report.restored, ['server/entities/customer.js', 'web/index.html']);
    assert.deepEqual(report.removed, [
      'db/migrations/003_create_product.sql',
      'server/entities/product.js',
      'web/src/products/list.js',
    ]);
    const after = snapshot(h.shop.dir);
    assert.deepEqual([...after.keys()], [...before.keys()]);
    for (const [path, bytes] of before) assert.ok(after.get(path)!.equals(bytes), `${path} is byte-identical`);
    assert.ok(!existsSync(join(h.shop.dir, 'web/src/products')), 'the folder the run created is gone');
    assert.equal(h.shop.git('rev-parse', 'HEAD').trim(), head);
    assert.equal(h.shop.git('status', '--porcelain', '--', '.', ':!.claude', ':!spec'), status);
    assert.equal(h.shop.git('stash', 'list'), '');

    // Journaled: the run is rolled back, so it is neither resumed nor rolled back twice.
    assert.equal((await engine.listRuns(h.shop.dir))[0]!.status, 'rolled-back');
    await assert.rejects(engine.resumeRun(summary.runId, h.options()), /was rolled back; start a new run/);
    await assert.rejects(engine.rollback(h.shop.dir, summary.runId), /already rolled back/);
  } finally {
    await h.close();
  }
});

test('no git: the run works without checkpoints (warning), the review reads the files, rollback is refused', async () => {
  // Without sync commands, COMPLETE updates the registry from the spec itself.
  const h = await harness(agents, { git: false, config: (yaml) => yaml.replace(/\nsync: .*\n/, '\nsync: []\n') });
  try {
    const summary = await engine.runFeature('Add a Product entity with name and price', h.options());
    assert.equal(summary.status, 'completed', summary.error);
    assert.ok(!existsSync(join(h.shop.dir, '.git')));
    const warnings = h.host
      .ofType('log')
      .filter((e) => e.level === 'warn')
      .map((e) => e.message);
    assert.ok(
      warnings.some((m) => /not a git repository/.test(m)),
      warnings.join('\n'),
    );
    assert.ok(warnings.some((m) => /No git checkpoint: the review sees the changed files/.test(m)));
    assert.equal(h.host.ofType('checkpoint.created').length, 0);
    const review = h.callsOf('review')[0]!;
    assert.match(review.task, /\+\+\+ server\/entities\/product\.js \(created\)\n\+\/\/ Product/);
    assert.match(review.task, /--- web\/index\.html \(deleted\)/);
    const changes = await engine.runChanges(h.shop.dir, summary.runId);
    assert.equal(changes.find((c) => c.path === 'web/index.html')?.status, 'deleted');
    await assert.rejects(engine.rollback(h.shop.dir, summary.runId), /no git checkpoint/);
    const registry = JSON.parse(h.shop.read('.claude/entity-registry.json')) as { e: Record<string, unknown> };
    assert.deepEqual(registry.e.Product, { pattern: 'simple', refs: [], subs: [] });
    assert.ok(
      h.host
        .ofType('log')
        .some(
          (e) => e.message === 'COMPLETE: registry entry Product added from the spec (.claude/entity-registry.json)',
        ),
    );
  } finally {
    await h.close();
  }
});
