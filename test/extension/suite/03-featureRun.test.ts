// A full feature run through the host adapter, against the Messages API test server: New
// Feature → the spec waits for the human in the view state → Approve Spec (the command the
// sidebar's Approve runs) → the layers in waves, each validated by the shop's own commands →
// review → complete. Then the files, the spec, the registry, git, the view and the status bar.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  PRODUCT_MIGRATION,
  PRODUCT_MODULE,
  PRODUCT_REQUEST,
  PRODUCT_SCREEN,
} from '../../../bench/support/productFeature';
import { api } from '../support/api';
import { MAIN_JS_NOTE } from '../support/apiProtocol';
import { exists, git, journal, read } from '../support/files';
import { readyForARun, userApprovingSchemaChanges } from '../support/featureRun';
import { run, start, until, view, within } from '../support/host';
import { statusItem } from '../support/probe';
import { userPerTest } from '../support/userPerTest';

suite('feature run', function () {
  this.timeout(180_000);

  suiteSetup(async function () {
    await readyForARun(this);
  });
  const user = userPerTest({ user: userApprovingSchemaChanges });

  test('New Feature → spec awaiting approval → Approve Spec → completed, validated and reviewed', async () => {
    await api.scenario({ name: 'product' });
    const from = await api.count();
    const head = git('rev-parse', 'HEAD').trim();
    const mainJs = read('web/src/main.js');
    const status = statusItem();
    status.texts.length = 0;

    const done = start('orchestrator.newFeature', PRODUCT_REQUEST);

    // The gate: the spec is on disk and in the view, and nothing else has been asked of the model.
    const pending = await until(() => view().pendingDecision, 60_000, 'the spec decision');
    assert.match(pending.path, /^spec\/active\/\d{4}-\d{2}-\d{2}-product-entity(-\d+)?\/spec\.md$/);
    assert.ok(exists(pending.path), `${pending.path} is not on disk`);
    assert.match(read(pending.path), /## Spec: Product entity/);
    assert.match(pending.markdown, /server\/entities\/product\.js/);
    assert.equal(run().status, 'awaiting-approval');
    assert.equal(view().busy, true);
    assert.equal(status.item.text, '$(bell) Orchestrator: spec awaiting approval');
    const beforeApproval = await api.since(from);
    assert.deepEqual(
      [...new Set(beforeApproval.map((r) => r.agent))],
      ['spec'],
      'an agent other than spec ran before approval',
    );
    assert.equal(exists('server/entities/product.js'), false);

    await vscode.commands.executeCommand('orchestrator.approveSpec', pending.id);
    assert.equal(await within(done, 150_000, 'the approved run'), undefined);

    const state = view();
    const r = run();
    assert.equal(r.status, 'completed', `run ended ${r.status}: ${r.error ?? ''} ${r.stop?.report ?? ''}`);
    assert.equal(state.busy, false);
    assert.equal(state.pendingDecision, undefined);
    assert.ok(r.runId, 'no run id');

    // The files the agents wrote, exactly, and the file the frontend agent edited.
    assert.equal(read('db/migrations/003_create_product.sql'), PRODUCT_MIGRATION);
    assert.equal(read('server/entities/product.js'), PRODUCT_MODULE);
    assert.equal(read('web/src/products.js'), PRODUCT_SCREEN);
    assert.equal(read('web/src/main.js'), MAIN_JS_NOTE + mainJs);
    assert.deepEqual([...r.filesChanged].sort(), [
      'db/migrations/003_create_product.sql',
      'server/entities/product.js',
      'web/src/main.js',
      'web/src/products.js',
    ]);

    // The spec moved to spec/completed/.
    const completedPath = pending.path.replace(/^spec\/active\//, 'spec/completed/');
    assert.equal(exists(pending.path), false, 'the spec is still in spec/active');
    assert.ok(exists(completedPath), `${completedPath} missing`);
    assert.equal(r.specPath, completedPath);
    const listed = await until(
      () => view().specs.find((s) => s.id === pending.id && /complete/i.test(s.status)),
      10_000,
      'the completed spec in the list',
    );
    assert.equal(listed.path, completedPath);
    await until(
      () => view().runs.find((x) => x.runId === r.runId && x.status === 'completed'),
      10_000,
      'the completed run in the list',
    );

    // Layers in waves (database ∥ backend, then frontend), each passed; the review approved.
    const layers = Object.fromEntries(r.agents.filter((a) => a.wave !== undefined).map((a) => [a.name, a]));
    assert.deepEqual(Object.keys(layers).sort(), ['backend', 'database', 'frontend']);
    assert.deepEqual([layers.database!.wave, layers.backend!.wave, layers.frontend!.wave], [1, 1, 2]);
    for (const a of Object.values(layers)) assert.equal(a.state, 'passed', `${a.name} is ${a.state}`);
    assert.deepEqual(
      r.waves.map((w) => [w.index, w.of]),
      [
        [1, 2],
        [2, 2],
      ],
    );
    assert.equal(r.review?.verdict, 'approved');
    assert.equal(r.review?.round, 1);
    assert.deepEqual(r.review?.issues, []);
    const tokens = r.usage.input + r.usage.cacheRead + r.usage.cacheWrite;
    assert.ok(
      r.costUsd > 0 && tokens > 0 && r.usage.output > 0,
      `no usage accounted: ${JSON.stringify({ cost: r.costUsd, usage: r.usage })}`,
    );
    // The pipeline's phases, in order (others, e.g. CHECKPOINT, may sit between them), all done.
    const pipeline = ['SYNC', 'UNDERSTAND', 'SPEC', 'IMPLEMENT', 'REVIEW', 'COMPLETE'];
    assert.deepEqual(
      r.phases.map((p) => p.name).filter((n) => pipeline.includes(n)),
      pipeline,
    );
    assert.deepEqual(
      r.phases.filter((p) => p.state !== 'done').map((p) => p.name),
      [],
      'phases not done',
    );

    // The orchestrator ran each layer's validate command itself. The schema change was confirmed by
    // the spec's approval, which names the migration (issue 44): journaled as covered, not asked again.
    const events = journal(r.runId);
    const validated = events.filter((e) => e.type === 'validation.passed').map((e) => e.layer as string);
    assert.deepEqual([...new Set(validated)].sort(), ['backend', 'database', 'frontend']);
    const confirmations = events.filter((e) => e.type === 'confirmation');
    assert.ok(
      confirmations.length >= 1 && confirmations.every((e) => e.answer === true),
      'the schema change was not confirmed',
    );
    const covered = confirmations.find((e) => e.kind === 'schema-change' && typeof e.covered === 'string');
    assert.deepEqual(covered?.paths, ['db/migrations/003_create_product.sql'], JSON.stringify(confirmations));
    const asked = user()
      .messages('warn')
      .filter((m) => m.modal);
    assert.ok(!asked.some((m) => /will change the schema/.test(m.message)), JSON.stringify(asked));
    assert.equal(events.at(-1)?.type, 'run.completed');

    // Every request carried the environment's key; every agent was asked.
    const requests = await api.since(from);
    assert.deepEqual([...new Set(requests.map((q) => q.apiKey))], [process.env.ANTHROPIC_API_KEY]);
    assert.deepEqual([...new Set(requests.map((q) => q.agent))].sort(), [
      'backend',
      'database',
      'frontend',
      'review',
      'spec',
    ]);
    assert.deepEqual((await api.state()).scriptErrors, []);

    // COMPLETE re-ran the shop's sync: the registry knows Product now.
    const registry = JSON.parse(read('.claude/entity-registry.json')) as { e: Record<string, unknown> };
    assert.ok(registry.e.Product, 'Product is not in the entity registry');

    // Git: HEAD and the index untouched; the checkpoint is a private ref.
    assert.equal(git('rev-parse', 'HEAD').trim(), head, 'HEAD moved');
    assert.equal(git('diff', '--cached', '--name-only').trim(), '', 'the index changed');
    assert.equal(r.checkpoint, `refs/orchestrator/${r.runId}`);
    assert.match(git('rev-parse', '--verify', `${r.checkpoint}^{commit}`).trim(), /^[0-9a-f]{40}$/);

    // The status bar went from awaiting approval through IMPLEMENT to done.
    const texts = status.texts;
    const at = (re: RegExp) => texts.findIndex((t) => re.test(t));
    assert.ok(at(/spec awaiting approval/) >= 0, `status texts: ${JSON.stringify(texts)}`);
    assert.ok(at(/IMPLEMENT · wave [12]\/2/) > at(/spec awaiting approval/), `status texts: ${JSON.stringify(texts)}`);
    assert.match(status.item.text, /^\$\(check\) Orchestrator: done · \$\d+\.\d\d$/);

    // One notification says it completed, with Show Changes.
    const note = user()
      .messages('info')
      .find((m) => /run completed — 4 files changed/.test(m.message));
    assert.ok(note, JSON.stringify(user().shown));
    assert.deepEqual(note.items, ['Show Changes']);
  });
});
