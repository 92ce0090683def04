// Specs waiting for approval in the portal: every account reads them; supervisors and admins decide
// (approve / save for later / request changes) with their name recorded in the spec and the log;
// the gate refuses work no layer owns, a spec not waiting, and changes without feedback.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { SPEC_DECISIONS_FILE } from '../../../src/core/project/specs/specDecisionRecord';
import { createSpec, loadSpec } from '../../../src/core/project/specs/specs';
import { CUSTOMER_SPEC } from '../../support/engine/fixtures';
import { inPortal } from '../../support/portal/portalKit';

const UNOWNED = `${CUSTOMER_SPEC}\n### More\n- [ ] docs/nobody-owns-this.txt: a note\n`.replace(
  '### Dependencies',
  '### Files to Create/Modify (more)\n- [ ] docs/nobody-owns-this.txt: a note\n\n### Dependencies',
);

test('the Specs API: listed for every role, decided only by supervisors and admins, recorded with who', async () => {
  await inPortal({}, async (world) => {
    const waiting = await createSpec(world.shop.dir, {
      title: 'Trim customer names',
      kind: 'feature',
      layers: ['backend'],
      markdown: CUSTOMER_SPEC,
    });
    const later = await createSpec(world.shop.dir, {
      title: 'Saved one',
      slug: 'saved-one',
      kind: 'feature',
      layers: ['backend'],
      markdown: CUSTOMER_SPEC,
      status: 'saved',
    });
    await createSpec(world.shop.dir, {
      title: 'Already approved',
      slug: 'approved-one',
      kind: 'feature',
      layers: ['backend'],
      markdown: CUSTOMER_SPEC,
      status: 'approved',
    });

    const bot = await world.signIn('bot');
    const listed = await world.as(bot, 'GET', '/api/specs');
    assert.equal(listed.status, 200, listed.text);
    assert.deepEqual(
      listed.json.map((s: { id: string }) => s.id).sort(),
      [waiting.id, later.id].sort(),
      'only specs at the gate',
    );
    assert.match(listed.json.find((s: { id: string }) => s.id === waiting.id).markdown, /Trim customer names/);
    const refused = await world.as(bot, 'POST', `/api/specs/${waiting.id}/decision`, { action: 'approve' });
    assert.equal(refused.status, 403);
    assert.equal((await loadSpec(world.shop.dir, waiting.id)).frontMatter.status, 'awaiting-approval');

    const sam = await world.signIn('sam');
    assert.equal(
      (await world.as(sam, 'POST', `/api/specs/${waiting.id}/decision`, { action: 'changes', feedback: '  ' })).status,
      400,
      'changes need feedback',
    );
    const bad = await world.as(sam, 'POST', `/api/specs/${waiting.id}/decision`, { action: 'ship it' });
    assert.deepEqual(
      [bad.status, bad.json.error],
      [
        400,
        'the decision must be {action: approve|save|changes, feedback?, attempts?}: action: Invalid option: expected one of "approve"|"save"|"changes"',
      ],
    );
    // Attempts go with a pooled spec's approval only (issue 47): this workspace's run keeps its own; nothing is recorded.
    const attempts = await world.as(sam, 'POST', `/api/specs/${waiting.id}/decision`, {
      action: 'approve',
      attempts: 3,
    });
    assert.deepEqual(
      [attempts.status, attempts.json.error],
      [
        400,
        `attempts: only a pooled spec's approval takes attempts; spec ${waiting.id} is implemented where it waits (a VS Code window's run keeps the attempts it started with; a saved spec: orchestrator approve ${waiting.id} --attempts N)`,
      ],
    );
    assert.equal(
      (await world.as(sam, 'POST', '/api/specs/2020-01-01-nothing/decision', { action: 'approve' })).status,
      404,
    );
    assert.equal(
      (await world.as(sam, 'POST', `/api/specs/${waiting.id}/decision`, { action: 'approve' }, false)).status,
      403,
      'no CSRF token',
    );

    const changes = await world.as(sam, 'POST', `/api/specs/${waiting.id}/decision`, {
      action: 'changes',
      feedback: 'Also trim emails',
    });
    assert.equal(changes.status, 200, changes.text);
    const afterChanges = (await world.as(sam, 'GET', '/api/specs')).json.find(
      (s: { id: string }) => s.id === waiting.id,
    );
    assert.deepEqual(
      [afterChanges.status, afterChanges.decision.action, afterChanges.decision.by, afterChanges.decision.feedback],
      ['awaiting-approval', 'changes', 'sam', 'Also trim emails'],
    );

    const approved = await world.as(sam, 'POST', `/api/specs/${waiting.id}/decision`, { action: 'approve' });
    assert.equal(approved.status, 200, approved.text);
    const spec = await loadSpec(world.shop.dir, waiting.id);
    assert.equal(spec.frontMatter.status, 'approved');
    assert.match(String(spec.frontMatter.approved), /^\d{4}-\d\d-\d\dT/);
    assert.equal((spec.frontMatter as Record<string, { by: string; action: string }>).decision?.by, 'sam');
    assert.equal(
      (await world.as(sam, 'POST', `/api/specs/${waiting.id}/decision`, { action: 'approve' })).status,
      404,
      'no longer waiting',
    );

    const ada = await world.signIn('ada');
    assert.equal((await world.as(ada, 'POST', `/api/specs/${later.id}/decision`, { action: 'save' })).status, 200);
    assert.equal((await loadSpec(world.shop.dir, later.id)).frontMatter.status, 'saved');

    const log = readFileSync(join(world.shop.dir, SPEC_DECISIONS_FILE), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      log.map((l) => [l.specId, l.action, l.by]),
      [
        [waiting.id, 'changes', 'sam'],
        [waiting.id, 'approve', 'sam'],
        [later.id, 'save', 'ada'],
      ],
    );
  });
});

test('the same gate as approve: a spec with work no layer owns is not approved from the portal', async () => {
  await inPortal({}, async (world) => {
    const spec = await createSpec(world.shop.dir, {
      title: 'Half owned',
      kind: 'feature',
      layers: ['backend'],
      markdown: UNOWNED,
    });
    const sam = await world.signIn('sam');
    const listed = (await world.as(sam, 'GET', '/api/specs')).json.find((s: { id: string }) => s.id === spec.id);
    assert.ok(listed.unowned?.length > 0, 'the page can say so before anyone clicks');
    const refused = await world.as(sam, 'POST', `/api/specs/${spec.id}/decision`, { action: 'approve' });
    assert.equal(refused.status, 400);
    assert.match(refused.json.error, /no layer owns .*docs\/nobody-owns-this\.txt.*--assign/);
    assert.equal((await loadSpec(world.shop.dir, spec.id)).frontMatter.status, 'awaiting-approval');
  });
});

test('tasks naming no file get their layer in the portal: the model\'s proposal changed, a "no layer" task picked; only deciders, only real layers and tasks', async () => {
  await inPortal({}, async (world) => {
    const tasks = [
      '### Tasks (imported)',
      '5. [ ] T020 Performance pass over the invitation queries — layer: backend (proposed by the model: the queries live in the server)',
      '6. [ ] T021 Remind travel agents of pending invitations — no layer (pick one when approving)',
      '',
    ].join('\n');
    const spec = await createSpec(world.shop.dir, {
      title: 'Trip invitations',
      kind: 'feature',
      layers: ['backend'],
      markdown: CUSTOMER_SPEC.replace('### Dependencies', `${tasks}\n### Dependencies`),
    });
    const sam = await world.signIn('sam');
    const listed = (await world.as(sam, 'GET', '/api/specs')).json.find((s: { id: string }) => s.id === spec.id);
    assert.deepEqual(
      listed.unowned.map((u: { pick?: { task: string; proposed?: string; layers: string[] } }) => [
        u.pick?.task,
        u.pick?.proposed,
        u.pick?.layers.length,
      ]),
      [
        ['T020', 'backend', 3],
        ['T021', undefined, 3],
      ],
    );

    const bot = await world.signIn('bot');
    assert.equal(
      (
        await world.as(bot, 'POST', `/api/specs/${spec.id}/layers`, {
          assignments: [{ task: 'T020', layer: 'database' }],
        })
      ).status,
      403,
      'agents read, never decide',
    );
    assert.equal(
      (
        await world.as(
          sam,
          'POST',
          `/api/specs/${spec.id}/layers`,
          { assignments: [{ task: 'T020', layer: 'database' }] },
          false,
        )
      ).status,
      403,
      'no CSRF token',
    );
    const noLayer = await world.as(sam, 'POST', `/api/specs/${spec.id}/layers`, {
      assignments: [{ task: 'T020', layer: 'mobile' }],
    });
    assert.equal(noLayer.status, 400);
    assert.match(noLayer.json.error, /T020=mobile: no layer "mobile" \(layers: database, backend, frontend\)/);
    const noTask = await world.as(sam, 'POST', `/api/specs/${spec.id}/layers`, {
      assignments: [{ task: 'T999', layer: 'backend' }],
    });
    assert.equal(noTask.status, 400);
    assert.match(noTask.json.error, /the spec has no task T999 \(tasks: .*T020, T021/);
    for (const body of [
      {},
      { assignments: [] },
      { assignments: [{ task: 'T020' }] },
      { assignments: [{ task: 'T020', layer: 'backend', extra: 1 }] },
    ]) {
      const bad = await world.as(sam, 'POST', `/api/specs/${spec.id}/layers`, body);
      assert.equal(bad.status, 400, JSON.stringify(body));
      assert.match(bad.json.error, /^assignments: /);
    }
    assert.equal(
      (
        await world.as(sam, 'POST', '/api/specs/2020-01-01-nothing/layers', {
          assignments: [{ task: 'T020', layer: 'backend' }],
        })
      ).status,
      404,
    );
    assert.match(
      (await loadSpec(world.shop.dir, spec.id)).body,
      /T020 Performance pass over the invitation queries — layer: backend \(proposed by the model/,
      'nothing written by a refusal',
    );

    const assigned = await world.as(sam, 'POST', `/api/specs/${spec.id}/layers`, {
      assignments: [
        { task: 'T020', layer: 'database' },
        { task: 'T021', layer: 'frontend' },
      ],
    });
    assert.equal(assigned.status, 200, assigned.text);
    const body = (await loadSpec(world.shop.dir, spec.id)).body;
    assert.match(
      body,
      /^5\. \[ \] T020 Performance pass over the invitation queries — layer: database \(chosen when approving\)$/m,
    );
    assert.match(
      body,
      /^6\. \[ \] T021 Remind travel agents of pending invitations — layer: frontend \(chosen when approving\)$/m,
    );
    const after = (await world.as(sam, 'GET', '/api/specs')).json.find((s: { id: string }) => s.id === spec.id);
    assert.deepEqual(after.unowned ?? [], [], 'nothing left without a layer');
    const approved = await world.as(sam, 'POST', `/api/specs/${spec.id}/decision`, { action: 'approve' });
    assert.equal(approved.status, 200, approved.text);
  });
});
