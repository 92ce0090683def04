// `runner: auto` in the engine (issue 47), our agent on two models as the candidates (no CLI agent
// to install) and a CLI agent that is not there: the first run explores a candidate tried fewer
// than twice and stays on its model through a retry, the missing one is skipped and said, and
// the record the run's end writes matches its journal; once each candidate has its two runs the
// record chooses, journaled on agent.started, and a resume keeps that choice though the record
// changed under it, recording the run once.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { engine } from '../../../src/core/engine';
import { exploresNow, fileRecord } from '../../../src/core/runners';
import type { RunnerOutcome } from '../../../src/core/catalogue';
import { fault } from '../../support/messagesApiServer';
import { say, specAnswer } from '../../support/engine/agentScript';
import { BROKEN_PRODUCT_MODULE, PRODUCT_API_SPEC, PRODUCT_MODULE } from '../../support/engine/fixtures';
import { harness, journalOf, type Harness } from '../../support/engine/harness';
import { withLimit } from '../../support/engine/shopWorkspace';
import { useTempDirs } from '../../support/tempDirs';

process.env.ORCHESTRATOR_DATA_DIR ??= useTempDirs('orch-auto-data-')();

const MODULE = 'server/entities/product.js';
const AUTO = (yaml: string) =>
  withLimit('maxRetries', 1)(yaml.replace('    owns: ["server/**"]\n', '    owns: ["server/**"]\n    runner: auto\n')) +
  '\nattemptRunners: ["agent:model-a", "agent:model-b", codex]\nagentCli:\n  codex: { command: /nonexistent/bin/codex }\n' +
  'pricing:\n  model-a: { input: 1, output: 2 }\n  model-b: { input: 3, output: 6 }\n';

/** The backend's model is not there while `unavailable`; it writes a broken module while `broken()` says so, then the good one. */
let unavailable = false;
let broken = (_attempt: number): boolean => false;
let h: Harness;
before(async () => {
  h = await harness(
    {
      spec: specAnswer('Product API', 'product-api', PRODUCT_API_SPEC),
      backend: ({ turn, attempt, req }) =>
        unavailable
          ? fault.httpError(404, 'not_found_error', `model: ${String(req.body.model)}`)
          : turn > 0
            ? say.done()
            : say.write({ [MODULE]: broken(attempt) ? BROKEN_PRODUCT_MODULE : PRODUCT_MODULE }),
      review: () => say.approve(),
    },
    { config: AUTO },
  );
});
after(() => h.close());

type Entry = ReturnType<typeof journalOf>[number];
const backendStarts = (events: Entry[]) => events.filter((e) => e.type === 'agent.started' && e.agent === 'backend');
const seeded = (model: string, runId: string, o: Partial<RunnerOutcome> = {}): RunnerOutcome => ({
  runId,
  layer: 'backend',
  attempt: 0,
  runner: 'agent',
  model,
  firstTry: true,
  retries: 0,
  proofGreen: 0,
  proofTotal: 0,
  costUsd: 0.01,
  durationMs: 1000,
  at: new Date().toISOString(),
  ...o,
});

test('auto explores a candidate with fewer than two runs, keeps its model through the retry, skips the missing CLI and says so; the record matches the journal', async () => {
  broken = (attempt) => attempt === 1;
  const summary = await engine.runFeature('Add a Product entity to the API', h.options());
  assert.equal(summary.status, 'completed', summary.error ?? summary.report);
  assert.deepEqual(summary.retries, { backend: 1 });
  const events = journalOf(h.shop, summary.runId);
  const starts = backendStarts(events);
  assert.deepEqual(
    starts.map((e) => [e.mode, e.runner, e.model, e.choice]),
    [
      ['implement', 'agent', 'model-a', { by: 'exploring' }],
      ['retry', 'agent', 'model-a', { by: 'exploring' }],
    ],
  );
  const calls = h.callsOf('backend');
  assert.ok(
    calls.length >= 4 && calls.every((c) => c.req.body.model === 'model-a'),
    `every backend call on model-a: ${calls.map((c) => c.req.body.model).join(', ')}`,
  );
  assert.ok(
    h.callsOf('review').every((c) => c.req.body.model !== 'model-a'),
    'the roles stay on their own models',
  );
  const skipped = events.filter(
    (e) => e.type === 'log' && e.level === 'warn' && /runner auto skips codex/.test(String(e.message)),
  );
  assert.equal(skipped.length, 1);
  assert.match(
    String(skipped[0]!.message),
    /^backend: runner auto skips codex: not installed \(agentCli\.codex\.command "\/nonexistent\/bin\/codex" was not found\)$/,
  );

  const [row, ...others] = await engine.runnersStats(h.shop.dir);
  assert.equal(others.length, 0, 'one layer of one run');
  const cost = events.reduce(
    (sum, e) => sum + (e.type === 'llm.usage' && e.agent === 'backend' ? Number(e.costUsd) : 0),
    0,
  );
  assert.ok(cost > 0 && Math.abs(cost - summary.costByAgent.backend!) < 1e-9);
  const took =
    Date.parse(String(events.filter((e) => e.type === 'validation.passed' && e.layer === 'backend').at(-1)!.ts)) -
    Date.parse(String(starts[0]!.ts));
  assert.deepEqual(row, {
    layer: 'backend',
    runner: 'agent',
    model: 'model-a',
    runs: 1,
    firstTryRate: 0,
    passRate: 0,
    meanRetries: 1,
    approvedRate: 1,
    meanCostUsd: cost,
    meanDurationMs: took,
  });
  assert.deepEqual(await engine.runnersStats(h.shop.dir, { layer: 'frontend' }), []);
});

test('with two runs each, the record chooses (said on agent.started); a resume keeps the choice though the record changed under it; the run is recorded once', async () => {
  // model-a: the run above (a retry) and two at once; model-b: two at once, dearer.
  const record = fileRecord(h.shop.dir);
  await record.add([
    seeded('model-a', 'seed-1'),
    seeded('model-a', 'seed-2'),
    seeded('model-b', 'seed-3', { costUsd: 1 }),
    seeded('model-b', 'seed-4', { costUsd: 1 }),
  ]);
  // A run whose id does not explore (one in ten do), found by the rule itself.
  const runId = Array.from({ length: 50 }, (_, i) => `20261120-100000-a${String(i).padStart(3, '0')}`).find(
    (id) => !exploresNow(id, 'backend'),
  )!;
  unavailable = true;
  broken = () => false;
  const stopped = await engine.runFeature('Add a Product entity to the API again', h.options({ runId }));
  assert.equal(stopped.status, 'stopped', stopped.error);
  const choice = { by: 'record', runs: 2, passRate: 1 };
  assert.deepEqual(
    backendStarts(journalOf(h.shop, runId)).map((e) => [e.model, e.choice]),
    [['model-b', choice]],
  );
  assert.equal(h.callsOf('backend').at(-1)!.req.body.model, 'model-b');

  // model-b fails once more elsewhere: a new choice would now go to model-a (the same pass rate, cheaper).
  await record.add([seeded('model-b', 'seed-5', { firstTry: false, retries: 1, costUsd: 1 })]);
  const rows = await engine.runnersStats(h.shop.dir, { layer: 'backend' });
  assert.deepEqual(
    rows.map((r) => [r.model, r.runs, Number(r.passRate.toFixed(3))]),
    [
      ['model-a', 3, 0.667],
      ['model-b', 3, 0.667],
    ],
  );

  unavailable = false;
  const resumed = await engine.resumeRun(runId, h.options());
  assert.equal(resumed.status, 'completed', resumed.error ?? resumed.report);
  const starts = backendStarts(journalOf(h.shop, runId));
  assert.deepEqual(
    [starts.at(-1)!.model, starts.at(-1)!.choice],
    ['model-b', choice],
    'the resume stays on the journaled choice',
  );
  assert.equal(h.callsOf('backend').at(-1)!.req.body.model, 'model-b');
  const ofRun = (await record.read()).filter((o) => o.runId === runId);
  assert.deepEqual(
    ofRun.map((o) => [o.layer, o.model, o.firstTry]),
    [['backend', 'model-b', true]],
    'recorded once, at its end',
  );
});
