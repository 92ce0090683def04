// A worker's clone of the team's remote is made once and kept: each run fetches only its own refs
// into it and gets a worktree of it, removed once the run ended; a worker started again on the
// same checkout keeps using it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildCli } from '../../support/cli/cliKit';
import { usePostgres } from '../../support/postgres';
import { entityAgents, featureRequest } from '../../support/engine/worktreeFeatures';
import { GIT_ENV, poolWorld, type PoolWorld } from '../../support/pool/poolKit';

const pg = usePostgres(buildCli);

const git = (dir: string, ...args: string[]): string =>
  execFileSync('git', ['--git-dir', dir, ...args], { encoding: 'utf8', env: { ...process.env, ...GIT_ENV } });

async function completed(w: PoolWorld, entity: string, log: () => string): Promise<string> {
  const runId = (await w.cli(['feature', featureRequest(entity), '--pool', '--approve', '--yes'])).stdout.trim();
  await w.waitFor(`run ${runId} completed`, (runs) => runs.find((run) => run.runId === runId)?.status === 'completed');
  // Its timing line comes once its worktree is gone (after the run's end in the database).
  for (let i = 0; !log().includes(`run ${runId}: timing: `); i++) {
    if (i > 600) throw new Error(`no timing line for ${runId}:\n${log()}`);
    await sleep(50);
  }
  return runId;
}

test('pool: a second run on the same worker, and a run on that worker started again, use the clone made at its first start: only their own refs are fetched, their worktrees are removed', async () => {
  const w = await poolWorld(entityAgents(), { pg });
  try {
    const first = w.worker('keeper');
    const runA = await completed(w, 'Address', first.log);
    const poolDir = join(dirname(w.remote), 'cache', 'orchestrator', 'pool');
    const [folder, ...others] = readdirSync(poolDir);
    assert.deepEqual(others, [], 'one folder for this checkout and remote');
    const clone = join(poolDir, folder!, 'clone.git');
    // A mark in the clone (a new clone would not have it), and a branch pushed to the remote since, which no run needs.
    writeFileSync(join(clone, 'kept-by-test'), 'the clone of the first start\n');
    const sha = git(w.remote, 'rev-parse', 'refs/heads/main').trim();
    git(w.remote, 'update-ref', 'refs/heads/unrelated', sha);
    const runB = await completed(w, 'Invoice', first.log);
    first.child.kill('SIGTERM');
    await first.done;
    const again = w.worker('keeper-again', [], first.folder);
    const runC = await completed(w, 'Coupon', again.log);
    assert.ok(
      existsSync(join(clone, 'kept-by-test')),
      'the clone was not made again, by the second run nor by the restarted worker',
    );
    assert.deepEqual(readdirSync(poolDir), [folder], 'no second clone');
    const refs = git(clone, 'for-each-ref', '--format=%(refname)').trim().split('\n');
    for (const runId of [runA, runB, runC])
      assert.ok(refs.includes(`refs/orchestrator/base/${runId}`), `run ${runId}'s base was fetched into the clone`);
    assert.ok(!refs.includes('refs/heads/unrelated'), 'a run fetches only its own refs, never the whole remote');
    assert.equal(
      git(clone, 'worktree', 'list', '--porcelain')
        .split('\n')
        .filter((line) => line.startsWith('worktree ')).length,
      1,
      'no run worktree left behind, only the bare clone',
    );
    assert.deepEqual(readdirSync(join(poolDir, folder!, 'runs')), [], 'the runs folder is empty');
    for (const [log, runId] of [
      [first.log, runA],
      [first.log, runB],
      [again.log, runC],
    ] as const)
      assert.match(log(), new RegExp(`run ${runId}: timing: \\d+ ms here: fetch \\d+ ms, worktree \\d+ ms`));
  } finally {
    await w.close();
  }
});
