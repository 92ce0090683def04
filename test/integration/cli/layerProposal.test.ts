// Issue 37 point 1 in the CLI: the model's proposal for a Spec Kit folder's tasks that name no
// file is printed at the gate with the commands that accept or change it; --assign changes one,
// --yes accepts the rest, and the run journals where each task's layer came from.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { addTrips, tripAgents } from '../../support/engine/tripInvitations';
import { buildCli, cliWorld, journalTypes, jsonOf } from '../../support/cli/cliKit';

before(() => buildCli());

test("cli: approve <Spec Kit folder> prints the model's proposal at the gate; --assign changes one, --yes accepts the rest and the run journals tasks.assigned", async () => {
  const world = await cliWorld(tripAgents());
  try {
    addTrips(world.shop.dir, world.shop.git);
    const shown = await world.cli('approve', 'specs/004-trip-invitations');
    assert.equal(shown.code, 2, shown.stderr);
    const specId =
      /Spec (\S+) was not approved, and nothing ran: the model proposed the layer of tasks T020, T021, which name no file:/.exec(
        shown.stderr,
      )?.[1];
    assert.ok(specId, shown.stderr);
    assert.match(
      shown.stderr,
      /- line \d+: task "T020 Performance pass over the invitation queries — layer: backend \(proposed by the model: the invitation queries live in the server\)"/,
    );
    assert.match(
      shown.stderr,
      /- line \d+: task "T021 Tell the travel agents about invitations in the partner newsletter — not implementable: a newsletter to people, not code \(proposed by the model\)"/,
    );
    assert.ok(
      shown.stderr.includes(
        `Accept them: orchestrator approve ${specId} --yes\n  or change any: orchestrator approve ${specId} --assign "T020=<layer>" --assign "T021=<layer>"`,
      ),
      shown.stderr,
    );
    assert.deepEqual(
      world.calls.map((c) => c.agent),
      ['layers'],
    );

    const done = await world.cli('approve', specId, '--assign', 'T021=frontend', '--yes', '--json');
    assert.equal(jsonOf(done).status, 'completed', done.stderr);
    assert.match(
      done.stderr,
      /tasks naming no file: T011 → backend \(design\), T012 → frontend \(design\), T020 → backend \(model\), T021 → frontend \(user\), T022 not implementable, T023 not implementable/,
    );
    assert.equal(world.callsOf('layers').length, 1, 'the model is asked once');
    const assigned = journalTypes(world.shop.dir, String(jsonOf(done).runId)).find((e) => e.type === 'tasks.assigned')!;
    assert.deepEqual(
      (assigned.tasks as { task: string; source: string }[]).map((t) => `${t.task}:${t.source}`),
      ['T011:design', 'T012:design', 'T020:model', 'T021:user'],
    );
  } finally {
    await world.close();
  }
});
