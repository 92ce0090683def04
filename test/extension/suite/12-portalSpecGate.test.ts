// The portal's spec decisions reach a run waiting at its gate in VS Code (issue 30, point 7): the
// decision recorded by the engine as the portal records it (the spec's front matter and
// .claude/runs/spec-decisions.jsonl) answers the waiting gate as the sidebar would; one recorded
// before the wait began is not taken for it.
import * as assert from 'node:assert/strict';
import { PRODUCT_REQUEST } from '../../../bench/support/productFeature';
import { recordSpecDecision } from '../../../src/core/project/specs/specDecisionRecord';
import { api } from '../support/api';
import { exists, wsPath } from '../support/files';
import { readyForARun, userApprovingSchemaChanges } from '../support/featureRun';
import { run, start, until, view, within } from '../support/host';
import { userPerTest } from '../support/userPerTest';

suite('spec decisions from the portal', function () {
  this.timeout(180_000);

  suiteSetup(async function () {
    await readyForARun(this);
  });
  userPerTest({ user: userApprovingSchemaChanges });

  test('"Save for later" by a supervisor in the portal ends the waiting run with its spec saved', async () => {
    await api.scenario({ name: 'product' });
    const done = start('orchestrator.newFeature', PRODUCT_REQUEST);
    const pending = await until(() => view().pendingDecision, 60_000, 'the spec decision');
    await recordSpecDecision(wsPath(''), pending.id, { action: 'save', by: 'sam' });
    await within(done, 30_000, 'the run after the portal saved its spec');
    assert.equal(run().status, 'spec-saved');
    assert.equal(view().pendingDecision, undefined);
  });

  test('"Approve" by a supervisor in the portal lets the waiting run implement the spec', async () => {
    await api.scenario({ name: 'product' });
    const done = start('orchestrator.newFeature', PRODUCT_REQUEST);
    const pending = await until(() => view().pendingDecision, 60_000, 'the spec decision');
    await recordSpecDecision(wsPath(''), pending.id, { action: 'approve', by: 'sam' });
    await within(done, 150_000, 'the run approved from the portal');
    const r = run();
    assert.equal(r.status, 'completed', `run ended ${r.status}: ${r.error ?? ''}`);
    assert.ok(exists('server/entities/product.js'), 'the approved spec was not implemented');
  });
});
