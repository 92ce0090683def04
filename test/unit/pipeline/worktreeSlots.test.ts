import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { engine } from '../../../src/core/engine';
import { harness } from '../../support/engine/harness';
import { withLimit } from '../../support/engine/shopWorkspace';
import { entityAgents, featureRequest, worktreeConfig } from '../../support/engine/worktreeFeatures';

test('worktrees: limits.concurrentRuns holds a third run until a slot frees; the runs share limits.concurrency', async () => {
  let inFlight = 0;
  let most = 0;
  // Each backend agent stays a while, so overlapping runs would show as overlapping backend agents.
  const hold = async () => {
    most = Math.max(most, ++inFlight);
    await sleep(150);
    inFlight--;
  };
  const limits = (yaml: string) =>
    withLimit('concurrency', 1)(`${worktreeConfig(yaml)}`).replace(/\nlimits:\n/, '\nlimits:\n  concurrentRuns: 2\n');
  const h = await harness(entityAgents(hold), { config: limits });
  try {
    const summaries = await Promise.all(
      ['Address', 'Invoice', 'Product'].map((entity) => engine.runFeature(featureRequest(entity), h.options())),
    );
    for (const summary of summaries) assert.equal(summary.status, 'completed', summary.error);
    assert.equal(most, 1, 'one backend agent at a time across the runs (limits.concurrency: 1)');
    const waits = h.host
      .ofType('log')
      .filter((e) => /Waiting for a run slot: 2 of limits\.concurrentRuns \(2\) in use/.test(e.message));
    assert.equal(waits.length, 1, 'the third run waited for a slot');
    // At no time were three worktrees in use: the third was made after a run had finished.
    const order = h.host.events
      .filter((e) => e.type === 'worktree.created' || e.type === 'run.completed')
      .map((e) => e.type);
    assert.deepEqual(order.slice(0, 3), ['worktree.created', 'worktree.created', 'run.completed']);
  } finally {
    await h.close();
  }
});
