// examples/clinic (a Mustard-style workspace) through the built CLI: the warnings about what
// it compiled in memory reach the terminal, the run completes, the registry keeps its shape.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startMessagesApiServer } from '../../support/messagesApiServer';
import { pipelineScript } from '../../support/engine/agentScript';
import { CLINIC_REQUEST, clinicAgents } from '../../support/engine/clinicFeature';
import { makeShop } from '../../support/engine/shopWorkspace';
import { buildCli, jsonOf, runCli } from '../../support/cli/cliKit';

before(() => buildCli());

test('cli: feature on the Mustard-style example completes, says what it compiled in memory, keeps the 3.1 registry', async () => {
  const clinic = makeShop({ example: 'clinic' });
  const scripted = pipelineScript(clinicAgents());
  const api = await startMessagesApiServer(scripted.script);
  try {
    const before = JSON.parse(clinic.read('.claude/entity-registry.json')) as {
      _meta: unknown;
      e: Record<string, unknown>;
    };
    const result = await runCli(['feature', CLINIC_REQUEST, '--approve', '--yes', '--json'], {
      cwd: clinic.dir,
      baseURL: api.url,
    });
    assert.equal(result.code, 0, result.stderr);
    const summary = jsonOf(result);
    assert.equal(summary.status, 'completed');
    assert.match(
      String(summary.specPath),
      /^\.claude\/spec\/completed\/\d{4}-\d{2}-\d{2}-patient-blood-type\/spec\.md$/,
    );
    assert.match(
      result.stderr,
      /warn: \.claude\/context\/backend\.context\.md does not exist: "backend" uses its 3 source files compiled in memory/,
    );
    assert.match(result.stderr, /entity Patient \(known\); layers: database, backend, frontend/);
    const after = JSON.parse(clinic.read('.claude/entity-registry.json')) as typeof before;
    assert.deepEqual(after._meta, before._meta);
    assert.deepEqual(after.e.Patient, { refs: ['Clinic', 'Practitioner'], sub: ['PatientAllergy', 'PatientContact'] });
    assert.deepEqual(Object.keys(after.e), Object.keys(before.e));
  } finally {
    await api.close();
    clinic.cleanup();
  }
});
