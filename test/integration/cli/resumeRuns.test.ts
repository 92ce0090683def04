// Resume what stopped (issue 7): a bare `resume` continues the latest run that did not
// complete; `runs` lists an unreadable journal with why; `rollback` of a run that stopped
// before its checkpoint says so; a --workspace that does not exist is a usage error.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fault, type Scripted } from '../../support/messagesApiServer';
import { say, specAnswer, writesThenDone } from '../../support/engine/agentScript';
import { PRODUCT_MIGRATION, PRODUCT_MODULE, PRODUCT_SCREEN, PRODUCT_SPEC } from '../../support/engine/fixtures';
import { withLimit } from '../../support/engine/shopWorkspace';
import { buildCli, cliWorld, journalTypes, jsonOf, runCli } from '../../support/cli/cliKit';

before(() => buildCli());

test('cli: bare `resume` continues a run that stopped on a model error; the finished database layer gets no second request', async () => {
  let overloaded = true;
  const backend = writesThenDone({ 'server/entities/product.js': PRODUCT_MODULE });
  const w = await cliWorld(
    {
      spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC),
      database: writesThenDone({ 'db/migrations/003_create_product.sql': PRODUCT_MIGRATION }),
      // The API is overloaded for the backend agent until the first run has stopped.
      backend: (call): Scripted | Promise<Scripted> => (overloaded ? fault.overloaded() : backend(call)),
      frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }),
      review: () => say.approve(),
      // The overload is waited out for 1 s (limits.apiRetryWindowSec) before the run stops.
    },
    { config: withLimit('apiRetryWindowSec', 1) },
  );
  try {
    const stopped = await w.cli('feature', 'Add a Product entity with name and price', '--approve', '--yes', '--json');
    assert.equal(stopped.code, 1, stopped.stderr);
    const first = jsonOf(stopped);
    assert.equal(first.status, 'stopped');
    assert.match(
      String(first.report),
      /Pipeline stopped: the API is unavailable[\s\S]*backend[\s\S]*orchestrator resume/,
    );
    assert.match(stopped.stderr, /backend: waiting for the API: overloaded \(529\), retry 1 in/, 'the wait is shown');
    const databaseRequests = w.callsOf('database').length;
    assert.ok(databaseRequests >= 2, 'the database layer finished in the first run');
    const runs = JSON.parse((await w.cli('runs', '--json')).stdout) as { runId: string; status: string }[];
    assert.deepEqual(
      runs.map((r) => [r.runId, r.status]),
      [[first.runId, 'stopped']],
    );

    overloaded = false;
    const resumed = await w.cli('resume', '--json');
    assert.equal(resumed.code, 0, resumed.stderr);
    const summary = jsonOf(resumed);
    assert.equal(summary.runId, first.runId);
    assert.equal(summary.status, 'completed', String(summary.error));
    assert.equal(
      w.callsOf('database').length,
      databaseRequests,
      'the test server saw no second request for the finished database layer',
    );
    assert.equal(w.callsOf('spec').length, 1, 'the approved spec was not written again');
    assert.deepEqual(summary.filesChanged, [
      'db/migrations/003_create_product.sql',
      'server/entities/product.js',
      'web/src/products.js',
    ]);
    const events = journalTypes(w.shop.dir, String(first.runId));
    assert.equal(events.filter((e) => e.type === 'agent.started' && e.agent === 'database').length, 1);

    // Nothing left to resume: the message says so, exit 2.
    const nothing = await w.cli('resume');
    assert.equal(nothing.code, 2);
    assert.match(nothing.stderr, /no run to resume/);
  } finally {
    await w.close();
  }
});

test('cli: `runs` lists an unreadable journal with the reason; `rollback` of a run stopped before its checkpoint says so; a missing --workspace is exit 2', async () => {
  const w = await cliWorld({ spec: () => fault.httpError(400, 'invalid_request_error', 'model: unknown model id') });
  try {
    const stopped = await w.cli('feature', 'Add a Product entity', '--approve', '--json');
    assert.equal(stopped.code, 1, stopped.stderr);
    const runId = String(jsonOf(stopped).runId);

    const broken = '20260102-030405-dead';
    mkdirSync(join(w.shop.dir, '.claude', 'runs', broken), { recursive: true });
    writeFileSync(
      join(w.shop.dir, '.claude', 'runs', broken, 'events.jsonl'),
      '{"seq":1,"ts":"2026-01-02T03:04:05.000Z","type":"run.started"\n{"seq":2}\n',
    );
    const runs = await w.cli('runs');
    assert.equal(runs.code, 0, runs.stderr);
    assert.match(
      runs.stdout,
      new RegExp(`${broken}\\s+unreadable\\s+unreadable journal: .*events\\.jsonl:1: corrupt journal line`),
    );
    assert.match(runs.stdout, new RegExp(`${runId}\\s+feature\\s+stopped\\s+Add a Product entity`));

    const rollback = await w.cli('rollback', runId);
    assert.equal(rollback.code, 2);
    assert.match(
      rollback.stderr,
      new RegExp(
        `Run ${runId} stopped before its checkpoint \\(in SPEC\\): it changed no files, so there is nothing to roll back\\.`,
      ),
    );

    const missing = join(w.shop.dir, 'no-such-folder');
    for (const command of [['specs'], ['runs'], ['init'], ['resume']]) {
      const result = await runCli([...command, '--workspace', missing], { cwd: w.shop.dir, baseURL: w.api.url });
      assert.equal(result.code, 2, `${command[0]}: ${result.stderr}`);
      assert.match(
        result.stderr,
        new RegExp(`the workspace ${missing} does not exist or is not a folder \\(--workspace\\)`),
      );
    }
  } finally {
    await w.close();
  }
});
