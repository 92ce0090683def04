import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { engine } from '../../../src/core/engine';
import { reply, type ScriptedReply } from '../../support/messagesApiServer';
import { say, specAnswer, writesThenDone } from '../../support/engine/agentScript';
import { PRODUCT_MIGRATION, PRODUCT_MODULE, PRODUCT_SCREEN, PRODUCT_SPEC } from '../../support/engine/fixtures';
import { harness, journalOf } from '../../support/engine/harness';

const PRODUCT_FILES = ['db/migrations/003_create_product.sql', 'server/entities/product.js', 'web/src/products.js'];

test('feature: a new entity goes SYNC → UNDERSTAND → SPEC → IMPLEMENT in waves → REVIEW → COMPLETE', async () => {
  const h = await harness({
    spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC),
    database: writesThenDone({ [PRODUCT_FILES[0]!]: PRODUCT_MIGRATION }),
    backend: writesThenDone({ [PRODUCT_FILES[1]!]: PRODUCT_MODULE }),
    frontend: writesThenDone({ [PRODUCT_FILES[2]!]: PRODUCT_SCREEN }),
    review: () => say.approve(),
  });
  try {
    const head = h.shop.git('rev-parse', 'HEAD').trim();
    const summary = await engine.runFeature('Add a Product entity with name and price', h.options());

    assert.equal(summary.status, 'completed', summary.error);
    assert.deepEqual(
      summary.phases.map((p) => p.name),
      ['SYNC', 'UNDERSTAND', 'SPEC', 'CHECKPOINT', 'IMPLEMENT', 'REVIEW', 'COMPLETE'],
    );
    assert.deepEqual(summary.filesChanged, [...PRODUCT_FILES].sort());
    assert.deepEqual(summary.retries, { database: 0, backend: 0, frontend: 0 });
    assert.equal(summary.reviewRounds, 1);
    assert.ok(summary.usage.output > 0 && summary.usage.cacheRead > 0, JSON.stringify(summary.usage));
    // Anthropic writes the cache at its breakpoints (billed); OpenAI-compatible endpoints cache prefixes by themselves.
    assert.equal(summary.usage.cacheWrite > 0, h.provider === 'anthropic', JSON.stringify(summary.usage));
    assert.deepEqual(Object.keys(summary.costByAgent).sort(), ['backend', 'database', 'frontend', 'review', 'spec']);
    const byAgent = Object.values(summary.costByAgent).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(byAgent - summary.costUsd) < 1e-6);

    // The agents really wrote the files; the spec moved to completed; sync updated the registry.
    assert.equal(h.shop.read(PRODUCT_FILES[1]!), PRODUCT_MODULE);
    const specId = summary.specPath!.split('/')[2]!;
    assert.match(summary.specPath!, /^spec\/completed\/\d{4}-\d{2}-\d{2}-product-entity\/spec\.md$/);
    assert.ok(!existsSync(join(h.shop.dir, 'spec/active', specId)));
    const spec = h.shop.read(summary.specPath!);
    assert.match(spec, /^---\nid: \d{4}-\d{2}-\d{2}-product-entity\n/);
    assert.match(spec, /status: completed/);
    assert.match(spec, /entity: Product/);
    assert.match(spec, /### Date: \d{4}-\d{2}-\d{2}/);
    // Issue 71: every task and file line the run did is ticked, each layer's once its validation passed.
    assert.match(spec, /#### Backend\n- \[x\] server\/entities\/product\.js/);
    assert.match(spec, /1\. \[x\] Database: migration 003[\s\S]*2\. \[x\] Backend:[\s\S]*3\. \[x\] Frontend:/);
    assert.doesNotMatch(spec, /\[ \]/);
    const registry = JSON.parse(h.shop.read('.claude/entity-registry.json')) as {
      e: Record<string, { pattern: string }>;
    };
    assert.equal(registry.e.Product?.pattern, 'simple');

    // Context assembly (the cached prefix): compiled context file, registry entry with the
    // reference module, memory conventions, the approved spec and the layer's own tasks.
    // The task message holds only what an attempt adds: the parallel note beside database.
    const backend = h.callsOf('backend')[0]!;
    const system = (backend.req.body.system as { text: string }[]).map((b) => b.text).join('\n');
    assert.match(system, /## CONTEXT FILE/);
    assert.match(system, /Pattern: simple — reference module: server\/entities\/customer\.js/);
    assert.match(system, /ShopConventions: /);
    assert.match(system, /## SPEC \(approved\)[\s\S]*003_create_product\.sql/);
    const ownTasks = system.slice(system.indexOf('## YOUR TASKS (backend)'));
    assert.match(ownTasks, /- \[ \] server\/entities\/product\.js: the Product module/);
    assert.doesNotMatch(ownTasks, /products\.js|003_create_product/);
    assert.doesNotMatch(backend.task, /## SPEC \(approved\)|003_create_product/);
    assert.match(backend.task, /## TASK\nImplement the backend part of the spec "Product entity"/);
    assert.match(backend.task, /## PARALLEL MODE/);
    assert.doesNotMatch(h.callsOf('frontend')[0]!.task, /PARALLEL MODE/);
    assert.doesNotMatch(h.callsOf('database')[0]!.task, /PARALLEL MODE/);

    // The review agent got the diff since the checkpoint.
    const review = h.callsOf('review')[0]!;
    assert.match(review.task, /\+\+\+ b\/server\/entities\/product\.js/);
    assert.match(review.task, /\+CREATE TABLE products/);

    // Journal: append-only, ordered, ends with run.completed; git HEAD and index untouched.
    const events = journalOf(h.shop, summary.runId);
    assert.deepEqual(
      events.map((e) => e.seq),
      events.map((_, i) => i + 1),
    );
    assert.equal(events.at(-1)!.type, 'run.completed');
    assert.equal(events.filter((e) => e.type === 'validation.passed').length, 3);
    const ticked = events.filter((e) => e.type === 'spec.ticked') as unknown as { layer: string; items: string[] }[];
    assert.deepEqual(ticked.map((e) => `${e.layer}: ${e.items.length}`).sort(), [
      'backend: 2',
      'database: 2',
      'frontend: 2',
    ]);
    // Each layer's ticks come after its own validation, before the spec moves to completed/.
    for (const t of ticked) {
      const at = events.indexOf(t as never);
      assert.ok(events.slice(0, at).some((e) => e.type === 'validation.passed' && e.layer === t.layer));
    }
    assert.ok(events.findIndex((e) => e.type === 'spec.completed') > events.indexOf(ticked.at(-1) as never));
    // Each of the project's commands the run executed: its kind, layer, exit and time (issue 58).
    const ran = events.filter((e) => e.type === 'command.ran') as unknown as {
      kind: string;
      command: string;
      layer?: string;
      exitCode: number;
      ms: number;
    }[];
    assert.deepEqual(
      ran
        .filter((e) => e.kind === 'validate')
        .map((e) => `${e.layer}: ${e.command} → ${e.exitCode}`)
        .sort(),
      [
        'backend: node scripts/check-server.js server → 0',
        'database: node scripts/check-migrations.js db → 0',
        'frontend: node --experimental-vm-modules --no-warnings scripts/check-web.mjs web → 0',
      ],
    );
    assert.ok(
      ran.some(
        (e) =>
          e.kind === 'sync' &&
          e.command === 'node .claude/scripts/sync-registry.js' &&
          e.exitCode === 0 &&
          !('layer' in e),
      ),
      JSON.stringify(ran),
    );
    assert.ok(
      ran.every((e) => Number.isInteger(e.ms) && e.ms > 0),
      JSON.stringify(ran),
    );
    // The checkpoint may be taken while the first agents start, but before any file change
    // or validation command; CHECKPOINT completes before IMPLEMENT does.
    const at = (type: string) => events.findIndex((e) => e.type === type);
    assert.ok(
      at('checkpoint.created') > 0 &&
        at('checkpoint.created') < at('file.written') &&
        at('checkpoint.created') < at('validation.started'),
    );
    const completed = events.filter((e) => e.type === 'phase.completed').map((e) => e.phase);
    assert.ok(completed.indexOf('CHECKPOINT') < completed.indexOf('IMPLEMENT'));
    assert.equal(h.shop.git('rev-parse', 'HEAD').trim(), head);
    assert.equal(h.shop.git('diff', '--cached', '--name-only').trim(), '');
    assert.match(h.shop.git('show-ref'), new RegExp(`refs/orchestrator/${summary.runId}`));
    assert.equal(h.api.scriptErrors.length, 0);
  } finally {
    await h.close();
  }
});

test('feature: database and backend are in flight together (database asks once backend has begun to answer, and reads their shared prefix), frontend only after backend is validated', async () => {
  const backendFiles = writesThenDone({ 'server/entities/product.js': PRODUCT_MODULE });
  const h = await harness({
    spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC),
    database: writesThenDone({ 'db/migrations/003_create_product.sql': PRODUCT_MIGRATION }),
    // Backend leads its wave (frontend waits for it). Its first reply begins after 50 ms and
    // streams for 1.5 s more, so database's first request arrives while it is in flight, also on
    // a loaded machine (with 400 ms, a loaded CI machine answered database late).
    backend: (call) => {
      const scripted = backendFiles(call) as ScriptedReply;
      return call.turn === 0 ? reply.slow(scripted, { beforeMs: 50, streamMs: 1500 }) : scripted;
    },
    frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }),
    review: () => say.approve(),
  });
  try {
    const summary = await engine.runFeature('Add a Product entity with name and price', h.options());
    assert.equal(summary.status, 'completed', summary.error);
    const backendFirst = h.callsOf('backend')[0]!.req.time;
    const databaseFirst = h.callsOf('database')[0]!.req.time;
    assert.ok(
      databaseFirst >= backendFirst + 40 && databaseFirst < backendFirst + 1550,
      `database asked ${databaseFirst - backendFirst} ms after backend`,
    );
    // The tools and the run's shared block, written by backend's first call, read by database's.
    const firstUsage = (agent: string) =>
      h.host.events.find((e) => e.type === 'llm.usage' && e.agent === agent) as {
        usage: { cacheRead: number; cacheWrite: number };
      };
    assert.equal(firstUsage('backend').usage.cacheRead, 0);
    assert.ok(firstUsage('database').usage.cacheRead > 0, JSON.stringify(firstUsage('database').usage));
    const firstFrontend = h.callsOf('frontend')[0]!.req.time;
    const backendPassed = h.host.events.findIndex((e) => e.type === 'validation.passed' && e.layer === 'backend');
    const frontendStarted = h.host.events.findIndex((e) => e.type === 'agent.started' && e.agent === 'frontend');
    assert.ok(backendPassed >= 0 && frontendStarted > backendPassed, 'frontend starts after backend validated');
    assert.ok(h.callsOf('backend').every((c) => c.req.time <= firstFrontend));
    const waves = h.host.ofType('wave.started');
    assert.deepEqual(
      waves.map((w) => w.layers),
      [['database', 'backend'], ['frontend']],
    );
  } finally {
    await h.close();
  }
});
