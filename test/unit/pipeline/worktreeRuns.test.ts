import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { engine } from '../../../src/core/engine';
import { ApplyConflictError } from '../../../src/core/pipeline/run/worktreeAdmin';
import { block, reply } from '../../support/messagesApiServer';
import { say } from '../../support/engine/agentScript';
import { harness } from '../../support/engine/harness';
import type { ShopWorkspace } from '../../support/engine/shopWorkspace';
import {
  entityAgents,
  entityFile,
  entityModule,
  featureRequest,
  worktreeConfig,
} from '../../support/engine/worktreeFeatures';

/** What must never change in the main checkout: HEAD, the branch, the index file's bytes, the stash. */
function checkoutState(shop: ShopWorkspace): { head: string; branch: string; index: Buffer; stash: string } {
  return {
    head: shop.git('rev-parse', 'HEAD').trim(),
    branch: shop.git('symbolic-ref', 'HEAD').trim(),
    index: readFileSync(join(shop.dir, '.git', 'index')),
    stash: shop.git('stash', 'list'),
  };
}

function assertSameCheckout(shop: ShopWorkspace, before: ReturnType<typeof checkoutState>, when: string): void {
  const now = checkoutState(shop);
  assert.equal(now.head, before.head, `HEAD ${when}`);
  assert.equal(now.branch, before.branch, `branch ${when}`);
  assert.ok(now.index.equals(before.index), `.git/index byte-identical ${when}`);
  assert.equal(now.stash, before.stash, `stash ${when}`);
}

const worktreesDir = (shop: ShopWorkspace) => join(shop.dir, '..', 'worktrees');

test('worktrees: three features at once while the user edits the checkout; applied one after another, the edit survives, HEAD/index/branch untouched', async () => {
  let release: () => void = () => {};
  const userDone = new Promise<void>((resolve) => (release = resolve));
  const h = await harness(
    entityAgents(() => userDone),
    { config: worktreeConfig },
  );
  let runs: Promise<unknown>[] = [];
  try {
    // Uncommitted work the runs must start from, and a node_modules folder to link.
    h.shop.write(
      'server/entities/customer.js',
      h.shop.read('server/entities/customer.js').replace("'name is required'", "'a customer name is required'"),
    );
    h.shop.write('notes.txt', 'untracked note\n');
    mkdirSync(join(h.shop.dir, 'node_modules', 'left-pad'), { recursive: true });
    writeFileSync(join(h.shop.dir, 'node_modules', 'left-pad', 'index.js'), 'module.exports = 1;\n');
    const before = checkoutState(h.shop);

    const entities = ['Address', 'Invoice', 'Product'];
    runs = entities.map((entity) => engine.runFeature(featureRequest(entity), h.options()));
    // All three backend agents are in flight at once, each in its own worktree.
    for (let i = 0; i < 400 && h.callsOf('backend').length < 3; i++) await sleep(25);
    assert.equal(h.callsOf('backend').length, 3, 'three backend agents at once');
    // Meanwhile the user keeps working in the checkout.
    h.shop.write('README.md', `${h.shop.read('README.md')}\nedited while the runs went\n`);
    h.shop.write('server/entities/order.js', `${h.shop.read('server/entities/order.js')}// the user's own line\n`);
    const userRegistryEdit = h.shop.read('.claude/entity-registry.json');
    release();
    const summaries = await Promise.all(runs as ReturnType<typeof engine.runFeature>[]);

    for (const [i, summary] of summaries.entries()) {
      assert.equal(summary.status, 'completed', summary.error);
      assert.ok(summary.worktree?.startsWith(worktreesDir(h.shop)), summary.worktree);
      assert.deepEqual(summary.filesChanged, [entityFile(entities[i]!)]);
      // The run's worktree started from the checkout as it was, uncommitted edit and untracked file included.
      const root = await engine.runFilesRoot(h.shop.dir, summary.runId);
      assert.equal(root, summary.worktree);
      assert.match(readFileSync(join(root, 'server/entities/customer.js'), 'utf8'), /a customer name is required/);
      assert.equal(readFileSync(join(root, 'notes.txt'), 'utf8'), 'untracked note\n');
      assert.ok(lstatSync(join(root, 'node_modules')).isSymbolicLink(), 'node_modules is linked');
      assert.equal(readlinkSync(join(root, 'node_modules')), join(h.shop.dir, 'node_modules'));
      // Show Changes: the run's files, from its worktree.
      assert.deepEqual(await engine.runChanges(h.shop.dir, summary.runId), [
        { path: entityFile(entities[i]!), status: 'added' },
      ]);
    }
    // Nothing of the runs, specs included, reached the checkout.
    for (const entity of entities) assert.ok(!existsSync(join(h.shop.dir, entityFile(entity))));
    assert.ok(!existsSync(join(h.shop.dir, 'spec')), 'no spec in the checkout before Apply');
    assert.equal(h.shop.read('.claude/entity-registry.json'), userRegistryEdit);
    assertSameCheckout(h.shop, before, 'after the runs');
    assert.deepEqual(
      new Set((await engine.listRuns(h.shop.dir)).map((r) => r.worktree?.outcome)),
      new Set(['pending']),
    );

    for (const [i, summary] of summaries.entries()) {
      const report = await engine.applyRun(h.shop.dir, summary.runId);
      assert.ok(report.written.includes(entityFile(entities[i]!)), JSON.stringify(report));
      assert.ok(
        report.written.some((path) => path.startsWith('spec/completed/')),
        'the completed spec comes with the apply',
      );
      // From the second apply on, the registry merges with the entities applied before.
      if (i > 0) assert.deepEqual(report.merged, ['.claude/entity-registry.json']);
      assert.ok(!existsSync(summary.worktree!), 'the worktree is removed after apply');
    }
    for (const entity of entities) assert.equal(h.shop.read(entityFile(entity)), entityModule(entity));
    const registry = JSON.parse(h.shop.read('.claude/entity-registry.json')) as { e: Record<string, unknown> };
    assert.deepEqual(Object.keys(registry.e).sort(), ['Address', 'Customer', 'Invoice', 'Order', 'Product']);
    // The user's edits, before and during the runs, survive.
    assert.match(h.shop.read('README.md'), /edited while the runs went\n$/);
    assert.match(h.shop.read('server/entities/order.js'), /\/\/ the user's own line\n$/);
    assert.match(h.shop.read('server/entities/customer.js'), /a customer name is required/);
    assertSameCheckout(h.shop, before, 'after the applies');
    assert.equal(
      h.shop.git('worktree', 'list', '--porcelain').match(/^worktree /gm)?.length,
      1,
      'only the main checkout is left',
    );
    assert.equal(
      h.shop.git('for-each-ref', 'refs/orchestrator-worktree/').split('\n').filter(Boolean).length,
      6,
      'each applied run keeps its base and before-apply refs',
    );
    // Show Changes still works on an applied run.
    assert.deepEqual(
      (await engine.runChanges(h.shop.dir, summaries[0]!.runId)).map((c) => c.path),
      [entityFile('Address')],
    );

    // Rolling back the last apply restores exactly what it changed; the user's edits stay.
    const last = summaries[2]!;
    const undone = await engine.rollback(h.shop.dir, last.runId);
    assert.ok(undone.removed.includes(entityFile('Product')));
    assert.deepEqual(undone.restored, ['.claude/entity-registry.json']);
    assert.ok(!existsSync(join(h.shop.dir, entityFile('Product'))));
    const afterRollback = JSON.parse(h.shop.read('.claude/entity-registry.json')) as { e: Record<string, unknown> };
    assert.deepEqual(Object.keys(afterRollback.e).sort(), ['Address', 'Customer', 'Invoice', 'Order']);
    assert.match(h.shop.read('server/entities/order.js'), /\/\/ the user's own line\n$/);
    assertSameCheckout(h.shop, before, 'after the rollback');
  } finally {
    release();
    // Whatever failed, no run outlives the test server and the shop.
    await Promise.allSettled(runs);
    await h.close();
  }
});

test("worktrees: an apply that conflicts with the user's edit stops, shows both sides and writes nothing", async () => {
  const agents = {
    ...entityAgents(),
    backend: ({ turn }: { turn: number }) =>
      turn === 0
        ? reply.turn([
            block.toolUse('write_file', { path: entityFile('Address'), content: entityModule('Address') }),
            block.toolUse('edit_file', {
              path: 'server/entities/customer.js',
              old_text: "'name is required'",
              new_text: "'the run says: name is required'",
            }),
          ])
        : say.done(),
  };
  const h = await harness(agents, { config: worktreeConfig });
  try {
    const summary = await engine.runFeature(featureRequest('Address'), h.options());
    assert.equal(summary.status, 'completed', summary.error);
    h.shop.write(
      'server/entities/customer.js',
      h.shop.read('server/entities/customer.js').replace("'name is required'", "'the user says: name is required'"),
    );
    const customer = h.shop.read('server/entities/customer.js');
    const before = checkoutState(h.shop);

    const error = await engine.applyRun(h.shop.dir, summary.runId).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof ApplyConflictError, String(error));
    assert.deepEqual(
      error.conflicts.map((c) => c.path),
      ['server/entities/customer.js'],
    );
    const merged = error.conflicts[0]!.merged!;
    assert.match(merged, /<<<<<<< your checkout\n.*the user says: name is required/);
    assert.match(merged, /=======\n.*the run says: name is required.*\n>>>>>>> the run/);
    // Nothing half-applied: the run's new file is not there either, the user's file is as it was.
    assert.ok(!existsSync(join(h.shop.dir, entityFile('Address'))));
    assert.equal(h.shop.read('server/entities/customer.js'), customer);
    assertSameCheckout(h.shop, before, 'after the refused apply');
    assert.ok(existsSync(summary.worktree!), 'the run still waits in its worktree');

    // Create branch instead: the result as a commit on orchestrator/<spec slug>, the checkout untouched.
    const made = await engine.branchRun(h.shop.dir, summary.runId);
    assert.equal(made.branch, 'orchestrator/address-api');
    assert.equal(h.shop.git('show', `${made.branch}:server/entities/customer.js`).includes('the run says'), true);
    assert.equal(h.shop.git('show', `${made.branch}:${entityFile('Address')}`), entityModule('Address'));
    assertSameCheckout(h.shop, before, 'after create branch');
    assert.ok(!existsSync(summary.worktree!));
    assert.equal((await engine.listRuns(h.shop.dir))[0]!.worktree?.branch, 'orchestrator/address-api');
    await assert.rejects(engine.applyRun(h.shop.dir, summary.runId), /already branched/);
  } finally {
    await h.close();
  }
});

test('worktrees: discard drops the worktree and its refs; gc removes what a crash left and keeps a resumable run', async () => {
  const h = await harness(entityAgents(), { config: worktreeConfig });
  try {
    const kept = await engine.runFeature(featureRequest('Address'), h.options());
    const dropped = await engine.runFeature(featureRequest('Invoice'), h.options());
    const orphan = await engine.runFeature(featureRequest('Product'), h.options());
    for (const s of [kept, dropped, orphan]) assert.equal(s.status, 'completed', s.error);

    // Rollback of a run still in its worktree undoes it there; the checkout never had it. Discard remains.
    const undone = await engine.rollback(h.shop.dir, dropped.runId);
    assert.deepEqual(undone.removed, [entityFile('Invoice')]);
    assert.ok(!existsSync(join(dropped.worktree!, entityFile('Invoice'))));
    await assert.rejects(engine.applyRun(h.shop.dir, dropped.runId), /was rolled back; discard it instead/);
    const discarded = await engine.discardRun(h.shop.dir, dropped.runId);
    assert.equal(discarded.removed, dropped.worktree);
    assert.ok(!existsSync(dropped.worktree!));
    assert.equal(h.shop.git('for-each-ref', `refs/orchestrator-worktree/${dropped.runId}/`), '');
    await assert.rejects(engine.resumeRun(dropped.runId, h.options()), /already finished|was discarded|rolled back/);

    // A crash that lost a run's journal (and so its record) leaves a worktree and a ref nobody owns.
    h.shop.git('worktree', 'lock', orphan.worktree!);
    rmSync(join(h.shop.dir, '.claude', 'runs', orphan.runId), { recursive: true });
    const cleaned = await engine.gc(h.shop.dir);
    assert.deepEqual(cleaned.removedWorktrees, [orphan.worktree]);
    assert.deepEqual(cleaned.deletedRefs, [`refs/orchestrator-worktree/${orphan.runId}/base`]);
    assert.ok(existsSync(kept.worktree!), 'a run waiting for Apply keeps its worktree');
    assert.deepEqual(readdirSync(dirname(kept.worktree!)), [kept.runId]);
    assert.equal(h.shop.git('worktree', 'list', '--porcelain').match(/^worktree /gm)?.length, 2);
    assert.equal(
      h.shop.git('for-each-ref', '--format=%(refname)', 'refs/orchestrator-worktree/').trim(),
      `refs/orchestrator-worktree/${kept.runId}/base`,
    );
  } finally {
    await h.close();
  }
});

test('worktrees: a spec saved by a worktree run waits in its worktree; approve continues that run there', async () => {
  const h = await harness(entityAgents(), { config: worktreeConfig });
  try {
    const saved = await engine.runFeature(featureRequest('Address'), h.options({ autoApprove: false }));
    assert.equal(saved.status, 'spec-saved', saved.error);
    const [run] = await engine.listRuns(h.shop.dir);
    assert.ok(run?.specId && run.worktree?.outcome === 'pending');
    assert.ok(
      existsSync(join(saved.worktree!, 'spec', 'active', run.specId, 'spec.md')),
      'the spec is in the worktree',
    );
    assert.ok(!existsSync(join(h.shop.dir, 'spec')), 'and not in the checkout');
    const listed = await engine.listSpecs(h.shop.dir);
    assert.deepEqual(
      listed.map((s) => [s.id, s.status, s.path]),
      [[run.specId, 'saved', join(saved.worktree!, 'spec', 'active', run.specId, 'spec.md')]],
    );

    const done = await engine.approveSpec(run.specId, h.options());
    assert.equal(done.status, 'completed', done.error);
    assert.equal(done.runId, saved.runId, 'the same run continued');
    assert.equal(h.callsOf('spec').length, 1, 'the spec was not written again');
    assert.ok(existsSync(join(saved.worktree!, 'spec', 'completed', run.specId, 'spec.md')));
    assert.ok(!existsSync(join(h.shop.dir, entityFile('Address'))));
    await engine.applyRun(h.shop.dir, saved.runId);
    assert.equal(h.shop.read(entityFile('Address')), entityModule('Address'));
  } finally {
    await h.close();
  }
});
