import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engine } from '../../../src/core/engine';
import { block, lastToolResults, reply } from '../../support/messagesApiServer';
import { say, specAnswer } from '../../support/engine/agentScript';
import { BUGFIX_SPEC } from '../../support/engine/fixtures';
import { harness } from '../../support/engine/harness';

test('bugfix: DIAGNOSE (read-only) → SPEC with root cause → approval → FIX by the owning layer → validate → COMPLETE', async () => {
  const h = await harness({
    diagnose: ({ turn }) => {
      if (turn === 0) {
        return reply.turn([
          block.toolUse('read_file', { path: 'server/entities/customer.js' }),
          block.toolUse('write_file', { path: 'server/entities/customer.js', content: 'nope' }),
        ]);
      }
      return say.diagnosis(
        'validate() checks input.name.trim() but create() stores an untrimmed name',
        'trim once in validate and reuse it',
        ['server/entities/customer.js'],
      );
    },
    spec: specAnswer('Fix empty customer names', 'fix-empty-customer-names', BUGFIX_SPEC),
    backend: ({ turn }) =>
      turn === 0
        ? reply.toolUse('edit_file', {
            path: 'server/entities/customer.js',
            old_text: "if (typeof input.name !== 'string' || !input.name.trim())",
            new_text: "if (typeof input.name !== 'string' || input.name.trim() === '')",
          })
        : say.done('Trimmed before the check.'),
    review: () => {
      throw new Error('the bugfix pipeline has no review');
    },
  });
  try {
    const summary = await engine.runBugfix('Customers can be created with a blank name', h.options());
    assert.equal(summary.status, 'completed', summary.error);
    assert.deepEqual(
      summary.phases.map((p) => p.name),
      ['SYNC', 'UNDERSTAND', 'DIAGNOSE', 'SPEC', 'CHECKPOINT', 'FIX', 'COMPLETE'],
    );
    assert.deepEqual(summary.filesChanged, ['server/entities/customer.js']);

    const diagnose = h.callsOf('diagnose');
    const tools = (diagnose[0]!.req.body.tools ?? []).map((t) => (t as { name: string }).name).sort();
    assert.deepEqual(tools, ['list_files', 'read_file', 'search_files', 'submit_diagnosis']);
    const [read, write] = lastToolResults(diagnose[1]!.req);
    assert.equal(read!.is_error, false);
    assert.match(read!.text, /Customer — the reference module/);
    assert.equal(write!.is_error, true);
    assert.match(write!.text, /not available to this read-only agent/);

    assert.match(
      h.callsOf('spec')[0]!.task,
      /## BUG REPORT\nCustomers can be created with a blank name[\s\S]*## DIAGNOSIS\nRoot cause: validate\(\) checks/,
    );
    const diagnosis = h.host.ofType('diagnosis')[0]!;
    assert.deepEqual(diagnosis.layers, ['backend']);
    const fix = h.callsOf('backend')[0]!;
    assert.match(
      fix.task,
      /Apply the backend part of the fix in the spec "Fix empty customer names" — the minimal fix/,
    );
    assert.equal(h.host.ofType('agent.started').find((e) => e.agent === 'backend')!.mode, 'fix');
    assert.deepEqual(
      h.host.ofType('validation.passed').map((e) => e.layer),
      ['backend'],
    );
    assert.deepEqual(
      h.calls.map((c) => c.agent).filter((a, i, all) => all.indexOf(a) === i),
      ['diagnose', 'spec', 'backend'],
    );
    assert.match(summary.specPath!, /^spec\/completed\/.*-fix-empty-customer-names\/spec\.md$/);
    assert.match(h.shop.read(summary.specPath!), /kind: bugfix/);
    assert.match(h.shop.read('server/entities/customer.js'), /input\.name\.trim\(\) === ''/);
  } finally {
    await h.close();
  }
});
