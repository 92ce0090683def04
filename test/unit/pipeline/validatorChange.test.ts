// Manifests stay editable, validators stay trustworthy: a layer agent may add a dependency to
// the package.json its layer owns without a question, but a change to a package script a
// validate command runs asks first (like a schema change), and once accepted it is re-hashed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { engine } from '../../../src/core/engine';
import { startModelServer } from '../../support/modelServer';
import { pipelineScript, say, specAnswer, type AgentScript } from '../../support/engine/agentScript';
import { GOOD_USERS, repository, SPEC } from '../../support/engine/censusRepository';
import { TestHost } from '../../support/engine/testHost';

const manifest = (scripts: Record<string, string>, dependencies: Record<string, string>) =>
  JSON.stringify({ name: 'api', dependencies, scripts }, null, 2);
const WITH_DEPENDENCY = manifest({ build: 'node --check src/users.js' }, { express: '4.0.0', zod: '3.0.0' });
const WEAKER_SCRIPT = manifest({ build: 'node -e "process.exit(0)"' }, { express: '4.0.0' });

async function run(backend: AgentScript, confirmAnswer: boolean) {
  const repo = repository();
  const scripted = pipelineScript({
    spec: specAnswer('User email', 'user-email', SPEC),
    backend,
    frontend: ({ turn }) =>
      turn > 0 ? say.done() : say.write({ 'frontend/src/app.js': 'module.exports = (u) => u.email;\n' }),
    review: () => say.approve(),
  });
  const api = await startModelServer('anthropic', scripted.script);
  const host = new TestHost();
  host.confirmAnswer = confirmAnswer;
  try {
    const summary = await engine.runFeature('Add an email field to User', {
      workspace: repo.dir,
      host,
      baseURL: api.url,
      autoApprove: true,
      // The census's frontend is checked by its lint alone: accepted here, where the backend's validators are the subject.
      allowUnchecked: true,
    });
    const validatorQuestions = host.confirmations.filter((c) => c.kind === 'validator-change');
    return { summary, validatorQuestions, manifest: readFileSync(join(repo.dir, 'backend/package.json'), 'utf8') };
  } finally {
    await api.close();
    repo.cleanup();
  }
}

test('validators: adding a dependency to the owned package.json asks nothing and trips no tamper check', async () => {
  const { summary, validatorQuestions, manifest } = await run(
    ({ turn }) =>
      turn > 0
        ? say.done()
        : say.write({ 'backend/package.json': WITH_DEPENDENCY, 'backend/src/users.js': GOOD_USERS }),
    true,
  );
  assert.equal(summary.status, 'completed', summary.error);
  assert.deepEqual(validatorQuestions, []);
  assert.equal(manifest, WITH_DEPENDENCY);
});

test('validators: changing the script a validate command runs asks first; refused, the write does not happen', async () => {
  const { summary, validatorQuestions, manifest } = await run(({ turn }) => {
    if (turn === 0) return say.write({ 'backend/package.json': WEAKER_SCRIPT });
    if (turn === 1) return say.write({ 'backend/src/users.js': GOOD_USERS });
    return say.done();
  }, false);
  assert.equal(summary.status, 'completed', summary.error);
  assert.equal(validatorQuestions.length, 1);
  assert.deepEqual(validatorQuestions[0]!.paths, ['backend/package.json']);
  assert.match(
    validatorQuestions[0]!.question,
    /The backend agent will change what a validate command runs: backend\/package\.json \("cd backend && npm run build"\)\. Allow it\?/,
  );
  assert.match(manifest, /node --check src\/users\.js/, 'the validator is as it was');
});

test('validators: an accepted script change is re-hashed, so validation runs the new script instead of stopping as tampered', async () => {
  const { summary, validatorQuestions, manifest } = await run(
    ({ turn }) =>
      turn > 0 ? say.done() : say.write({ 'backend/package.json': WEAKER_SCRIPT, 'backend/src/users.js': GOOD_USERS }),
    true,
  );
  assert.equal(summary.status, 'completed', summary.error);
  assert.equal(validatorQuestions.length, 1);
  assert.equal(manifest, WEAKER_SCRIPT);
});
