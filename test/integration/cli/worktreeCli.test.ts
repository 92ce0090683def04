import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { reply } from '../../support/messagesApiServer';
import { say } from '../../support/engine/agentScript';
import type { ShopWorkspace } from '../../support/engine/shopWorkspace';
import { entityAgents, entityFile, entityModule, featureRequest } from '../../support/engine/worktreeFeatures';
import { buildCli, cliWorld, journalTypes, jsonOf, startCli } from '../../support/cli/cliKit';

before(() => buildCli());

// Runs in worktrees from the command line, with `--worktree` (the config says nothing of isolation).
const setupConfig = (yaml: string): string =>
  `${yaml}\nworktree:\n  dir: ../worktrees\n  setup: ["node scripts/setup-marker.js"]\n`;
// Each worktree's setup leaves a mark the result never carries (.claude/runs is the orchestrator's).
const SETUP_MARKER = "require('fs').appendFileSync('.claude/runs/setup-ran', 'x');\n";

function runIdsOf(shop: ShopWorkspace): string[] {
  const dir = join(shop.dir, '.claude', 'runs');
  return existsSync(dir) ? readdirSync(dir).filter((name) => !name.startsWith('.')) : [];
}

test('cli: kill -9 during a worktree run, resume finishes it in its worktree, apply brings it in', async () => {
  let held = false;
  const agents = entityAgents();
  const w = await cliWorld(
    {
      ...agents,
      backend: (call) => {
        if (call.turn === 0 && !held) {
          held = true;
          return reply.slow(say.write({ [entityFile('Address')]: entityModule('Address') }), { beforeMs: 120_000 });
        }
        return agents.backend!(call);
      },
    },
    { config: setupConfig, files: { 'scripts/setup-marker.js': SETUP_MARKER } },
  );
  try {
    const run = startCli(['feature', featureRequest('Address'), '--worktree', '--approve', '--yes', '--json'], {
      cwd: w.shop.dir,
      baseURL: w.api.url,
    });
    let runId: string | undefined;
    for (let i = 0; i < 600; i++) {
      runId = runIdsOf(w.shop)[0];
      const events = runId ? journalTypes(w.shop.dir, runId) : [];
      if (events.some((e) => e.type === 'agent.started' && e.agent === 'backend') && w.callsOf('backend').length === 1)
        break;
      await sleep(25);
    }
    assert.ok(runId, 'the run journal exists');
    run.child.kill('SIGKILL');
    assert.equal((await run.done).signal, 'SIGKILL');
    const created = journalTypes(w.shop.dir, runId).find((e) => e.type === 'worktree.created') as
      { path: string } | undefined;
    assert.ok(created && existsSync(created.path), 'the worktree is there after the crash');
    assert.equal(readFileSync(join(created.path, '.claude/runs/setup-ran'), 'utf8'), 'x', 'setup ran once');

    const listed = JSON.parse((await w.cli('runs', '--json')).stdout) as {
      runId: string;
      status: string;
      worktree?: { outcome: string };
    }[];
    assert.deepEqual(
      listed.map((r) => [r.runId, r.status, r.worktree?.outcome]),
      [[runId, 'interrupted', 'pending']],
    );
    const resumed = await w.cli('resume', '--yes', '--json');
    assert.equal(resumed.code, 0, resumed.stderr);
    const summary = jsonOf(resumed);
    assert.equal(summary.runId, runId);
    assert.equal(summary.status, 'completed');
    assert.equal(summary.worktree, created.path);
    assert.equal(
      readFileSync(join(created.path, '.claude/runs/setup-ran'), 'utf8'),
      'x',
      'setup is not run again for the same worktree',
    );
    assert.ok(!existsSync(join(w.shop.dir, entityFile('Address'))), 'nothing in the checkout before apply');

    const applied = await w.cli('apply', runId);
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, new RegExp(`written  ${entityFile('Address').replace(/\./g, '\\.')}`));
    assert.match(applied.stdout, /HEAD and the index untouched/);
    assert.equal(w.shop.read(entityFile('Address')), entityModule('Address'));
    assert.ok(!existsSync(join(w.shop.dir, '.claude/runs/setup-ran')), "the setup's mark stays out of the checkout");
    assert.ok(!existsSync(created.path));
    const after = JSON.parse((await w.cli('gc', '--json')).stdout) as {
      removedWorktrees: string[];
      deletedRefs: string[];
    };
    assert.deepEqual([after.removedWorktrees, after.deletedRefs], [[], []]);
  } finally {
    await w.close();
  }
});

test('cli: apply of a conflicting run exits 1 and prints both sides; discard drops it', async () => {
  const agents = entityAgents();
  const w = await cliWorld(
    {
      ...agents,
      backend: ({ turn }) => (turn === 0 ? say.write({ 'server/notes.js': "// the run's notes\n" }) : say.done()),
    },
    { config: (yaml) => `${yaml}\nworktree:\n  dir: ../worktrees\n` },
  );
  try {
    const ran = await w.cli('feature', featureRequest('Address'), '--worktree', '--approve', '--yes', '--json');
    assert.equal(ran.code, 0, ran.stderr);
    const { runId } = jsonOf(ran) as { runId: string };
    w.shop.write('server/notes.js', '// my own notes\n');

    const refused = await w.cli('apply', runId);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /1 file\(s\) conflict with your changes \(server\/notes\.js\); nothing was written/);
    assert.ok(
      refused.stderr.includes(
        "=== server/notes.js: you and the run both created it, differently\n--- your checkout\n// my own notes\n+++ the run\n// the run's notes\n",
      ),
      refused.stderr,
    );
    assert.equal(w.shop.read('server/notes.js'), '// my own notes\n');
    assert.ok(!existsSync(join(w.shop.dir, 'spec')));

    const asJson = await w.cli('apply', runId, '--json');
    assert.equal(asJson.code, 1);
    const conflict = jsonOf(asJson) as { status: string; conflicts: { path: string; ours: string; theirs: string }[] };
    assert.equal(conflict.status, 'conflict');
    assert.deepEqual(
      conflict.conflicts.map((c) => [c.path, c.ours, c.theirs]),
      [['server/notes.js', '// my own notes\n', "// the run's notes\n"]],
    );

    // COMPLETE in the worktree recorded the spec's completion on a ref the checkout shares.
    const specId = /(\d{4}-\d{2}-\d{2}-[a-z0-9-]+)\/spec\.md$/.exec(String(jsonOf(ran).specPath))![1]!;
    assert.match(
      w.shop.git('for-each-ref', '--format=%(refname)', 'refs/orchestrator-completed/'),
      new RegExp(`refs/orchestrator-completed/${specId}`),
    );

    const dropped = await w.cli('discard', runId);
    assert.equal(dropped.code, 0, dropped.stderr);
    assert.match(dropped.stdout, /discarded run/);
    assert.equal((await w.cli('apply', runId)).code, 2, 'a discarded run cannot be applied');
    assert.equal(w.shop.git('for-each-ref', 'refs/orchestrator-worktree/'), '');
    assert.equal(
      w.shop.git('for-each-ref', 'refs/orchestrator-completed/'),
      '',
      'a spec never applied is not on record as completed',
    );
    assert.equal((await w.cli('verify', specId)).code, 2, 'verify does not check a spec that was never applied');
  } finally {
    await w.close();
  }
});

test('cli: gc after a worktree run killed with kill -9 removes its worktree, folder, .git/worktrees entry and base ref; the run is discarded', async () => {
  const agents = entityAgents();
  const w = await cliWorld(
    {
      ...agents,
      backend: () => reply.slow(say.write({ [entityFile('Address')]: entityModule('Address') }), { beforeMs: 120_000 }),
    },
    { config: (yaml) => `${yaml}\nworktree:\n  dir: ../worktrees\n` },
  );
  try {
    const run = startCli(['feature', featureRequest('Address'), '--worktree', '--approve', '--yes'], {
      cwd: w.shop.dir,
      baseURL: w.api.url,
    });
    let runId: string | undefined;
    for (let i = 0; i < 600; i++) {
      runId = runIdsOf(w.shop)[0];
      if (
        runId &&
        journalTypes(w.shop.dir, runId).some((e) => e.type === 'agent.started' && e.agent === 'backend') &&
        w.callsOf('backend').length === 1
      )
        break;
      await sleep(25);
    }
    assert.ok(runId, 'the run journal exists');
    run.child.kill('SIGKILL');
    await run.done;
    const created = journalTypes(w.shop.dir, runId).find((e) => e.type === 'worktree.created') as
      { path: string } | undefined;
    assert.ok(created && existsSync(created.path), 'the worktree is there after the kill');
    const admin = join(w.shop.dir, '.git', 'worktrees');
    assert.ok(readdirSync(admin).length > 0, "git's record of the worktree");
    assert.notEqual(w.shop.git('for-each-ref', `refs/orchestrator-worktree/${runId}/`), '');

    const gc = await w.cli('gc', '--json');
    assert.equal(gc.code, 0, gc.stderr);
    const result = jsonOf(gc) as { removedWorktrees: string[]; deletedRefs: string[]; discardedRuns: string[] };
    assert.deepEqual(result.discardedRuns, [runId]);
    assert.deepEqual(result.removedWorktrees, [created.path]);
    assert.deepEqual(result.deletedRefs, [`refs/orchestrator-worktree/${runId}/base`]);
    assert.ok(!existsSync(created.path), 'the worktree folder is gone');
    assert.deepEqual(existsSync(admin) ? readdirSync(admin) : [], [], '.git/worktrees has no entry left');
    assert.equal(w.shop.git('worktree', 'list', '--porcelain').match(/^worktree /gm)?.length, 1);
    assert.equal(w.shop.git('for-each-ref', 'refs/orchestrator-worktree/'), '');
    const listed = JSON.parse((await w.cli('runs', '--json')).stdout) as {
      runId: string;
      worktree?: { outcome: string };
    }[];
    assert.equal(listed.find((r) => r.runId === runId)?.worktree?.outcome, 'discarded');
    const resumed = await w.cli('resume', runId);
    assert.equal(resumed.code, 2);
    assert.match(resumed.stderr, /discarded/);
  } finally {
    await w.close();
  }
});

test('cli: --worktree and --branch belong to their commands', async () => {
  const w = await cliWorld({});
  try {
    const misplaced = await w.cli('runs', '--worktree');
    assert.equal(misplaced.code, 2);
    assert.match(misplaced.stderr, /--worktree belongs to feature, bugfix, audit, approve/);
    const branch = await w.cli('discard', 'x', '--branch');
    assert.equal(branch.code, 2);
    assert.match(branch.stderr, /--branch belongs to check workspace, apply/);
    const unknown = await w.cli('apply', 'no-such-run');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /No run no-such-run in this workspace/);
  } finally {
    await w.close();
  }
});
