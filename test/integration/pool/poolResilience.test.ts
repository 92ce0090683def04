// Runs survive a machine, the team budget holds on every worker at once, and PostgreSQL
// restarting under the workers loses nothing: worker processes in their own clone folders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEMO_FILES } from '../../../src/core/llm/demo/demoFeature';
import { buildCli } from '../../support/cli/cliKit';
import { reply, type ScriptedReply } from '../../support/messagesApiServer';
import { usePostgres } from '../../support/postgres';
import { say, specAnswer, writesThenDone, type AgentScript } from '../../support/engine/agentScript';
import { PRODUCT_SPEC } from '../../support/engine/fixtures';
import { entityAgents, featureRequest } from '../../support/engine/worktreeFeatures';
import { poolWorld } from '../../support/pool/poolKit';

const pg = usePostgres(buildCli, { own: true });

const PRODUCT_REQUEST = 'Add a Product entity with name and price';

function productAgents(backend: AgentScript): Record<string, AgentScript> {
  return {
    spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC),
    database: writesThenDone(DEMO_FILES.database!),
    backend,
    frontend: writesThenDone(DEMO_FILES.frontend!),
    review: () => say.approve(),
  };
}

const showFile = (remote: string, ref: string, path: string): string =>
  execFileSync('git', ['--git-dir', remote, 'show', `${ref}:${path}`], { encoding: 'utf8' });

test('pool: kill -9 a worker mid-wave; after its lease lapses another worker resumes from the database journal and the wip ref, without re-running the finished layer', async () => {
  let held = false;
  const plain = writesThenDone(DEMO_FILES.backend!);
  const w = await poolWorld(
    productAgents((call) => {
      if (!held) {
        held = true; // the first worker's backend never answers: it dies waiting
        return reply.slow(say.write(DEMO_FILES.backend!), { beforeMs: 120_000 });
      }
      return plain(call);
    }),
    { pg },
  );
  try {
    const doomed = w.worker('doomed');
    const dispatched = await w.cli(['feature', PRODUCT_REQUEST, '--pool', '--approve', '--yes']);
    assert.equal(dispatched.code, 0, dispatched.stderr);
    const runId = dispatched.stdout.trim();
    // Mid-wave: the database layer finished and validated (journaled in the database), backend in flight.
    for (let i = 0; ; i++) {
      const events = await w.store.events(runId);
      if (
        events.some((e) => e.type === 'validation.passed' && e.layer === 'database') &&
        w.callsOf('backend').length === 1
      )
        break;
      if (i > 1200) throw new Error(`the run never reached mid-wave: ${doomed.log()}`);
      await sleep(50);
    }
    const before = await w.store.get(runId);
    assert.ok(before!.wipCommit, 'the finished layer was pushed to refs/orchestrator/wip/<runId>');
    assert.equal(
      showFile(w.remote, `refs/orchestrator/wip/${runId}`, 'db/migrations/003_create_product.sql'),
      DEMO_FILES.database!['db/migrations/003_create_product.sql'],
    );
    const databaseCalls = w.callsOf('database').length;
    doomed.child.kill('SIGKILL');
    assert.equal((await doomed.done).signal, 'SIGKILL');
    const heir = w.worker('heir');
    const [run] = await w.waitFor(
      'the run completed elsewhere',
      (runs) => runs[0]?.status === 'completed' || runs[0]?.status === 'failed' || runs[0]?.status === 'stopped',
    );
    assert.equal(run!.status, 'completed', `${run!.reason ?? ''}\n${heir.log()}`);
    assert.deepEqual([run!.worker, run!.attempts], ['heir', 2]);
    assert.equal(w.callsOf('database').length, databaseCalls, 'the finished database layer did not run again');
    assert.equal(w.callsOf('spec').length, 1, 'the spec was not written again');
    for (const [layer, files] of Object.entries(DEMO_FILES)) {
      for (const [path, content] of Object.entries(files))
        assert.equal(showFile(w.remote, run!.resultBranch!, path), content, `${layer}: ${path}`);
    }
    const journal = await w.store.events(runId);
    assert.equal(journal.filter((e) => e.type === 'run.started').length, 2, 'one journal, two sessions');
    assert.deepEqual(
      journal.map((e) => e.seq),
      journal.map((_, i) => i + 1),
      'seq runs on without a gap or a repeat',
    );
    assert.equal(journal.at(-1)!.type, 'run.completed');
  } finally {
    await w.close();
  }
});

test('pool: the team budget stops new model calls on every worker at once; runs it keeps from starting show stopped with the reason', async () => {
  const usage = { input_tokens: 1000, output_tokens: 100, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
  const priced = (scripted: ScriptedReply): ScriptedReply => ({ ...scripted, usage });
  const agents = entityAgents();
  // The spec agent runs on claude-opus-5-5: $0.006 per call. Three specs, one on each worker,
  // answered together once all three asked, spend the $0.018 day.
  let asked = 0;
  let allAsked!: () => void;
  const together = new Promise<void>((resolve) => (allAsked = resolve));
  const w = await poolWorld(
    {
      spec: async (call) => {
        if (++asked === 3) allAsked();
        await together;
        return priced((await agents.spec!(call)) as ScriptedReply);
      },
      backend: async (call) => priced((await agents.backend!(call)) as ScriptedReply),
      review: () => say.approve(),
    },
    { pg, config: (yaml) => yaml.replace(/\nlimits:\n/, '\nlimits:\n  poolBudgetUsdPerDay: 0.018\n') },
  );
  try {
    const workers = ['one', 'two', 'three'].map((name) => w.worker(`b-${name}`));
    for (const entity of ['Address', 'Invoice', 'Coupon'])
      assert.equal((await w.cli(['feature', featureRequest(entity), '--pool', '--approve', '--yes'])).code, 0);
    const runs = await w.waitFor(
      'three stopped runs',
      (all) => all.length === 3 && all.every((run) => run.status !== 'queued' && run.status !== 'running'),
    );
    assert.deepEqual(
      runs.map((run) => [run.status, run.reason]),
      Array(3).fill(['stopped', 'limits.poolBudgetUsdPerDay']),
      workers.map((x) => x.log()).join('\n'),
    );
    assert.equal(new Set(runs.map((run) => run.worker)).size, 3, 'each worker stopped its own run');
    assert.equal(w.callsOf('spec').length, 3);
    assert.equal(w.callsOf('backend').length, 0, 'no model call started on any worker once the day was spent');
    assert.ok((await w.store.spentToday()) >= 0.018);
    assert.equal((await w.cli(['feature', featureRequest('Refund'), '--pool', '--approve', '--yes'])).code, 0);
    const [, , , kept] = await w.waitFor('the fourth run kept from starting', (all) => all[3]?.status === 'stopped');
    assert.equal(kept!.reason, 'limits.poolBudgetUsdPerDay');
    assert.equal(w.calls.length, 3);
    const listed = JSON.parse((await w.cli(['runs', '--pool', '--json'])).stdout) as {
      status: string;
      reason?: string;
    }[];
    assert.deepEqual(
      listed.map((r) => r.reason),
      Array(4).fill('limits.poolBudgetUsdPerDay'),
    );
  } finally {
    await w.close();
  }
});

test('pool: PostgreSQL restarted mid-run: the workers reconnect, the run goes on, its journal is whole, and new runs are still claimed', async () => {
  let release!: () => void;
  const paused = new Promise<void>((resolve) => (release = resolve));
  const agents = entityAgents();
  const w = await poolWorld(
    {
      ...agents,
      backend: async (call) => {
        if (/the spec "Address API"/.test(call.task) && call.turn === 0) await paused;
        return agents.backend!(call);
      },
    },
    { pg },
  );
  try {
    const workers = [w.worker('r-one'), w.worker('r-two')];
    assert.equal((await w.cli(['feature', featureRequest('Address'), '--pool', '--approve', '--yes'])).code, 0);
    await w.waitFor(
      'the backend in flight',
      (runs) => runs[0]?.status === 'running' && w.callsOf('backend').length === 1,
    );
    await pg.restart(1500);
    release();
    const [first] = await w.waitFor(
      'the run completed',
      (runs) => runs[0]?.status === 'completed' || runs[0]?.status === 'failed',
    );
    assert.equal(first!.status, 'completed', `${first!.reason ?? ''}\n${workers.map((x) => x.log()).join('\n')}`);
    const journal = await w.store.events(first!.runId);
    assert.deepEqual(
      journal.map((e) => e.seq),
      journal.map((_, i) => i + 1),
      'no event lost while the database was away',
    );
    assert.equal(journal.at(-1)!.type, 'run.completed');
    assert.equal((await w.cli(['feature', featureRequest('Invoice'), '--pool', '--approve', '--yes'])).code, 0);
    const runs = await w.waitFor('the second run completed', (all) => all[1]?.status === 'completed');
    assert.equal(runs.length, 2);
    assert.ok(
      workers.every((x) => x.child.exitCode === null),
      `both workers are still in the pool\n${workers.map((x) => `${x.child.exitCode}: ${x.log()}`).join('\n')}`,
    );
  } finally {
    await w.close();
  }
});

test('pool: SIGTERM drains a busy worker: its run is handed back with its work and another worker finishes it', async () => {
  let held = false;
  const plain = writesThenDone(DEMO_FILES.backend!);
  const w = await poolWorld(
    productAgents((call) => {
      if (!held) {
        held = true;
        return reply.slow(say.write(DEMO_FILES.backend!), { beforeMs: 120_000 });
      }
      return plain(call);
    }),
    { pg },
  );
  try {
    const leaving = w.worker('leaving');
    const runId = (await w.cli(['feature', PRODUCT_REQUEST, '--pool', '--approve', '--yes'])).stdout.trim();
    for (
      let i = 0;
      !(w.callsOf('backend').length === 1 && (await w.store.events(runId)).some((e) => e.type === 'validation.passed'));
      i++
    ) {
      if (i > 1200) throw new Error(`never mid-wave: ${leaving.log()}`);
      await sleep(50);
    }
    leaving.child.kill('SIGTERM');
    const left = await leaving.done;
    assert.equal(left.code, 0, leaving.log());
    assert.match(leaving.log(), /draining 1 run\(s\)[\s\S]*handed-back[\s\S]*stopped/);
    const handed = await w.store.get(runId);
    assert.equal(handed!.status, 'queued', 'handed back at once, without waiting for the lease');
    const databaseCalls = w.callsOf('database').length;
    const staying = w.worker('staying');
    const [run] = await w.waitFor(
      'the run completed',
      (runs) => runs[0]?.status === 'completed' || runs[0]?.status === 'failed',
    );
    assert.equal(run!.status, 'completed', `${run!.reason ?? ''}\n${staying.log()}`);
    assert.deepEqual([run!.worker, run!.attempts], ['staying', 2]);
    assert.equal(w.callsOf('database').length, databaseCalls, 'the finished layer did not run again');
  } finally {
    await w.close();
  }
});
