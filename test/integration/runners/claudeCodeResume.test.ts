// kill -9 of the orchestrator while Claude Code works on a layer, then `orchestrator resume`:
// the journaled session is continued (its history holds what the agent did before), what the
// killed agent wrote in its worktree comes back through the owns gate, and the run completes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { reply } from '../../support/messagesApiServer';
import { buildCli, cliWorld, journalTypes, jsonOf, startCli } from '../../support/cli/cliKit';
import { say, specAnswer, writesThenDone } from '../../support/engine/agentScript';
import { PRODUCT_MIGRATION, PRODUCT_MODULE, PRODUCT_SCREEN, PRODUCT_SPEC } from '../../support/engine/fixtures';
import { cc, claudeEnvironment, conversationText, onClaudeCode, processesIn } from '../../support/runners/claudeCode';

buildCli();

test('kill -9 mid-agent, then resume continues the journaled Claude Code session', { timeout: 300_000 }, async () => {
  let held = false;
  const w = await cliWorld({
    spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC),
    database: writesThenDone({ 'db/migrations/003_create_product.sql': PRODUCT_MIGRATION }),
    frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }),
    review: () => say.approve(),
    backend: (call) => {
      if (conversationText(call.req).includes('## RESUMED')) return cc.done('Finished after the interruption.');
      if (call.turn === 0) return cc.write(call, { 'server/entities/product.js': PRODUCT_MODULE });
      // The second request hangs until the orchestrator is killed.
      held = true;
      return reply.slow(cc.done(), { beforeMs: 600_000 });
    },
  }, { config: onClaudeCode(['backend']) });
  const env = claudeEnvironment(w.api.url);
  try {
    const run = startCli(['feature', 'Add a Product entity with name and price', '--approve', '--yes', '--json'], { cwd: w.shop.dir, baseURL: w.api.url, apiKey: 'test-key' });
    for (let i = 0; i < 2400 && !held; i++) await sleep(50);
    assert.ok(held, 'the backend agent reached its second request');
    run.child.kill('SIGKILL');
    await run.done;
    const runId = readdirSync(join(w.shop.dir, '.claude/runs')).find((name) => /^\d{8}-/.test(name))!;
    const before = journalTypes(w.shop.dir, runId);
    const session = before.find((e) => e.type === 'agent.session' && e.agent === 'backend');
    assert.ok(session, 'the session was journaled before the kill');
    assert.ok(!before.some((e) => e.type === 'agent.completed' && e.agent === 'backend'));
    assert.ok(!existsSync(join(w.shop.dir, 'server/entities/product.js')), 'nothing came back while the agent worked');

    const resumed = await w.cli('resume', '--yes', '--json');
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal(jsonOf(resumed).status, 'completed');
    assert.equal(w.shop.read('server/entities/product.js'), PRODUCT_MODULE, 'the killed agent\'s work came back');
    const after = journalTypes(w.shop.dir, runId);
    const completed = after.find((e) => e.type === 'agent.completed' && e.agent === 'backend');
    assert.equal(completed?.session, session.session, 'the same session went on');
    const continued = w.callsOf('backend').find((c) => conversationText(c.req).includes('## RESUMED'));
    assert.match(conversationText(continued!.req), /product\.js/, 'with its history');
    assert.deepEqual(processesIn(String(session.worktree)), []);
  } finally {
    env.restore();
    await w.close();
  }
});
