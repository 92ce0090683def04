// Specs waiting for approval in the portal: every account reads them; supervisors and admins decide
// (approve / save for later / request changes) with their name recorded in the spec and the log;
// the gate refuses work no layer owns, a spec not waiting, and changes without feedback.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { SPEC_DECISIONS_FILE } from '../../../src/core/project/specs/specDecisionRecord';
import { createSpec, loadSpec } from '../../../src/core/project/specs/specs';
import { CUSTOMER_SPEC } from '../pipeline/support/fixtures';
import { portalWorld } from './portalKit';

const UNOWNED = `${CUSTOMER_SPEC}\n### More\n- [ ] docs/nobody-owns-this.txt: a note\n`.replace('### Dependencies', '### Files to Create/Modify (more)\n- [ ] docs/nobody-owns-this.txt: a note\n\n### Dependencies');

test('the Specs API: listed for every role, decided only by supervisors and admins, recorded with who', async () => {
  const world = await portalWorld();
  try {
    const waiting = await createSpec(world.shop.dir, { title: 'Trim customer names', kind: 'feature', layers: ['backend'], markdown: CUSTOMER_SPEC });
    const later = await createSpec(world.shop.dir, { title: 'Saved one', slug: 'saved-one', kind: 'feature', layers: ['backend'], markdown: CUSTOMER_SPEC, status: 'saved' });
    await createSpec(world.shop.dir, { title: 'Already approved', slug: 'approved-one', kind: 'feature', layers: ['backend'], markdown: CUSTOMER_SPEC, status: 'approved' });

    const bot = await world.signIn('bot');
    const listed = await world.as(bot, 'GET', '/api/specs');
    assert.equal(listed.status, 200, listed.text);
    assert.deepEqual(listed.json.map((s: { id: string }) => s.id).sort(), [waiting.id, later.id].sort(), 'only specs at the gate');
    assert.match(listed.json.find((s: { id: string }) => s.id === waiting.id).markdown, /Trim customer names/);
    const refused = await world.as(bot, 'POST', `/api/specs/${waiting.id}/decision`, { action: 'approve' });
    assert.equal(refused.status, 403);
    assert.equal((await loadSpec(world.shop.dir, waiting.id)).frontMatter.status, 'awaiting-approval');

    const sam = await world.signIn('sam');
    assert.equal((await world.as(sam, 'POST', `/api/specs/${waiting.id}/decision`, { action: 'changes', feedback: '  ' })).status, 400, 'changes need feedback');
    assert.equal((await world.as(sam, 'POST', `/api/specs/${waiting.id}/decision`, { action: 'ship it' })).status, 400);
    assert.equal((await world.as(sam, 'POST', '/api/specs/2020-01-01-nothing/decision', { action: 'approve' })).status, 404);
    assert.equal((await world.as(sam, 'POST', `/api/specs/${waiting.id}/decision`, { action: 'approve' }, false)).status, 403, 'no CSRF token');

    const changes = await world.as(sam, 'POST', `/api/specs/${waiting.id}/decision`, { action: 'changes', feedback: 'Also trim emails' });
    assert.equal(changes.status, 200, changes.text);
    const afterChanges = (await world.as(sam, 'GET', '/api/specs')).json.find((s: { id: string }) => s.id === waiting.id);
    assert.deepEqual([afterChanges.status, afterChanges.decision.action, afterChanges.decision.by, afterChanges.decision.feedback], ['awaiting-approval', 'changes', 'sam', 'Also trim emails']);

    const approved = await world.as(sam, 'POST', `/api/specs/${waiting.id}/decision`, { action: 'approve' });
    assert.equal(approved.status, 200, approved.text);
    const spec = await loadSpec(world.shop.dir, waiting.id);
    assert.equal(spec.frontMatter.status, 'approved');
    assert.match(String(spec.frontMatter.approved), /^\d{4}-\d\d-\d\dT/);
    assert.equal((spec.frontMatter as Record<string, { by: string; action: string }>).decision?.by, 'sam');
    assert.equal((await world.as(sam, 'POST', `/api/specs/${waiting.id}/decision`, { action: 'approve' })).status, 404, 'no longer waiting');

    const ada = await world.signIn('ada');
    assert.equal((await world.as(ada, 'POST', `/api/specs/${later.id}/decision`, { action: 'save' })).status, 200);
    assert.equal((await loadSpec(world.shop.dir, later.id)).frontMatter.status, 'saved');

    const log = readFileSync(join(world.shop.dir, SPEC_DECISIONS_FILE), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(log.map((l) => [l.specId, l.action, l.by]), [[waiting.id, 'changes', 'sam'], [waiting.id, 'approve', 'sam'], [later.id, 'save', 'ada']]);
  } finally {
    await world.close();
  }
});

test('the same gate as approve: a spec with work no layer owns is not approved from the portal', async () => {
  const world = await portalWorld();
  try {
    const spec = await createSpec(world.shop.dir, { title: 'Half owned', kind: 'feature', layers: ['backend'], markdown: UNOWNED });
    const sam = await world.signIn('sam');
    const listed = (await world.as(sam, 'GET', '/api/specs')).json.find((s: { id: string }) => s.id === spec.id);
    assert.ok(listed.unowned?.length > 0, 'the page can say so before anyone clicks');
    const refused = await world.as(sam, 'POST', `/api/specs/${spec.id}/decision`, { action: 'approve' });
    assert.equal(refused.status, 400);
    assert.match(refused.json.error, /no layer owns .*docs\/nobody-owns-this\.txt.*--assign/);
    assert.equal((await loadSpec(world.shop.dir, spec.id)).frontMatter.status, 'awaiting-approval');
  } finally {
    await world.close();
  }
});
