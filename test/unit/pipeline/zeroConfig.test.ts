// A repository with no .claude/: the run uses the census in memory — its layers, owns and
// validate commands — says so in one line, and the census's commands run and gate.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { engine } from '../../../src/core/engine';
import { startModelServer } from '../../support/modelServer';
import { pipelineScript, say, specAnswer } from '../../support/engine/agentScript';
import { BROKEN_USERS, GOOD_USERS, repository, SPEC } from '../../support/engine/censusRepository';
import { TestHost } from '../../support/engine/testHost';

test('zero configuration: a feature on a repository with no .claude/ runs on the census layers, whose validate commands run and gate', async () => {
  const repo = repository();
  const scripted = pipelineScript({
    spec: specAnswer('User email', 'user-email', SPEC),
    backend: ({ turn, attempt }) =>
      turn > 0 ? say.done() : say.write({ 'backend/src/users.js': attempt === 1 ? BROKEN_USERS : GOOD_USERS }),
    frontend: ({ turn }) =>
      turn > 0 ? say.done() : say.write({ 'frontend/src/app.js': 'module.exports = (u) => u.email;\n' }),
    review: () => say.approve(),
  });
  const api = await startModelServer('anthropic', scripted.script);
  const host = new TestHost();
  try {
    const summary = await engine.runFeature('Add an email field to User', {
      workspace: repo.dir,
      host,
      baseURL: api.url,
      autoApprove: true,
      assumeYes: true,
    });
    // The census's frontend has only its lint as a check: its change ends the run unchecked (issue 70), said so.
    assert.equal(summary.status, 'unchecked', summary.error);
    assert.deepEqual(summary.unchecked, [
      { layer: 'frontend', files: ['frontend/src/app.js'], styleOnly: ['cd frontend && npm run lint'] },
    ]);
    assert.deepEqual(
      summary.retries,
      { backend: 1, frontend: 0 },
      'the census command caught the broken file, and the retry fixed it',
    );
    assert.equal(readFileSync(join(repo.dir, 'backend/src/users.js'), 'utf8'), GOOD_USERS);

    const logs = host.events.filter((e) => e.type === 'log').map((e) => (e as { message: string }).message);
    const notice = logs.filter((m) => m.startsWith('No .claude/orchestrator.yaml: this run uses the census'));
    assert.equal(notice.length, 1, 'said once, in one line');
    assert.match(notice[0]!, /backend \(backend\/\*\*\), frontend \(frontend\/\*\*\)/);
    assert.ok(
      !logs.some((m) => /runs without project instructions/.test(m) && /backend|frontend/.test(m)),
      'the layers have their census instructions',
    );

    const failed = host.events.find((e) => e.type === 'validation.failed') as
      { command?: string; layer?: string } | undefined;
    assert.ok(failed, 'validation failed once');
    assert.match(JSON.stringify(failed), /cd backend && npm run build/);
    const system = JSON.stringify(scripted.callsOf('backend')[0]!.req.body);
    assert.match(system, /You implement the backend part of an approved spec/);
    assert.match(system, /cd backend && npm run build/);
    assert.ok(
      !existsSync(join(repo.dir, '.claude/orchestrator.yaml')),
      'nothing is written: the census stays in memory',
    );
  } finally {
    await api.close();
    repo.cleanup();
  }
});
