// A feature on examples/clinic, a workspace the way Mustard and the MCP memory server leave it:
// a 3.1 registry with `sub`, a 4.0 subproject registry, context sources without compiled
// files, the memory graph found through .mcp.json, specs under .claude/spec/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { engine } from '../../../src/core/engine';
import { CLINIC_REQUEST, clinicAgents } from '../../support/engine/clinicFeature';
import { harness, journalOf } from '../../support/engine/harness';

test('Mustard-style workspace: sub and refs reach the layer agents, instructions come from the sources, the registry keeps its 3.1 shape', async () => {
  const h = await harness(clinicAgents(), { example: 'clinic' });
  try {
    const registryBefore = JSON.parse(h.shop.read('.claude/entity-registry.json')) as Record<string, unknown> & {
      e: Record<string, unknown>;
    };
    const summary = await engine.runFeature(CLINIC_REQUEST, h.options());
    assert.equal(summary.status, 'completed', summary.error);
    assert.equal(h.api.scriptErrors.length, 0, h.api.scriptErrors.join('\n'));

    // UNDERSTAND found the existing entity, its layers (memory) and its pattern (the 3.1 `_patterns`).
    const events = journalOf(h.shop, summary.runId);
    const understood = events.find((e) => e.type === 'understood');
    assert.deepEqual(understood && [understood.entity, understood.known, understood.layers, understood.pattern], [
      'Patient',
      true,
      ['database', 'backend', 'frontend'],
      'withSubItems',
    ]);

    // Every layer agent's request carries the entity's sub-items, refs, pattern and enums…
    for (const layer of ['database', 'backend', 'frontend']) {
      const system = (h.callsOf(layer)[0]!.req.body.system as { text: string }[]).map((b) => b.text).join('\n');
      assert.match(system, /## ENTITY REGISTRY\nEntity: Patient\n/, layer);
      assert.match(system, /\nPattern: withSubItems — reference module: Patient\n/, layer);
      assert.match(system, /\nRefs: Clinic\nSubs: PatientAllergy, PatientContact\n/, layer);
      assert.match(system, /\nEnum PatientAllergySeverity: \["mild","moderate","severe"\]\n/, layer);
      // …the memory graph read through .mcp.json's MEMORY_FILE_PATH (a .json file holding JSONL)…
      assert.match(system, /## ENTITY CONTEXT \(memory\)\n- Owned by the database, backend and frontend layers/, layer);
      assert.match(system, /- Clinic: The simple pattern: apps\/api\/src\/entities\/clinic\.js/, layer);
      // …and its instructions, compiled in memory from its own sources and shared/ (README left out).
      assert.match(
        system,
        /## CONTEXT FILE\n<!-- compiled in memory by Orchestrator from: \.claude\/context\/shared\/conventions\.md, \.claude\/context\/[a-z]+\/[a-z]+\.core\.md/,
        layer,
      );
      assert.match(system, /Dates and times are ISO-8601 strings in UTC\./, layer);
      assert.doesNotMatch(system, /Each folder holds the sources of one agent's context/, layer);
    }
    const backendSystem = (h.callsOf('backend')[0]!.req.body.system as { text: string }[])
      .map((b) => b.text)
      .join('\n');
    assert.match(
      backendSystem,
      /## Backend Context\n\nEntity modules live in `apps\/api\/src\/entities\/\{kebab\}\.js`/,
    );
    assert.match(backendSystem, /`validate` returns every message at once/);
    const frontendSystem = (h.callsOf('frontend')[0]!.req.body.system as { text: string }[])
      .map((b) => b.text)
      .join('\n');
    assert.match(frontendSystem, /The dashboard \(`apps\/dashboard\/src`\) only reads/);
    assert.doesNotMatch(frontendSystem, /Entity modules live in/);
    // The subproject registry's entities are known too.
    assert.match(
      backendSystem,
      /Entities in the registry: Appointment, Clinic, Patient, PatientAllergy, PatientContact, Practitioner, DayBoard\n/,
    );

    // The run said which compiled files were missing (log, sidebar, CLI all show `log` warn events).
    const warnings = events.filter((e) => e.type === 'log' && e.level === 'warn').map((e) => String(e.message));
    for (const agent of ['spec', 'database', 'backend', 'frontend', 'review']) {
      assert.ok(
        warnings.some((w) => w.startsWith(`.claude/context/${agent}.context.md does not exist: "${agent}" uses its`)),
        `${agent}: ${warnings.join('\n')}`,
      );
    }

    // The spec went where the project keeps specs; COMPLETE moved it there too.
    assert.match(summary.specPath!, /^\.claude\/spec\/completed\/\d{4}-\d{2}-\d{2}-patient-blood-type\/spec\.md$/);
    assert.ok(!existsSync(join(h.shop.dir, 'spec')));

    // COMPLETE: the new ref was added to Patient, and the file is still Mustard 3.1: `_meta`,
    // `sub` (never `subs`), no `pattern` key, no empty lists, its own key, 2-space layout.
    const text = h.shop.read('.claude/entity-registry.json');
    const registry = JSON.parse(text) as typeof registryBefore;
    const expected = structuredClone(registryBefore);
    (expected.e.Patient as { refs: string[] }).refs = ['Clinic', 'Practitioner'];
    assert.deepEqual(registry, expected);
    assert.equal(text, `${JSON.stringify(expected, null, 2)}\n`);
    assert.deepEqual(registry.e.Patient, {
      refs: ['Clinic', 'Practitioner'],
      sub: ['PatientAllergy', 'PatientContact'],
    });
    // The dashboard's own registry was not touched.
    assert.equal(h.shop.git('status', '--porcelain', 'apps/dashboard/.claude').trim(), '');
  } finally {
    await h.close();
  }
});
