// Workflow phase gates in the portal (issue 29): a run waiting at a phase's human gate — live (the
// host asks now) or saved there — is listed with its phase and documents for every account;
// supervisors and admins decide it with a decision naming the phase and the question; a wrong
// phase or a stale question is refused; requested changes re-run only that phase when the run
// continues, and an approval lets it finish. Real runs on the scripted model server.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { engine } from '../../../src/core/engine';
import type { SpecDecision } from '../../../src/core/host';
import { SPEC_DECISIONS_FILE } from '../../../src/core/project/specs/specDecisionRecord';
import { specAnswer } from '../../support/engine/agentScript';
import {
  FRONT_PHASES,
  NOTES_SPEC,
  sliceWorld,
  withSections,
  writesDocuments,
} from '../../support/workflows/fastapiSlice';
import { portalWorld } from '../../support/portal/portalKit';

const SIGNED = `${FRONT_PHASES}  - name: SIGNOFF
    role: { agent: qa, access: write }
    inputs: [SPEC.spec]
    outputs: [{ document: uat, path: "{spec}/uat.md", sections: [UAT] }]
    gate: { human: [pm] }
`;

const qa = writesDocuments((_path, call) =>
  call.task.includes('CHANGES REQUESTED')
    ? withSections('UAT report v2', ['UAT'])
    : `${withSections('UAT report', ['UAT'])}\n<script>alert(1)</script> [the demo](https://example.com/demo)\n`,
);

async function signedWorld() {
  return sliceWorld(
    { spec: specAnswer('Reservation notes', 'reservation-notes', NOTES_SPEC), qa },
    { '.claude/workflows/signed.yaml': SIGNED },
  );
}

test('the gates API: a run saved at a phase gate is listed with its documents; only supervisors and admins decide, naming the phase and the question; changes re-run only that phase; an approval lets resume finish', async () => {
  const world = await signedWorld();
  world.host.decisions = [{ action: 'approve' }, { action: 'save' }];
  const saved = await engine.runFeature('Agents add a note to a reservation', world.options({ workflow: 'signed' }));
  assert.equal(saved.status, 'spec-saved', saved.error);
  const portal = await portalWorld({ dir: world.dir });
  try {
    const bot = await portal.signIn('bot');
    const listed = await portal.as(bot, 'GET', '/api/gates');
    assert.equal(listed.status, 200, listed.text);
    assert.equal(listed.json.length, 1);
    const gate = listed.json[0];
    const specId = saved.specPath!.split('/')[2]!;
    assert.deepEqual(
      [gate.runId, gate.specId, gate.phase, gate.state, gate.workflow],
      [saved.runId, specId, 'SIGNOFF', 'saved', 'signed'],
    );
    assert.deepEqual(
      gate.documents.map((d: { path: string }) => d.path),
      [`spec/active/${specId}/uat.md`],
    );
    assert.match(
      gate.documents[0].markdown,
      /^# UAT report\n[\s\S]*<script>alert\(1\)<\/script>/,
      'the text as written: the page renders it, never as HTML',
    );
    const decide = (who: { cookie: string; csrf: string }, body: unknown, csrf = true) =>
      portal.as(who, 'POST', `/api/gates/${saved.runId}/decision`, body, csrf);

    const refused = await decide(bot, { phase: 'SIGNOFF', asked: gate.asked, action: 'approve' });
    assert.equal(refused.status, 403);
    assert.match(refused.json.error, /bot's role is agent: only admin or supervisor accounts may decide phase gates/);

    const sam = await portal.signIn('sam');
    assert.equal(
      (await decide(sam, { phase: 'SIGNOFF', asked: gate.asked, action: 'approve' }, false)).status,
      403,
      'no CSRF token',
    );
    const malformed = await decide(sam, { phase: 'SIGNOFF', asked: 'latest', action: 'ship it' });
    assert.equal(malformed.status, 400);
    assert.match(malformed.json.error, /asked: .*; action: /);
    const wrongPhase = await decide(sam, { phase: 'A', asked: gate.asked, action: 'approve' });
    assert.equal(wrongPhase.status, 409);
    assert.match(wrongPhase.json.error, /waits at phase SIGNOFF's gate, not A's: reload the page/);
    const stale = await decide(sam, { phase: 'SIGNOFF', asked: gate.asked - 1, action: 'approve' });
    assert.equal(stale.status, 409);
    assert.match(stale.json.error, /asked again since/);
    assert.equal(
      (await decide(sam, { phase: 'SIGNOFF', asked: gate.asked, action: 'changes', feedback: ' ' })).status,
      400,
      'changes need feedback',
    );
    assert.equal(
      (
        await portal.as(sam, 'POST', '/api/gates/no-such-run/decision', {
          phase: 'SIGNOFF',
          asked: 1,
          action: 'approve',
        })
      ).status,
      404,
    );
    assert.equal(
      (await portal.as(sam, 'POST', '/api/gates/..%2Fx/decision', { phase: 'SIGNOFF', asked: 1, action: 'approve' }))
        .status,
      404,
    );

    const changes = await decide(sam, {
      phase: 'SIGNOFF',
      asked: gate.asked,
      action: 'changes',
      feedback: 'Sign off the notes on mobile too.',
    });
    assert.equal(changes.status, 200, changes.text);
    const decided = (await portal.as(bot, 'GET', '/api/gates')).json[0];
    assert.deepEqual(
      [decided.decision.action, decided.decision.by, decided.decision.feedback],
      ['changes', 'sam', 'Sign off the notes on mobile too.'],
    );

    // The run continues with the portal's changes: only SIGNOFF's role writes again, then the gate asks again.
    world.host.decisions = [{ action: 'save' }];
    assert.equal((await engine.resumeRun(saved.runId, world.options())).status, 'spec-saved');
    assert.equal(world.callsOf('qa').filter((c) => c.turn === 0).length, 2);
    assert.match(
      world.callsOf('qa').filter((c) => c.turn === 0)[1]!.task,
      /## CHANGES REQUESTED\n[^\n]*\nSign off the notes on mobile too\./,
    );
    const starts = world
      .journal(saved.runId)
      .filter((e) => e.type === 'phase.started')
      .map((e) => e.phase);
    assert.deepEqual(
      starts.filter((p) => p === 'SPEC' || p === 'SIGNOFF'),
      ['SPEC', 'SIGNOFF', 'SIGNOFF'],
      'SPEC did not run again',
    );

    const again = (await portal.as(sam, 'GET', '/api/gates')).json[0];
    assert.ok(again.asked > gate.asked);
    assert.match(again.documents[0].markdown, /^# UAT report v2/);
    assert.equal(
      (await decide(sam, { phase: 'SIGNOFF', asked: gate.asked, action: 'approve' })).status,
      409,
      'the first question is stale now',
    );
    const ada = await portal.signIn('ada');
    assert.equal((await decide(ada, { phase: 'SIGNOFF', asked: again.asked, action: 'approve' })).status, 200);

    const asks = world.host.specRequests.length;
    const completed = await engine.resumeRun(saved.runId, world.options());
    assert.equal(completed.status, 'completed', completed.error);
    assert.equal(world.host.specRequests.length, asks, "resume took the portal's approval");
    assert.deepEqual((await portal.as(sam, 'GET', '/api/gates')).json, []);
    assert.equal(
      (await decide(ada, { phase: 'SIGNOFF', asked: again.asked, action: 'approve' })).status,
      404,
      'no longer waiting',
    );

    const log = readFileSync(join(world.dir, SPEC_DECISIONS_FILE), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      log.map((l) => [l.specId, l.runId, l.phase, l.action, l.by]),
      [
        [specId, saved.runId, 'SIGNOFF', 'changes', 'sam'],
        [specId, saved.runId, 'SIGNOFF', 'approve', 'ada'],
      ],
    );
  } finally {
    await portal.close();
    await world.close();
  }
});

test('the gates API: a run waiting live at a phase gate (the host asks now) is listed as waiting; the decision is recorded for the window that waits', async () => {
  const world = await signedWorld();
  let asked!: () => void;
  const asking = new Promise<void>((resolve) => (asked = resolve));
  let answer!: (decision: SpecDecision) => void;
  const host = world.host;
  host.decideSpec = async (request) => {
    host.specRequests.push(request);
    if (request.phase === undefined) return { action: 'approve' };
    asked();
    return new Promise<SpecDecision>((resolve) => (answer = resolve));
  };
  const running = engine.runFeature('Agents add a note to a reservation', world.options({ workflow: 'signed' }));
  const portal = await portalWorld({ dir: world.dir });
  try {
    await asking;
    const sam = await portal.signIn('sam');
    const [gate] = (await portal.as(sam, 'GET', '/api/gates')).json;
    assert.deepEqual([gate.phase, gate.state, gate.decision], ['SIGNOFF', 'waiting', undefined]);
    const approved = await portal.as(sam, 'POST', `/api/gates/${gate.runId}/decision`, {
      phase: 'SIGNOFF',
      asked: gate.asked,
      action: 'approve',
    });
    assert.equal(approved.status, 200, approved.text);
    // What a VS Code window waiting at this gate reads (portalSpecDecisions.ts): the spec, the phase, who.
    const line = JSON.parse(readFileSync(join(world.dir, SPEC_DECISIONS_FILE), 'utf8').trim().split('\n').at(-1)!);
    assert.deepEqual(
      [line.specId, line.phase, line.action, line.by, line.runId],
      [gate.specId, 'SIGNOFF', 'approve', 'sam', gate.runId],
    );
    assert.ok(Date.parse(line.at) >= Date.parse(gate.at));
    // Nothing was journaled by the portal into a run it does not hold: the window answers its own gate.
    assert.equal(
      world.journal(gate.runId).some((e) => e.type === 'phase.decided'),
      false,
    );
    answer({ action: 'approve' });
    assert.equal((await running).status, 'completed');
  } finally {
    answer?.({ action: 'save' });
    await running.catch(() => undefined);
    await portal.close();
    await world.close();
  }
});
