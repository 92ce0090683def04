// The claude-code runner end to end: the real Claude Code (the Agent SDK's binary) does a
// layer's work against the Messages API test server, under our gates: its own worktree without
// secrets, the owns gate with a resumed session, validation retries in the same session, the
// budget cap ending its process group, kill -9 then resume, a review's answer checked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runFeature } from '../../../src/core/engine';
import { say, specAnswer, writesThenDone, type AgentCall } from '../pipeline/support/agentScript';
import { PRODUCT_MIGRATION, PRODUCT_MODULE, PRODUCT_SCREEN, PRODUCT_SPEC } from '../pipeline/support/fixtures';
import { harness, journalOf } from '../pipeline/support/harness';
import { cc, claudeEnvironment, onClaudeCode } from './support/claudeCode';

const REQUEST = 'Add a Product entity with name and price';
const TIMEOUT = { timeout: 300_000 };

/** A layer on Claude Code: write its files, then answer done. */
const claudeWrites = (files: Record<string, string>) => (call: AgentCall) => (call.turn === 0 ? cc.write(call, files) : cc.done());

test('database and backend run on Claude Code in parallel, frontend on our own agent: the files come back, the journal says who did what', TIMEOUT, async () => {
  const h = await harness({
    spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC),
    database: claudeWrites({ 'db/migrations/003_create_product.sql': PRODUCT_MIGRATION }),
    backend: claudeWrites({ 'server/entities/product.js': PRODUCT_MODULE }),
    frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }),
    review: () => say.approve(),
  }, { config: onClaudeCode(['database', 'backend']) });
  const env = claudeEnvironment(h.api.url);
  try {
    const summary = await runFeature(REQUEST, h.options());
    assert.equal(summary.status, 'completed', summary.error ?? summary.report);
    assert.equal(h.shop.read('db/migrations/003_create_product.sql'), PRODUCT_MIGRATION);
    assert.equal(h.shop.read('server/entities/product.js'), PRODUCT_MODULE);
    assert.equal(h.shop.read('web/src/products.js'), PRODUCT_SCREEN);
    const events = journalOf(h.shop, summary.runId);
    const started = (agent: string) => events.find((e) => e.type === 'agent.started' && e.agent === agent);
    assert.equal(started('database')?.runner, 'claude-code');
    assert.equal(started('backend')?.runner, 'claude-code');
    assert.equal(started('frontend')?.runner, 'agent');
    assert.equal(started('spec')?.runner, 'agent');
    const wave = events.find((e) => e.type === 'wave.started' && (e.layers as string[]).includes('database'));
    assert.deepEqual([...(wave?.layers as string[])].sort(), ['backend', 'database'], 'one wave');
    for (const layer of ['database', 'backend']) {
      const session = events.find((e) => e.type === 'agent.session' && e.agent === layer);
      assert.match(String(session?.session), /^[0-9a-f-]{36}$/, `${layer}'s session is journaled`);
      assert.ok(!String(session?.worktree).startsWith(h.shop.dir), 'the agent\'s worktree is outside the checkout');
      const done = events.find((e) => e.type === 'agent.completed' && e.agent === layer);
      assert.equal(done?.outcome, 'submitted');
      assert.equal(done?.session, session?.session);
      assert.ok(Number(done?.turns) >= 2, 'its turns are counted');
      assert.ok(Number(done?.costUsd) > 0, 'its tokens are priced');
      assert.ok(events.some((e) => e.type === 'tool.called' && e.agent === layer && e.tool === 'Write' && e.isError === false), 'its tool calls are journaled');
      assert.ok(events.some((e) => e.type === 'file.written' && e.agent === layer), 'its files are journaled as written');
      assert.ok(events.some((e) => e.type === 'llm.usage' && e.agent === layer && e.provider === 'claude-code'));
    }
    assert.ok(summary.costByAgent.database! > 0 && summary.costByAgent.backend! > 0, 'their cost is in the run\'s');
  } finally {
    env.restore();
    await h.close();
  }
});
