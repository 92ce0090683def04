// Three worker processes in separate clone folders, standing in for three machines, on one
// PostgreSQL and one bare remote: runs dispatched with --pool from the user's checkout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildCli, jsonOf, runCli, startCli } from '../../support/cli/cliKit';
import { makeShop } from '../../support/engine/shopWorkspace';
import { usePostgres } from '../../support/postgres';
import { entityAgents, entityFile, entityModule, featureRequest } from '../../support/engine/worktreeFeatures';
import { poolWorld } from '../../support/pool/poolKit';

const pg = usePostgres(buildCli);

const ENTITIES = ['Address', 'Invoice', 'Coupon', 'Shipment', 'Payment', 'Refund'];

function showFile(remote: string, ref: string, path: string): string {
  return execFileSync('git', ['--git-dir', remote, 'show', `${ref}:${path}`], { encoding: 'utf8' });
}

test('pool: six runs spread over three workers, none taken twice; each result is a branch on the remote that carries the uncommitted change', async () => {
  // Each backend call takes a while, so that the six runs overlap and every worker is needed.
  const w = await poolWorld(
    entityAgents(() => sleep(400)),
    { pg },
  );
  try {
    // The user's uncommitted state: a tracked file edited and a new file, neither committed.
    w.shop.write('server/enums.js', `${w.shop.read('server/enums.js')}\n// edited, not committed\n`);
    w.shop.write('docs/pool-note.md', 'only in my checkout\n');
    // `runs --pool --watch --json`: each change as it happens (LISTEN/NOTIFY), until Ctrl-C.
    const watching = startCli(['runs', '--pool', '--watch', '--json'], {
      cwd: w.shop.dir,
      env: { ORCHESTRATOR_QUEUE_URL: w.url },
    });
    const workers = ['alpha', 'beta', 'gamma'].map((name) => w.worker(`m-${name}`));
    const ids: string[] = [];
    for (const entity of ENTITIES) {
      const dispatched = await w.cli(['feature', featureRequest(entity), '--pool', '--approve', '--yes', '--json']);
      assert.equal(dispatched.code, 0, dispatched.stderr);
      ids.push(String(jsonOf(dispatched).runId));
    }
    assert.equal(
      w.shop.git('status', '--porcelain'),
      ' M server/enums.js\n?? docs/\n',
      'the checkout is as the user left it',
    );
    const runs = await w.waitFor(
      'six completed runs',
      (all) =>
        all.length === 6 &&
        all.every((run) => run.status === 'completed' || run.status === 'failed' || run.status === 'stopped'),
    );
    for (const run of runs)
      assert.equal(
        run.status,
        'completed',
        `${run.runId}: ${run.reason ?? ''}\n${workers.map((x) => x.log()).join('\n')}`,
      );
    assert.deepEqual(runs.map((run) => run.runId).sort(), [...ids].sort());
    assert.ok(
      runs.every((run) => run.attempts === 1),
      'no run taken twice',
    );
    const byWorker = new Map<string, number>();
    runs.forEach((run) => byWorker.set(run.worker!, (byWorker.get(run.worker!) ?? 0) + 1));
    assert.deepEqual([...byWorker.keys()].sort(), ['m-alpha', 'm-beta', 'm-gamma'], 'every worker took runs');
    assert.equal(w.callsOf('spec').length, 6, 'one spec call per run: nothing ran twice');
    for (const [i, entity] of ENTITIES.entries()) {
      const run = runs.find((r) => r.runId === ids[i])!;
      assert.equal(run.resultBranch, `orchestrator/${entity.toLowerCase()}-api`);
      assert.equal(showFile(w.remote, run.resultBranch!, entityFile(entity)), entityModule(entity));
      assert.match(showFile(w.remote, run.resultBranch!, 'server/enums.js'), /edited, not committed/);
      assert.equal(showFile(w.remote, run.resultBranch!, 'docs/pool-note.md'), 'only in my checkout\n');
      assert.ok(run.costUsd > 0);
      // The work went with the result branch: the wip ref, the database and the branch agree.
      assert.equal(
        execFileSync('git', ['--git-dir', w.remote, 'rev-parse', `refs/orchestrator/wip/${run.runId}`], {
          encoding: 'utf8',
        }).trim(),
        run.resultCommit,
      );
      assert.equal(run.wipCommit, run.resultCommit);
    }
    // The workers' clones keep no local name for the work they pushed (its ref is the remote's).
    const clones = readdirSync(join(dirname(w.remote), 'cache', 'orchestrator', 'pool')).map((dir) =>
      join(dirname(w.remote), 'cache', 'orchestrator', 'pool', dir, 'clone.git'),
    );
    assert.equal(clones.length, 3);
    for (const clone of clones)
      assert.equal(
        execFileSync('git', ['--git-dir', clone, 'for-each-ref', 'refs/orchestrator/wip'], { encoding: 'utf8' }),
        '',
      );
    watching.child.kill('SIGINT');
    const watched = (await watching.done).stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown> | unknown[]);
    assert.deepEqual(watched[0], [], 'the pool was empty when the watch began');
    const seen = watched.slice(1) as {
      runId: string;
      status: string;
      phase?: string;
      wave?: string;
      worker?: string;
      costUsd?: number;
    }[];
    for (const id of ids) {
      const mine = seen.filter((change) => change.runId === id);
      assert.deepEqual(
        [mine[0]?.status, mine.at(-1)?.status],
        ['queued', 'completed'],
        `${id}: from queued to completed, live`,
      );
      assert.ok(
        mine.some((change) => change.phase === 'IMPLEMENT' && change.wave === '1/1' && change.worker?.startsWith('m-')),
        `${id}: phase, wave and worker shown as it ran`,
      );
      assert.ok((mine.at(-1)!.costUsd ?? 0) > 0);
    }
    const listed = JSON.parse((await w.cli(['runs', '--pool', '--json'])).stdout) as Record<string, unknown>[];
    for (const key of ['runId', 'specId', 'status', 'phase', 'worker', 'costUsd'])
      assert.ok(key in listed[0]!, `runs --pool --json has ${key}`);
    assert.equal(listed[0]!.specId, `${String(listed[0]!.specId).slice(0, 10)}-address-api`);
    assert.deepEqual(
      listed.map((r) => r.status),
      Array(6).fill('completed'),
    );
    // Each worker's runs went into the pool's runners' record (issue 47): the team's, read from the user's clone; none on this machine.
    const record = JSON.parse((await w.cli(['runners', 'stats', '--pool', '--json'])).stdout) as Record<
      string,
      unknown
    >[];
    assert.deepEqual(
      record.map((r) => [r.layer, r.runner, r.runs, r.firstTryRate, r.meanRetries]),
      [['backend', 'agent', 6, 1, 0]],
    );
    const here = await w.cli(['runners', 'stats']);
    assert.deepEqual([here.code, here.stdout], [0, '(none)\n']);
    // Apply brings a result into the user's checkout (three-way, from the fetched branch); HEAD and the index stay.
    const head = w.shop.git('rev-parse', 'HEAD');
    w.shop.write('docs/pool-note.md', 'only in my checkout\nand edited since\n');
    const applied = await w.cli(['apply', ids[0]!]);
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, /written {2}server\/entities\/address\.js/);
    assert.equal(w.shop.read(entityFile('Address')), entityModule('Address'));
    assert.equal(
      w.shop.read('docs/pool-note.md'),
      'only in my checkout\nand edited since\n',
      'an edit made meanwhile is kept',
    );
    assert.equal(w.shop.git('rev-parse', 'HEAD'), head);
    assert.equal(w.shop.git('diff', '--cached', '--name-only'), '');
    const refused = await w.cli(['apply', '20261123-000000-dead']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /No run 20261123-000000-dead in this workspace or in the pool/);
    // SIGTERM: an idle worker drains and exits 0.
    workers[0]!.child.kill('SIGTERM');
    const ended = await workers[0]!.done;
    assert.equal(ended.code, 0, workers[0]!.log());
    assert.match(workers[0]!.log(), /draining 0 run\(s\)[\s\S]*stopped/);
  } finally {
    await w.close();
  }
});

test('pool: a spec waits at the gate holding no worker; approved from another clone (no model call there) while the only worker is busy, then picked up', async () => {
  let release!: () => void;
  const busy = new Promise<void>((resolve) => (release = resolve));
  const agents = entityAgents();
  const w = await poolWorld(
    {
      ...agents,
      backend: async (call) => {
        if (/the spec "Invoice API"/.test(call.task) && call.turn === 0) await busy;
        return agents.backend!(call);
      },
    },
    { pg },
  );
  try {
    const solo = w.worker('solo');
    const saved = await w.cli(['feature', featureRequest('Address'), '--pool', '--yes', '--json']);
    assert.equal(saved.code, 0, saved.stderr);
    const gated = String(jsonOf(saved).runId);
    const [waiting] = await w.waitFor('the spec at the gate', (runs) => runs[0]?.status === 'awaiting-approval');
    assert.equal(waiting!.worker, 'solo', "the worker's name stays on the run");
    assert.match(waiting!.spec!.markdown, /Address/);
    const specId = waiting!.specId!;
    // The only worker takes another run and is held there.
    assert.equal((await w.cli(['feature', featureRequest('Invoice'), '--pool', '--approve', '--yes'])).code, 0);
    await w.waitFor('the worker busy', (runs) => runs[1]?.status === 'running' && w.callsOf('backend').length === 1);
    // Another machine's clone sees the pooled spec and approves it: no model call there.
    const elsewhere = w.clone('reviewer');
    const specs = JSON.parse((await w.cli(['specs', '--json'], elsewhere)).stdout) as { id: string; status: string }[];
    assert.deepEqual(
      specs.filter((s) => s.id === specId).map((s) => s.status),
      [`awaiting approval (pool run ${gated})`],
    );
    const calls = w.calls.length;
    const approved = await w.cli(['approve', specId], elsewhere);
    assert.equal(approved.code, 0, approved.stderr);
    assert.equal(approved.stdout.trim(), gated);
    assert.equal(w.calls.length, calls, 'approving made no model call');
    assert.equal((await w.store.get(gated))!.status, 'queued', 'no worker is free yet');
    release();
    const runs = await w.waitFor('both completed', (all) => all.every((run) => run.status === 'completed'));
    const done = runs.find((run) => run.runId === gated)!;
    assert.deepEqual([done.worker, done.attempts, done.resultBranch], ['solo', 2, 'orchestrator/address-api']);
    assert.equal(w.callsOf('spec').filter((c) => /Address/.test(c.task)).length, 1, 'the spec is not written again');
    assert.equal(showFile(w.remote, done.resultBranch!, entityFile('Address')), entityModule('Address'));
    assert.equal(solo.child.exitCode, null, 'the worker is still in the pool');
  } finally {
    await w.close();
  }
});

test('pool: without a PostgreSQL URL, --pool and worker say what to set and exit 2; nothing is pushed', async () => {
  const shop = makeShop();
  try {
    const env = { ORCHESTRATOR_QUEUE_URL: '' };
    for (const args of [['feature', featureRequest('Address'), '--pool'], ['worker'], ['runs', '--pool']]) {
      const result = await runCli(args, { cwd: shop.dir, env });
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(
        result.stderr,
        /the pool needs PostgreSQL: set queue\.url in \.claude\/orchestrator\.yaml or ORCHESTRATOR_QUEUE_URL/,
      );
    }
    assert.equal(shop.git('for-each-ref', 'refs/orchestrator'), '', 'no base ref made');
  } finally {
    shop.cleanup();
  }
});
