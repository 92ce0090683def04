// The pool feeding our merge queue (issue 74): two runs approved and completed by a worker leave
// their result branches on the team's remote; `queue` in the user's checkout (runs.dispatch: pool;
// else `queue --pool`) takes them in
// the order they completed, merges them on main in one batch whose proofs run once, and moves main
// (the checkout fast-forwarded); the next `queue --pool` finds them on main already and merges nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCli, jsonOf } from '../../support/cli/cliKit';
import { usePostgres } from '../../support/postgres';
import { entityAgents, entityFile, entityModule, featureRequest } from '../../support/engine/worktreeFeatures';
import { poolWorld } from '../../support/pool/poolKit';

const pg = usePostgres(buildCli);

test("queue --pool: the pool's completed runs' branches merged on main in a batch, proven once; none merged twice", async () => {
  // runs.dispatch: pool: `queue` with no branch named takes the pool's (as --pool does).
  const w = await poolWorld(entityAgents(), { pg, config: (yaml) => `${yaml}\nruns:\n  dispatch: pool\n` });
  try {
    const none = await w.cli(['queue', '--pool']);
    assert.deepEqual([none.code, none.stdout], [0, "nothing to merge: the pool has no completed run's branch\n"]);
    w.worker('m-alpha');
    const ids: string[] = [];
    for (const entity of ['Address', 'Invoice']) {
      const dispatched = await w.cli(['feature', featureRequest(entity), '--pool', '--approve', '--yes', '--json']);
      assert.equal(dispatched.code, 0, dispatched.stderr);
      ids.push(String(jsonOf(dispatched).runId));
      // One after the other: the order they complete in is the queue's.
      await w.waitFor(`${entity} completed`, (runs) =>
        runs.some((r) => r.runId === ids.at(-1) && r.status === 'completed'),
      );
    }
    const before = w.shop.git('rev-parse', 'main').trim();
    const queued = await w.cli(['queue', '--json']);
    assert.equal(queued.code, 0, queued.stderr);
    const report = jsonOf(queued) as {
      from: string;
      to: string;
      merged: string[];
      batches: { batch: string[]; rounds: number; outcome: string }[];
      alreadyMerged: string[];
    };
    assert.equal(report.from, before);
    assert.deepEqual(report.merged, ['orchestrator/address-api', 'orchestrator/invoice-api']);
    assert.deepEqual(
      report.batches.map((b) => [b.batch.length, b.rounds, b.outcome]),
      [[2, 1, 'green']],
      'one batch, its proofs run once',
    );
    // main moved to the batch's head, the checkout with it; both results are on it.
    assert.equal(w.shop.git('rev-parse', 'main').trim(), report.to);
    assert.equal(w.shop.git('rev-parse', 'HEAD').trim(), report.to);
    for (const entity of ['Address', 'Invoice']) assert.equal(w.shop.read(entityFile(entity)), entityModule(entity));
    // No branch of the user's was made for them: the results are under the pool's refs.
    assert.equal(w.shop.git('branch', '--list', 'orchestrator/*'), '');

    // The next: nothing merged twice, even a branch the team deleted once merged (its result is held here).
    execFileSync('git', ['--git-dir', w.remote, 'branch', '-D', 'orchestrator/address-api']);
    const again = await w.cli(['queue', '--pool']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^already on main: orchestrator\/address-api, orchestrator\/invoice-api$/m);
    assert.match(again.stdout, /^merged: nothing$/m);
    assert.equal(w.shop.git('rev-parse', 'main').trim(), report.to);

    const both = await w.cli(['queue', 'run/a', '--pool']);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /named branches or --pool/);
    // Where runs do not go to the pool, a queue of nothing named is a usage error.
    const elsewhere = mkdtempSync(join(tmpdir(), 'orch-no-pool-'));
    const unnamed = await w.cli(['queue'], elsewhere);
    rmSync(elsewhere, { recursive: true, force: true });
    assert.equal(unnamed.code, 2, unnamed.stderr);
    assert.match(unnamed.stderr, /queue needs the branches to merge: queue <branch>…, or --pool/);
  } finally {
    await w.close();
  }
});
