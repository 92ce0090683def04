import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engine } from '../../../src/core/engine';
import { say } from '../../support/engine/agentScript';
import { BROKEN_PRODUCT_MODULE } from '../../support/engine/fixtures';
import { harness, journalOf, type Harness } from '../../support/engine/harness';
import { BACKEND_CI_FIXED, isChangeFix, isCiFix, productFollowUpAgents } from '../../support/engine/productChanges';
import { withLimit } from '../../support/engine/shopWorkspace';
import { worktreeConfig } from '../../support/engine/worktreeFeatures';

// Follow-up runs (issue 39): a completed worktree run's branch taken up again, by a layer sent back
// with a CI job's log, or by a change request through the spec gate; only that work runs again.

/** A CI job's log tail, as GitHub Actions prints it (timestamped lines). */
const CI_LOG = [
  '2026-11-24T10:02:11.1234567Z ##[group]Run npm test',
  '2026-11-24T10:02:14.5550000Z not ok 3 - server/entities/product.js: list() sorts prices as numbers',
  '2026-11-24T10:02:14.5560000Z   AssertionError [ERR_ASSERTION]: Expected values to be strictly deep-equal: [10, 9] !== [9, 10]',
  '2026-11-24T10:02:14.5570000Z       at server/entities/product.js:14:3',
  '2026-11-24T10:02:14.6000000Z ##[error]Process completed with exit code 1.',
].join('\n');

const BRANCH = 'orchestrator/product-entity';

/** The feature done in a worktree and kept as the branch, as the GitHub room does before its pull request. */
async function completedOnBranch(h: Harness): Promise<{ runId: string; commit: string }> {
  const summary = await engine.runFeature('Add a Product entity with name and price', h.options());
  assert.equal(summary.status, 'completed', summary.error);
  const { branch, commit } = await engine.branchRun(h.shop.dir, summary.runId);
  assert.equal(branch, BRANCH);
  return { runId: summary.runId, commit };
}

const calls = (h: Harness) => ({
  spec: h.callsOf('spec').length,
  database: h.callsOf('database').length,
  backend: h.callsOf('backend').length,
  frontend: h.callsOf('frontend').length,
  review: h.callsOf('review').length,
});

test('a follow-up run with a CI failure: only the owning layer runs, in FIX mode with the log as its first validation error; validated, reviewed, traced over both runs; its result fast-forwards the branch', async () => {
  const h = await harness(productFollowUpAgents(), { config: worktreeConfig });
  try {
    const origin = await completedOnBranch(h);
    const before = calls(h);
    const fix = { layer: 'backend', command: 'GitHub check "test" (npm test)', output: CI_LOG };
    const summary = await engine.followUpRun(origin.runId, { fix }, h.options());
    assert.equal(summary.status, 'completed', summary.error);
    assert.notEqual(summary.runId, origin.runId);
    const after = calls(h);
    assert.deepEqual(
      [after.database, after.frontend, after.spec],
      [before.database, before.frontend, before.spec],
      'no other agent called',
    );
    assert.equal(after.backend - before.backend, 2, 'the backend: its fix, then done');
    assert.equal(after.review - before.review, 1, 'reviewed again');
    const task = h.callsOf('backend')[before.backend]!.task;
    assert.ok(isCiFix(task));
    assert.ok(task.includes(CI_LOG), 'the log, as the validation error');
    assert.match(task, /GitHub check "test" \(npm test\)/);

    const journal = journalOf(h.shop, summary.runId);
    const started = journal.find((e) => e.type === 'followup.started')!;
    assert.equal(started.of, origin.runId);
    assert.deepEqual(started.runs, [origin.runId]);
    assert.equal(started.base, origin.commit);
    assert.deepEqual((started.kept as { layer: string }[]).map((k) => k.layer).sort(), [
      'backend',
      'database',
      'frontend',
    ]);
    assert.deepEqual(
      journal.filter((e) => e.type === 'agent.started' && e.agent !== 'review').map((e) => [e.agent, e.mode]),
      [['backend', 'fix']],
    );
    // The orchestrator validated the fix itself; the others' validations held (their files unchanged).
    assert.deepEqual(
      journal.filter((e) => e.type === 'validation.passed').map((e) => e.layer),
      ['backend'],
    );
    assert.equal(
      journal.find((e) => e.type === 'worktree.created')!.commit,
      origin.commit,
      'its worktree started at the branch head',
    );
    // The matrix still has the database's and the frontend's files, from the run before.
    const matrix = journal.filter((e) => e.type === 'trace.updated').at(-1)!.matrix as {
      rows: { requirement: string; files: string[] }[];
      runIds: string[];
    };
    assert.ok(
      matrix.rows.every((row) => row.files.length > 0),
      JSON.stringify(matrix.rows.map((r) => [r.requirement, r.files])),
    );
    assert.ok(matrix.rows.some((row) => row.files.includes('db/migrations/003_create_product.sql')));
    assert.ok(journal.some((e) => e.type === 'spec.completed'));

    // Kept on the same branch: one commit on top of the one it started from.
    const kept = await engine.branchRun(h.shop.dir, summary.runId, BRANCH);
    assert.equal(kept.branch, BRANCH);
    assert.equal(h.shop.git('rev-parse', BRANCH).trim(), kept.commit);
    assert.equal(h.shop.git('rev-parse', `${kept.commit}^`).trim(), origin.commit);
    assert.equal(h.shop.git('show', `${kept.commit}:server/entities/product.js`), BACKEND_CI_FIXED);
    assert.equal(
      h.shop
        .git('diff', '--name-only', origin.commit, kept.commit)
        .trim()
        .split('\n')
        .filter((f) => !f.startsWith('spec/'))
        .join(','),
      'server/entities/product.js',
    );
    assert.equal(
      h.shop.git('rev-parse', 'main').trim(),
      h.shop.git('rev-parse', 'HEAD').trim(),
      'the checkout untouched',
    );

    // A second follow-up continues from there, over the chain of runs.
    const second = await engine.followUpRun(
      summary.runId,
      { fix: { ...fix, output: 'not ok 4 - again' } },
      h.options(),
    );
    assert.equal(second.status, 'completed', second.error);
    assert.deepEqual(journalOf(h.shop, second.runId).find((e) => e.type === 'followup.started')!.runs, [
      origin.runId,
      summary.runId,
    ]);
    assert.equal(journalOf(h.shop, second.runId).find((e) => e.type === 'worktree.created')!.commit, kept.commit);
  } finally {
    await h.close();
  }
});

test('a follow-up run with a change request: the spec agent amends, the gate decides, only the touched layer runs again; refused for an unknown run, an unknown layer, or no work; a branch moved since its base is not overwritten', async () => {
  const h = await harness(productFollowUpAgents(), { config: worktreeConfig });
  try {
    const origin = await completedOnBranch(h);
    const before = calls(h);
    h.host.decisions = [{ action: 'approve' }];
    const summary = await engine.followUpRun(
      origin.runId,
      { change: 'Add a search by name to the Product module' },
      h.options({ autoApprove: false }),
    );
    assert.equal(summary.status, 'completed', summary.error);
    const after = calls(h);
    assert.equal(after.spec - before.spec, 1, 'the amendment');
    assert.deepEqual(
      [after.database, after.frontend],
      [before.database, before.frontend],
      'the untouched layers get no call',
    );
    assert.ok(after.backend > before.backend);
    assert.ok(isChangeFix(h.callsOf('backend')[before.backend]!.task));
    // The amended spec went through the host's gate.
    assert.equal(h.host.specRequests.length, 1);
    assert.match(h.host.specRequests[0]!.markdown, /REQ-3: Search products by name/);
    const journal = journalOf(h.shop, summary.runId);
    const approved = journal.find((e) => e.type === 'change.approved')!;
    assert.deepEqual([approved.requirements, approved.layers], [['REQ-3'], ['backend']]);
    const kept = await engine.branchRun(h.shop.dir, summary.runId, BRANCH);
    assert.equal(h.shop.git('rev-parse', `${kept.commit}^`).trim(), origin.commit);
    assert.match(h.shop.git('show', `${kept.commit}:server/entities/product.js`), /function search\(name\)/);

    await assert.rejects(engine.followUpRun(origin.runId, {}, h.options()), /needs a layer to fix or a change request/);
    await assert.rejects(
      engine.followUpRun(origin.runId, { fix: { layer: 'nope', command: 'x', output: 'y' } }, h.options()),
      /No layer "nope"/,
    );
    await assert.rejects(engine.followUpRun('20260101-000000-none', { change: 'x' }, h.options()), /No run/);
    // The branch moved past the run's base (the change's commit): a follow-up from the old base is not fast-forwarded onto it.
    const stale = await engine.followUpRun(
      origin.runId,
      { fix: { layer: 'backend', command: 'ci', output: 'failed' } },
      h.options(),
    );
    assert.equal(stale.status, 'completed', stale.error);
    await assert.rejects(engine.branchRun(h.shop.dir, stale.runId, BRANCH), /moved since the follow-up run started/);
    assert.equal(h.shop.git('rev-parse', BRANCH).trim(), kept.commit);
  } finally {
    await h.close();
  }
});

test('a follow-up stopped before its fix passed validation is resumed with the failure: the layer is sent back with the log again, then completes', async () => {
  const agents = productFollowUpAgents();
  const backend = agents.backend!;
  let ciFixes = 0;
  // The first fix is broken (the backend's own check fails it; no retry is allowed), the second holds.
  agents.backend = (call) =>
    call.turn === 0 && isCiFix(call.task) && ciFixes++ === 0
      ? say.write({ 'server/entities/product.js': BROKEN_PRODUCT_MODULE })
      : backend(call);
  const h = await harness(agents, { config: (yaml) => worktreeConfig(withLimit('maxRetries', 0)(yaml)) });
  try {
    const origin = await completedOnBranch(h);
    const stopped = await engine.followUpRun(
      origin.runId,
      { fix: { layer: 'backend', command: 'GitHub check "test"', output: CI_LOG } },
      h.options(),
    );
    assert.equal(stopped.status, 'stopped');
    const resumed = await engine.resumeRun(stopped.runId, h.options());
    assert.equal(resumed.status, 'completed', resumed.error);
    const fixes = h.callsOf('backend').filter((c) => c.turn === 0 && isCiFix(c.task));
    assert.equal(fixes.length, 2);
    assert.ok(
      fixes.every((c) => c.task.includes(CI_LOG)),
      'the log both times',
    );
    const kept = await engine.branchRun(h.shop.dir, stopped.runId, BRANCH);
    assert.equal(h.shop.git('rev-parse', `${kept.commit}^`).trim(), origin.commit);
    assert.equal(h.shop.git('show', `${kept.commit}:server/entities/product.js`), BACKEND_CI_FIXED);
  } finally {
    await h.close();
  }
});
