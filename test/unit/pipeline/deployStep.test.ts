// The deploy step after COMPLETE (issue 19, seed 003's DevOps role): `deploy:` then `smoke:`
// commands under the rules of validate commands, emitting devops.deployed then qa.passed /
// qa.failed as CloudEvents; a failing smoke test stops the run with a report, and resume
// deploys and tests again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { engine } from '../../../src/core/engine';
import { loadConfig } from '../../../src/core/project/config/config';
import { ProjectFileError } from '../../../src/core/project/sources/errors';
import { productAgents } from '../../support/engine/agentScript';
import { harness, journalOf } from '../../support/engine/harness';
import { untrustedRun } from '../../support/engine/untrustedRun';
import { makeShop } from '../../support/engine/shopWorkspace';

const agents = productAgents;

// Outside every layer's owns (scripts/), as the rules of validate commands require.
const DEPLOY_JS = `const { appendFileSync } = require('node:fs');
appendFileSync(process.argv[2], JSON.stringify(Object.keys(process.env)) + '\\n');
console.log('deployed to staging');
`;
const SMOKE_JS = `const { existsSync } = require('node:fs');
if (existsSync(process.argv[2])) { console.error('GET /api/products -> 500 Internal Server Error'); process.exit(1); }
console.log('GET /api/products -> 200');
`;

// The deploy's record and the smoke test's switch are in the workspace: the commands run in the
// sandbox (issue 36), where nothing outside the work is there to read or write.
function deployWorld() {
  const config = (yaml: string) =>
    `${yaml}\ndeploy: ["node scripts/deploy.js .deploy/deploys.jsonl"]\nsmoke: ["node scripts/smoke.js .deploy/smoke-fails"]\n`;
  return {
    shop: {
      config,
      files: {
        'scripts/deploy.js': DEPLOY_JS,
        'scripts/smoke.js': SMOKE_JS,
        '.deploy/README': 'deploy test scratch\n',
      },
    },
  };
}
const scratchOf = (dir: string) => ({
  log: join(dir, '.deploy', 'deploys.jsonl'),
  broken: join(dir, '.deploy', 'smoke-fails'),
});

const cloudTypes = async (dir: string, runId: string) =>
  (await engine.runEvents(dir, runId))
    .map((line) => JSON.parse(line) as { type: string; subject?: string; data: Record<string, unknown> })
    .map((e) => `${e.type}${e.subject === 'smoke' || e.subject === 'devops' ? `:${e.subject}` : ''}`);

test('deploy step: after COMPLETE the deploy commands run in the minimal environment, then the smoke tests; devops.deployed then qa.passed', async () => {
  const w = deployWorld();
  const h = await harness(agents(), w.shop);
  process.env.DEPLOY_TEST_SECRET = 'never-in-a-deploy';
  try {
    const summary = await engine.runFeature('Add a Product entity', h.options());
    assert.equal(summary.status, 'completed', summary.error);
    assert.deepEqual(summary.phases.map((p) => p.name).slice(-2), ['COMPLETE', 'DEPLOY']);
    const types = journalOf(h.shop, summary.runId).map((e) => e.type);
    assert.ok(types.indexOf('spec.completed') < types.indexOf('deploy.completed'), 'deploys after COMPLETE');
    assert.ok(types.indexOf('deploy.completed') < types.indexOf('smoke.passed'), 'smoke tests after the deploy');
    const env = JSON.parse(readFileSync(scratchOf(h.shop.dir).log, 'utf8').trim()) as string[];
    assert.ok(env.includes('PATH'));
    assert.ok(
      !env.includes('DEPLOY_TEST_SECRET') && !env.includes(h.keyVariable),
      `the minimal environment: ${env.join(', ')}`,
    );
    const cloud = await cloudTypes(h.shop.dir, summary.runId);
    assert.deepEqual(
      cloud.filter((t) => /devops|smoke|project\.completed/.test(t)),
      ['devops.deployed:devops', 'qa.passed:smoke', 'project.completed'],
    );
    assert.equal(h.host.ofType('smoke.passed').length, 1);
  } finally {
    delete process.env.DEPLOY_TEST_SECRET;
    await h.close();
  }
});

test('deploy step: a failing smoke test stops the run with its report (qa.failed); resume deploys and tests again and completes', async () => {
  const w = deployWorld();
  const h = await harness(agents(), w.shop);
  try {
    writeFileSync(scratchOf(h.shop.dir).broken, 'yes');
    const stopped = await engine.runFeature('Add a Product entity', h.options());
    assert.equal(stopped.status, 'stopped');
    assert.match(stopped.report ?? '', /## Pipeline stopped: a smoke test failed/);
    assert.match(stopped.report ?? '', /GET \/api\/products -> 500/);
    assert.match(stopped.report ?? '', /orchestrator resume/);
    assert.ok(existsSync(join(h.shop.dir, 'spec', 'completed')), 'the change itself is completed');
    assert.deepEqual(
      (await cloudTypes(h.shop.dir, stopped.runId)).filter((t) => /devops|smoke|monitor/.test(t)),
      ['devops.deployed:devops', 'qa.failed:smoke', 'monitor.alert'],
    );
    const calls = h.calls.length;

    rmSync(scratchOf(h.shop.dir).broken);
    const resumed = await engine.resumeRun(undefined, h.options());
    assert.equal(resumed.runId, stopped.runId);
    assert.equal(resumed.status, 'completed', resumed.error);
    assert.equal(h.calls.length, calls, 'no model call on resume: only the deploy step ran again');
    assert.equal(readFileSync(scratchOf(h.shop.dir).log, 'utf8').trim().split('\n').length, 2, 'deployed again');
    assert.deepEqual(
      (await cloudTypes(h.shop.dir, stopped.runId)).filter((t) => /devops|smoke/.test(t)),
      ['devops.deployed:devops', 'qa.failed:smoke', 'devops.deployed:devops', 'qa.passed:smoke'],
    );
  } finally {
    await h.close();
  }
});

test('deploy step: nothing runs in Restricted Mode; a deploy or smoke command that executes a file a layer owns is a configuration error', async () => {
  const w = deployWorld();
  const h = await harness(agents(), {
    ...w.shop,
    config: (yaml) => w.shop.config(yaml.replace(/\n\s+validate: \[[^\n]*\]/g, '')),
  });
  try {
    h.host.trusted = false;
    const summary = await untrustedRun(
      () => engine.runFeature('Add a Product entity', h.options()),
      () => h.calls.length,
    );
    if (summary) {
      assert.equal(summary.status, 'stopped');
      assert.match(summary.report ?? '', /the deploy step \(deploy and smoke commands\)/);
    }
    assert.ok(!existsSync(scratchOf(h.shop.dir).log), 'no deploy ran');
    assert.ok(!h.calls.some((c) => c.agent !== 'spec'), 'stopped before any layer agent');
  } finally {
    await h.close();
  }
  const shop = makeShop({
    config: (yaml) => `${yaml}\nsmoke: ["node server/smoke.js"]\n`,
    files: { 'server/smoke.js': SMOKE_JS },
  });
  try {
    await assert.rejects(
      loadConfig(shop.dir),
      (error: unknown) =>
        error instanceof ProjectFileError &&
        /smoke\[0\]/.test(error.message) &&
        /server\/smoke\.js/.test(error.message),
    );
  } finally {
    shop.cleanup();
  }
});
