// Issue 72: a pooled run's job row holds the run's choices (src/core/runChoices.ts). A row written
// before them, in the CLI's flags (`approve`, `yes`, `maxBudgetUsd`), is read as the choices it
// meant: a run queued before an upgrade runs the same after it. Real PostgreSQL, a worker process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_FILES } from '../../../src/core/llm/demo/demoFeature';
import { buildCli, jsonOf } from '../../support/cli/cliKit';
import { usePostgres } from '../../support/postgres';
import { say, specAnswer, writesThenDone } from '../../support/engine/agentScript';
import { PRODUCT_SPEC } from '../../support/engine/fixtures';
import { poolRequest } from '../../support/pool/poolRequest';
import { poolWorld } from '../../support/pool/poolKit';

const pg = usePostgres(buildCli);

test('pool: a job row written before the run choices (`approve`, `yes`, `maxBudgetUsd`) is read as them, and its worker runs it past the gate to completion; bad choices are refused at dispatch', async () => {
  const w = await poolWorld(
    {
      spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC),
      database: writesThenDone(DEMO_FILES.database!),
      backend: writesThenDone(DEMO_FILES.backend!),
      frontend: writesThenDone(DEMO_FILES.frontend!),
      review: () => say.approve(),
    },
    { pg },
  );
  try {
    await assert.rejects(
      w.store.dispatch(poolRequest('20261128-050000-0bad', { flags: { runner: 'nobody' } as never })),
      /the run's choices are not valid: runner: /,
    );
    // Queued with no approval (it would wait at the spec's gate), then its row put back as the old code wrote `--approve --yes --max-budget 5`.
    const dispatched = await w.cli(['feature', 'Add a Product entity with name and price', '--pool', '--json']);
    assert.equal(dispatched.code, 0, dispatched.stderr);
    const runId = String(jsonOf(dispatched).runId);
    const { Client } = await import('pg');
    const client = new Client({ connectionString: w.url });
    await client.connect();
    try {
      await client.query(`UPDATE pool_runs SET flags = $2::jsonb WHERE run_id = $1`, [
        runId,
        JSON.stringify({ approve: true, yes: true, maxBudgetUsd: 5 }),
      ]);
    } finally {
      await client.end();
    }
    assert.deepEqual((await w.store.get(runId))!.flags, {
      autoApprove: true,
      approveGates: true,
      assumeYes: true,
      overrides: { limits: { maxBudgetUsd: 5 } },
    });
    const worker = w.worker('upgraded');
    const [done] = await w.waitFor('the run ended', (runs) =>
      ['completed', 'stopped', 'failed', 'awaiting-approval'].includes(runs[0]?.status ?? ''),
    );
    assert.equal(done!.status, 'completed', `${done!.reason} ${worker.log()}`);
    const started = (await w.store.events(runId)).find((e) => e.type === 'run.started');
    assert.ok(started, 'the run started on the worker');
  } finally {
    await w.close();
  }
});
