import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engine } from '../../../src/core/engine';
import type { EngineEvent } from '../../../src/core/events';
import { RunStop } from '../../../src/core/errors';
import type { RunContext } from '../../../src/core/pipeline/kernel/runContext';
import { syncAndReload } from '../../../src/core/pipeline/phases/syncPhase';
import { loadProjectFiles } from '../../../src/core/project/registry/projectFiles';
import { PRODUCT_MODULE } from '../../support/engine/fixtures';
import { makeShop } from '../../support/engine/shopWorkspace';
import { TestHost } from '../../support/engine/testHost';

test('syncRegistry runs the sync commands outside a run, only in a trusted workspace; a failure carries its output', async () => {
  const shop = makeShop({ git: false });
  try {
    shop.write('server/entities/product.js', PRODUCT_MODULE);
    const host = new TestHost();

    host.trusted = false;
    await engine.syncRegistry({ workspace: shop.dir, host });
    assert.ok(!shop.read('.claude/entity-registry.json').includes('Product'));
    assert.ok(host.ofType('log').some((e) => e.level === 'warn' && /not trusted/.test(e.message)));

    host.trusted = true;
    await engine.syncRegistry({ workspace: shop.dir, host });
    const registry = JSON.parse(shop.read('.claude/entity-registry.json')) as { e: Record<string, unknown> };
    assert.deepEqual(registry.e.Product, { refs: [], subs: [], pattern: 'simple' });
    assert.deepEqual(
      host.ofType('phase.completed').map((e) => e.phase),
      ['SYNC', 'SYNC'],
    );

    // What the sync leaves is read as a run reads it: what cannot be used is reported.
    shop.write('.claude/memory.jsonl', `${shop.read('.claude/memory.jsonl')}\nnot json\n`);
    await engine.syncRegistry({ workspace: shop.dir, host });
    assert.ok(
      host
        .ofType('log')
        .some(
          (e) =>
            e.level === 'warn' && /^\.claude\/memory\.jsonl:\d+ not a JSON line, skipped: not json$/.test(e.message),
        ),
    );

    shop.write('server/entities/broken.js', 'module.exports = { meta: { name: "Broken", pattern: "weird" } };\n');
    await assert.rejects(engine.syncRegistry({ workspace: shop.dir, host }), (error: unknown) => {
      assert.ok(error instanceof RunStop);
      assert.match(
        error.report,
        /## Pipeline stopped: SYNC failed\n- Command: `node \.claude\/scripts\/sync-registry\.js` \(exit 1\)/,
      );
      assert.match(error.report, /pattern "weird" is not in _patterns/);
      return true;
    });
  } finally {
    shop.cleanup();
  }
});

test('a sync re-reads only the project files its commands rewrote', async () => {
  const shop = makeShop({ git: false });
  try {
    const host = new TestHost();
    const project = await loadProjectFiles(shop.dir);
    const rewrite = `node -e "const f='.claude/entity-registry.json';const r=JSON.parse(require('fs').readFileSync(f,'utf8'));r.e.Coupon={refs:[],subs:[]};require('fs').writeFileSync(f,JSON.stringify(r))"`;
    const ctx = {
      ...project,
      workspace: shop.dir,
      runId: 'sync-test',
      opts: {},
      state: () => ({}),
      host,
      emit: (e: EngineEvent) => host.onEvent(e),
    } as unknown as RunContext;
    const { registry, memory } = ctx;

    ctx.config = { ...project.config, sync: ['node -e 0'] };
    await syncAndReload(ctx, 'SYNC');
    assert.equal(ctx.registry, registry, 'unchanged: not read again');
    assert.equal(ctx.memory, memory);

    ctx.config = { ...project.config, sync: [rewrite] };
    await syncAndReload(ctx, 'SYNC');
    assert.notEqual(ctx.registry, registry);
    assert.ok(ctx.registry.entities.get('Coupon'), 'the rewritten registry was read');
    assert.equal(ctx.memory, memory, 'the memory graph was not touched');
  } finally {
    shop.cleanup();
  }
});
