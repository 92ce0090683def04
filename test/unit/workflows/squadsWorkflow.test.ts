import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engine } from '../../../src/core/engine';
import { reply } from '../../support/messagesApiServer';
import { say, specAnswer, type AgentScript } from '../../support/engine/agentScript';
import {
  documentsAsked,
  done,
  sliceWorld,
  withSections,
  writesDocuments,
  NOTES_CONTRACT_SPEC,
} from '../../support/workflows/fastapiSlice';

const NEED = 'a reservations.notes_updated_at TIMESTAMP column';
const REASON = 'The proposal names no dependency between the squads';
const ROUTE =
  'from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n@router.put("/reservations/{code}/notes")\ndef put_notes(code: str, body: dict):\n    return {"code": code, "notes": body["notes"]}\n';

test("squads: the CTO asks the Engineer again, accepts round 2, writes the Charter; each squad's PM plans its backlog; a cross-squad block goes through the CTO and is resolved", async () => {
  const engineer = writesDocuments((_path, call) =>
    withSections(call.task.includes('THE REVIEWER ASKS AGAIN') ? 'Proposal v2: backend needs database' : 'Proposal', [
      'Squads',
      'Dependencies',
      'Risks',
    ]),
  );
  const charter = writesDocuments(() => withSections('Charter', ['Scope', 'Squads', 'Dependencies']));
  const cto: AgentScript = (call) => {
    if (call.task.includes('Judge round 1')) {
      // Read-only: its attempt to edit the proposal itself is refused; it asks again instead.
      if (call.turn === 0)
        return reply.toolUse('write_file', { path: documentsOf(call.task)[0]!, content: '# edited by the CTO\n' });
      return reply.toolUse('submit_review', {
        verdict: 'rejected',
        issues: [
          {
            file: documentsOf(call.task)[0]!,
            severity: 'major',
            problem: REASON,
            fix: 'Name what the backend needs from the database',
          },
        ],
      });
    }
    if (call.task.includes('Judge round 2')) return say.approve();
    return charter(call);
  };
  const database: AgentScript = ({ turn, task }) => {
    if (task.includes('BLOCK FIX MODE'))
      return turn === 0
        ? reply.toolUse('write_file', {
            path: 'migrations/003_notes_updated_at.sql',
            content: 'ALTER TABLE reservations ADD COLUMN notes_updated_at TIMESTAMP;\n',
          })
        : done('Added reservations.notes_updated_at.');
    return turn === 0
      ? reply.toolUse('write_file', {
          path: 'migrations/002_reservation_notes.sql',
          content: 'ALTER TABLE reservations ADD COLUMN notes TEXT;\n',
        })
      : done();
  };
  const backend: AgentScript = ({ turn, task }) => {
    if (!task.includes('BLOCK RESOLVED'))
      return reply.toolUse('submit_result', {
        status: 'blocked',
        summary: 'The note needs its timestamp column.',
        needs: { layer: 'database', request: NEED },
      });
    return turn === 0 ? reply.toolUse('write_file', { path: 'app/notes.py', content: ROUTE }) : done();
  };
  const world = await sliceWorld({
    spec: specAnswer('Reservation notes', 'reservation-notes', NOTES_CONTRACT_SPEC),
    engineer,
    cto,
    pm: writesDocuments((path) => withSections(`Backlog ${path}`, ['Tasks'])),
    database,
    backend,
    review: () => say.approve(),
  });
  try {
    const summary = await engine.runFeature(
      'Agents add a note to a reservation',
      world.options({ workflow: 'squads', autoApprove: true }),
    );
    assert.equal(summary.status, 'completed', summary.error ?? summary.report);
    const events = world.journal(summary.runId);
    const specId = summary.specPath!.split('/')[2]!;
    const folder = `spec/active/${specId}`;
    const strip = (e: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(e).filter(([key]) => key !== 'seq' && key !== 'ts'));

    // Two rounds: the CTO asked again with its reason, then accepted.
    const rounds = events
      .filter((e) => e.type === 'engineer.cto.response' || e.type === 'cto.engineer.request')
      .map(strip);
    assert.deepEqual(rounds, [
      {
        type: 'engineer.cto.response',
        phase: 'PROPOSAL',
        round: 1,
        from: 'engineer',
        to: 'cto',
        documents: [`${folder}/proposal.md`],
        accepted: false,
      },
      {
        type: 'cto.engineer.request',
        phase: 'PROPOSAL',
        round: 2,
        from: 'cto',
        to: 'engineer',
        request: `- [major] ${folder}/proposal.md: ${REASON} — Name what the backend needs from the database`,
      },
      {
        type: 'engineer.cto.response',
        phase: 'PROPOSAL',
        round: 2,
        from: 'engineer',
        to: 'cto',
        documents: [`${folder}/proposal.md`],
        accepted: true,
      },
    ]);
    const engineerTasks = world
      .callsOf('engineer')
      .filter((c) => c.turn === 0)
      .map((c) => c.task);
    assert.equal(engineerTasks.length, 2);
    assert.ok(engineerTasks[1]!.startsWith(`## THE REVIEWER ASKS AGAIN`) && engineerTasks[1]!.includes(REASON));
    // The CTO reviewing is read-only: its write was refused and the proposal is the Engineer's round 2.
    assert.ok(
      events.some(
        (e) => e.type === 'tool.called' && e.agent === 'cto' && e.tool === 'write_file' && e.isError === true,
      ),
    );
    assert.match(world.read(`spec/completed/${specId}/proposal.md`), /^# Proposal v2: backend needs database/);
    assert.match(world.read(`spec/completed/${specId}/charter.md`), /## Scope[\s\S]*## Squads[\s\S]*## Dependencies/);

    // One backlog per squad (one squad per layer here), each planned as module.planned.
    const planned = events.filter((e) => e.type === 'module.planned').map(strip);
    assert.deepEqual(planned, [
      {
        type: 'module.planned',
        phase: 'BACKLOG',
        squad: 'database',
        layers: ['database'],
        documents: [`${folder}/backlog-database.md`],
      },
      {
        type: 'module.planned',
        phase: 'BACKLOG',
        squad: 'backend',
        layers: ['backend'],
        documents: [`${folder}/backlog-backend.md`],
      },
    ]);
    assert.deepEqual(
      world
        .callsOf('pm')
        .filter((c) => c.turn === 0)
        .map((c) => documentsAsked(c)),
      [[`${folder}/backlog-database.md`], [`${folder}/backlog-backend.md`]],
    );

    // DEV: the backend squad needed the database squad's work: asked through the CTO, resolved.
    const reported = events.findIndex((e) => e.type === 'block.reported');
    const request = events.findIndex((e) => e.type === 'pm.cto.dependency_request');
    const resolved = events.findIndex((e) => e.type === 'block.resolved');
    assert.ok(
      reported >= 0 && reported < request && request < resolved,
      JSON.stringify({ reported, request, resolved }),
    );
    assert.deepEqual(strip(events[request]!), {
      type: 'pm.cto.dependency_request',
      block: 1,
      from: 'backend',
      to: 'database',
      request: NEED,
    });
    assert.ok(world.exists('migrations/003_notes_updated_at.sql') && world.exists('app/notes.py'));

    // The same facts in the CloudEvents stream (what `orchestrator events` and the webhook send).
    const cloud = (await engine.runEvents(world.dir, summary.runId, 'cloudevents')).map(
      (line) => JSON.parse(line) as { type: string; subject?: string; data: Record<string, unknown> },
    );
    const seed003 = cloud.filter((e) =>
      ['cto.engineer.request', 'engineer.cto.response', 'module.planned', 'pm.cto.dependency_request'].includes(e.type),
    );
    const journaled = events.filter((e) =>
      ['cto.engineer.request', 'engineer.cto.response', 'module.planned', 'pm.cto.dependency_request'].includes(e.type),
    );
    assert.deepEqual(
      seed003.map((e) => [e.type, e.data.seq]),
      journaled.map((e) => [e.type, e.seq]),
    );
    for (const [sent, entry] of seed003.map((e, i) => [e, journaled[i]!] as const)) {
      const { type: _t, ...fields } = strip(entry);
      assert.deepEqual(
        Object.fromEntries(Object.keys(fields).map((key) => [key, sent.data[key]])),
        fields,
        `${sent.type} carries the journal's fields`,
      );
    }
    assert.deepEqual(
      seed003.map((e) => e.subject),
      ['engineer', 'cto', 'engineer', 'database', 'backend', 'backend'],
    );

    const closed = events.filter((e) => e.type === 'phase.closed').map((e) => e.phase);
    // DEVOPS has nothing to run (no deploy: commands configured): it never starts, so it does not close.
    assert.deepEqual(closed, ['SYNC', 'UNDERSTAND', 'SPEC', 'PROPOSAL', 'CHARTER', 'BACKLOG', 'DEV', 'QA', 'COMPLETE']);
  } finally {
    await world.close();
  }
});

/** The documents a reviewer's task shows ("### path" under DOCUMENTS). */
function documentsOf(task: string): string[] {
  return [...(task.split('## DOCUMENTS')[1] ?? '').matchAll(/^### (\S+\.md)$/gm)].map((m) => m[1]!);
}
