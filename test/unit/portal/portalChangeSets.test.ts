// The portal's change-sets (issue 73): the served workspace's sets as the engine gives them, the
// same view the sidebar and the chat show: each one run, one status per member producers first,
// its spend against its one budget. Every signed-in account reads them; no one signed out does.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { trioWithSavedSet } from '../../support/changesetRecord';
import { inPortal } from '../../support/portal/portalKit';

test('the Change-sets API: each set of the served workspace, one status per member, producers first', async () => {
  const dir = trioWithSavedSet('2026-11-28-value-two', 'Value <b>two</b>');
  // Served from a member: the set is found from there up, as the CLI finds it.
  await inPortal({ dir: `${dir}/c` }, async (world) => {
    assert.equal((await world.http('GET', '/api/changesets')).status, 401);
    const bot = await world.signIn('bot');
    const listed = await world.as(bot, 'GET', '/api/changesets');
    assert.equal(listed.status, 200, listed.text);
    const [set] = listed.json as {
      setId: string;
      request: string;
      status: string;
      members: { name: string; status: string; costUsd: number; uses: { producer: string }[] }[];
      budget: { limitUsd: number; spentUsd: number };
    }[];
    assert.equal(set!.setId, '2026-11-28-value-two');
    assert.equal(set!.request, 'Value <b>two</b>', 'text, as written: the page shows it as a text node');
    assert.equal(set!.status, 'spec-saved');
    assert.deepEqual(
      set!.members.map((m) => [m.name, m.status, m.costUsd, m.uses.map((u) => u.producer)]),
      [
        ['a', 'spec-saved', 0.01, []],
        ['b', 'spec-saved', 0.01, ['a']],
        ['c', 'spec-saved', 0.01, ['b']],
      ],
    );
    assert.deepEqual(set!.budget, { limitUsd: 5, spentUsd: 0.03 });

    // A mistake in the workspace file: refused naming it (the page says so; the rest of it shows).
    writeFileSync(join(dir, '.claude/workspace.yaml'), 'version: 1\nrepositories:\n  a: { path: a }\n');
    const broken = await world.as(bot, 'GET', '/api/changesets');
    assert.equal(broken.status, 500, broken.text);
    assert.match(broken.text, /workspace\.yaml:2:1 repositories: a workspace names two repositories or more/);
  });
});
