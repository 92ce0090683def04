// The runners' record (issue 47): each layer's outcome read from a run's journal (attempts
// counted once), the table `runners stats` prints, `runner: auto`'s rule, the repository's
// record file (durable, keyed, a torn line skipped) and `runners stats`' arguments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runnerOutcomes, type RunnerOutcome, wordsOf } from '../../../src/core/catalogue';
import {
  chooseAuto,
  EXPLORE_EVERY,
  exploresNow,
  fileRecord,
  RECORD_FILE,
  runnerStats,
} from '../../../src/core/runners';
import { repositoryDataDir } from '../../../src/core/queue';
import type { StateEvent } from '../../../src/core/journal';
import { parseArgs, sinceDate, UsageError } from '../../../src/cli/args';
import { useTempDirs } from '../../support/tempDirs';

const tempDir = useTempDirs('orch-record-');
process.env.ORCHESTRATOR_DATA_DIR ??= tempDir();

const usage = { input: 10, output: 5, cacheRead: 0, cacheWrite: 0 };
const at = (second: number) => `2026-11-20T10:00:${String(second).padStart(2, '0')}.000Z`;

/** A run: backend on codex (a retry, REQ-1 green, sent back by the review), web's three attempts (the 3rd picked, its events copied in), database external. */
const JOURNAL: StateEvent[] = [
  { type: 'run.started', runId: 'r1', kind: 'feature', request: 'x', ts: at(0) },
  { type: 'agent.started', agent: 'spec', attempt: 1, mode: 'spec', runner: 'agent', model: 'm-spec', ts: at(1) },
  { type: 'llm.usage', agent: 'spec', model: 'm-spec', usage, costUsd: 0.5, ms: 1 },
  {
    type: 'agent.started',
    agent: 'backend',
    attempt: 1,
    mode: 'implement',
    runner: 'codex',
    model: 'gpt-5.5',
    ts: at(2),
  },
  { type: 'llm.usage', agent: 'backend', model: 'gpt-5.5', usage, costUsd: 0.25, ms: 1 },
  { type: 'validation.failed', layer: 'backend', command: 'npm test', output: 'boom', exitCode: 1, ts: at(4) },
  { type: 'retry', layer: 'backend', attempt: 1, max: 2 },
  { type: 'agent.started', agent: 'backend', attempt: 2, mode: 'retry', runner: 'codex', model: 'gpt-5.5', ts: at(5) },
  { type: 'llm.usage', agent: 'backend', model: 'gpt-5.5', usage, costUsd: 0.125, ms: 1 },
  { type: 'validation.passed', layer: 'backend', ts: at(7) },
  { type: 'proof.green', criterion: 'REQ-1', file: 't.js', green: 'failed', layer: 'backend' },
  { type: 'proof.green', criterion: 'REQ-1', file: 't.js', green: 'passed', layer: 'backend' },
  { type: 'proof.green', criterion: 'REQ-2', file: 't.js', green: 'failed', layer: 'backend' },
  { type: 'proof.green', criterion: 'REQ-2', file: 't.js', green: 'passed' },
  { type: 'attempt.started', layer: 'web', k: 1, of: 3, runner: 'claude-code', ts: at(8) },
  { type: 'attempt.started', layer: 'web', k: 2, of: 3, runner: 'agent', model: 'haiku', ts: at(8) },
  { type: 'attempt.started', layer: 'web', k: 3, of: 3, runner: 'agent', model: 'sonnet', ts: at(8) },
  {
    type: 'attempt.judged',
    layer: 'web',
    k: 1,
    proofGreen: 0,
    proofTotal: 1,
    validate: 'failed',
    retries: 2,
    costUsd: 0.3,
    durationMs: 9000,
  },
  {
    type: 'attempt.judged',
    layer: 'web',
    k: 2,
    proofGreen: 1,
    proofTotal: 1,
    validate: 'passed',
    retries: 1,
    costUsd: 0.1,
    durationMs: 6000,
  },
  {
    type: 'attempt.judged',
    layer: 'web',
    k: 3,
    proofGreen: 1,
    proofTotal: 1,
    validate: 'passed',
    retries: 0,
    costUsd: 0.2,
    durationMs: 4000,
  },
  { type: 'attempt.picked', layer: 'web', k: 3, why: 'passed at once', by: 'judged' },
  { type: 'agent.started', agent: 'web', attempt: 1, mode: 'implement', runner: 'agent', model: 'sonnet', ts: at(9) },
  { type: 'llm.usage', agent: 'web', model: 'sonnet', usage, costUsd: 0.2, ms: 1 },
  { type: 'validation.passed', layer: 'web', ts: at(10) },
  { type: 'agent.started', agent: 'database', attempt: 1, mode: 'implement', runner: 'external', ts: at(10) },
  { type: 'validation.passed', layer: 'database', ts: at(11) },
  {
    type: 'agent.started',
    agent: 'mobile',
    attempt: 1,
    mode: 'implement',
    runner: 'agent',
    model: 'sonnet',
    ts: at(11),
  },
  { type: 'review.verdict', round: 1, verdict: 'rejected', issues: [] },
  {
    type: 'agent.started',
    agent: 'backend',
    attempt: 3,
    mode: 'review-fix',
    runner: 'codex',
    model: 'gpt-5.5',
    ts: at(12),
  },
  { type: 'validation.passed', layer: 'backend', ts: at(13) },
  { type: 'review.verdict', round: 2, verdict: 'approved', issues: [] },
];

test("a run's outcomes: one per layer's work from its journal, one per attempt from attempt.* (the picked one's copied events not again); external and unvalidated layers none", () => {
  const outcomes = runnerOutcomes('r1', JOURNAL);
  assert.deepEqual(
    outcomes.map((o) => `${o.layer}/${o.attempt}`),
    ['backend/0', 'web/1', 'web/2', 'web/3'],
  );
  assert.deepEqual(outcomes[0], {
    runId: 'r1',
    layer: 'backend',
    attempt: 0,
    runner: 'codex',
    model: 'gpt-5.5',
    firstTry: false,
    retries: 1,
    proofGreen: 1,
    proofTotal: 2,
    review: 'rejected',
    costUsd: 0.375,
    durationMs: 11_000,
    at: at(2),
  });
  const [k1, k2, k3] = outcomes.slice(1);
  assert.deepEqual([k1!.runner, k1!.model, k1!.firstTry, k1!.review], ['claude-code', undefined, false, undefined]);
  assert.deepEqual([k2!.firstTry, k2!.retries, k2!.review], [false, 1, undefined]);
  assert.deepEqual(
    [k3!.runner, k3!.model, k3!.firstTry, k3!.costUsd, k3!.durationMs, k3!.review],
    ['agent', 'sonnet', true, 0.2, 4000, 'approved'],
    'the picked attempt carries the review',
  );
});

const outcome = (
  runner: string,
  model: string | undefined,
  layer: string,
  o: Partial<RunnerOutcome> = {},
): RunnerOutcome => ({
  runId: `r${Math.random()}`,
  layer,
  attempt: 0,
  runner,
  ...(model ? { model } : {}),
  firstTry: true,
  retries: 0,
  proofGreen: 1,
  proofTotal: 1,
  costUsd: 0.1,
  durationMs: 1000,
  at: at(0),
  ...o,
});

test("agent.started says auto's choice in words: the runner and model, and why", () => {
  const started = {
    type: 'agent.started',
    agent: 'backend',
    attempt: 1,
    mode: 'implement',
    runner: 'agent',
    model: 'haiku',
  } as const;
  assert.equal(
    wordsOf({ ...started, choice: { by: 'record', runs: 4, passRate: 0.75 } }).text,
    'backend: implement on agent:haiku — auto, by its record: 4 runs, 75 % passed',
  );
  assert.equal(
    wordsOf({ ...started, choice: { by: 'exploring' } }).text,
    'backend: implement on agent:haiku — auto, exploring',
  );
  assert.equal(wordsOf(started).text, 'backend: implement', 'without auto, as before');
});

test('the table: per layer, runner and model; rates of its runs; proof and review rates only where some ran; --layer and --since', () => {
  const record = [
    outcome('agent', 'a', 'backend', { firstTry: false, retries: 2, costUsd: 0.3, review: 'rejected' }),
    outcome('agent', 'a', 'backend', {
      proofGreen: 1,
      proofTotal: 3,
      costUsd: 0.1,
      review: 'approved',
      durationMs: 3000,
    }),
    outcome('agent', 'b', 'backend', { proofTotal: 0, proofGreen: 0, at: '2026-10-01T00:00:00Z' }),
    outcome('codex', undefined, 'web'),
  ];
  const rows = runnerStats(record);
  assert.deepEqual(
    rows.map((r) => [r.layer, r.runner, r.model, r.runs]),
    [
      ['backend', 'agent', 'b', 1],
      ['backend', 'agent', 'a', 2],
      ['web', 'codex', undefined, 1],
    ],
  );
  const a = rows[1]!;
  assert.deepEqual(
    { ...a, meanCostUsd: Number(a.meanCostUsd.toFixed(6)) },
    {
      layer: 'backend',
      runner: 'agent',
      model: 'a',
      runs: 2,
      firstTryRate: 0.5,
      passRate: 0,
      meanRetries: 1,
      proofGreenRate: 0.5,
      approvedRate: 0.5,
      meanCostUsd: 0.2,
      meanDurationMs: 2000,
    },
  );
  assert.equal(rows[0]!.proofGreenRate, undefined);
  assert.equal(rows[0]!.approvedRate, undefined);
  assert.deepEqual(
    runnerStats(record, { layer: 'web' }).map((r) => r.runner),
    ['codex'],
  );
  assert.deepEqual(
    runnerStats(record, { since: new Date('2026-11-01') }).map((r) => r.model ?? r.runner),
    ['a', 'codex'],
  );
});

test("auto: each candidate twice first (the fewest runs first), then the best record (pass at once, then cost), exploring one choice in ten by the run's id", () => {
  const [a, b] = [
    { runner: 'agent' as const, model: 'a' },
    { runner: 'agent' as const, model: 'b' },
  ];
  const history: RunnerOutcome[] = [];
  const picks: string[] = [];
  for (let run = 0; run < 4; run++) {
    const { pick, choice } = chooseAuto([a, b], history, `run-${run}`, 'backend');
    assert.deepEqual(choice, { by: 'exploring' });
    picks.push(pick.model!);
    // a passes at once; b needs a retry.
    history.push(outcome('agent', pick.model, 'backend', pick.model === 'a' ? {} : { firstTry: false, retries: 1 }));
  }
  assert.deepEqual(picks, ['a', 'b', 'a', 'b']);
  const runIds = Array.from({ length: 200 }, (_, i) => `20261120-1000${i}`);
  const trusting = runIds.find((id) => !exploresNow(id, 'backend'))!;
  assert.deepEqual(chooseAuto([a, b], history, trusting, 'backend'), {
    pick: a,
    choice: { by: 'record', runs: 2, passRate: 1 },
  });
  // Another layer's record says nothing of this one.
  assert.deepEqual(chooseAuto([a, b], history, trusting, 'web').choice, { by: 'exploring' });
  const exploring = runIds.filter((id) => exploresNow(id, 'backend'));
  assert.ok(
    exploring.length > 200 / EXPLORE_EVERY / 2 && exploring.length < (200 / EXPLORE_EVERY) * 2,
    `about one in ${EXPLORE_EVERY} explores: ${exploring.length} of 200`,
  );
  assert.deepEqual(
    chooseAuto([a, b], history, exploring[0]!, 'backend'),
    { pick: b, choice: { by: 'exploring' } },
    'it explores the other one',
  );
  // Equal pass rates: the lower mean cost wins; a single candidate never explores.
  const cheap = [
    ...history.filter((o) => o.model === 'a'),
    outcome('agent', 'b', 'backend', { costUsd: 0.01 }),
    outcome('agent', 'b', 'backend', { costUsd: 0.01 }),
  ];
  assert.equal(chooseAuto([a, b], cheap, trusting, 'backend').pick, b);
  assert.equal(chooseAuto([a], history, exploring[0]!, 'backend').choice.by, 'record');
});

test("the record file: in the repository's data folder, owner-only; a resumed run's end supersedes its outcomes (read once); a torn line is skipped; one layer read alone", async () => {
  const home = tempDir();
  const record = fileRecord(home);
  assert.deepEqual(await record.read(), []);
  const first = runnerOutcomes('r1', JOURNAL);
  await record.add(first);
  const file = join(repositoryDataDir(home, 'runners'), RECORD_FILE);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.ok(!file.startsWith(home), 'outside the work tree');
  await record.add(first);
  assert.equal((await record.read()).length, 4, 'the same outcomes written again are read once');
  appendFileSync(file, '{"runId":"r1","layer":"bac');
  const resumed = { ...first[0]!, retries: 2 };
  await record.add([resumed]);
  assert.match(
    readFileSync(file, 'utf8'),
    /"layer":"bac\n\{"runId":"r1","layer":"backend"/,
    'the torn line ends where the next write begins',
  );
  const read = await record.read();
  assert.equal(read.length, 4);
  assert.equal(read.find((o) => o.layer === 'backend')?.retries, 2);
  assert.deepEqual(
    (await record.read({ layer: 'web' })).map((o) => o.attempt),
    [1, 2, 3],
  );
});

test('cli: runners stats [--layer L] [--since D] [--pool]; the options belong to stats', () => {
  const args = parseArgs(['runners', 'stats', '--layer', 'backend', '--since', '30d', '--json'], '/w');
  assert.deepEqual(
    [args.command, args.subcommand, args.layer, args.since, args.json],
    ['runners', 'stats', 'backend', '30d', true],
  );
  assert.equal(parseArgs(['runners', 'stats', '--pool'], '/w').pool, true);
  assert.equal(sinceDate('30d', Date.parse('2026-11-30T00:00:00Z')).toISOString(), '2026-10-31T00:00:00.000Z');
  assert.equal(sinceDate('2026-11-01').toISOString(), '2026-11-01T00:00:00.000Z');
  assert.throws(
    () => parseArgs(['runners', 'stats', '--since', 'last week'], '/w'),
    (e: Error) => e instanceof UsageError && /--since needs a date/.test(e.message),
  );
  assert.throws(
    () => parseArgs(['runners', '--layer', 'backend'], '/w'),
    /--layer is not an option of runners; --layer belongs to runners stats/,
  );
  assert.throws(() => parseArgs(['runners', 'list'], '/w'), /runners takes stats or nothing/);
  assert.throws(() => parseArgs(['runners', '--pool'], '/w'), /--pool belongs to/);
  assert.equal(parseArgs(['feature', 'x', '--runner', 'auto'], '/w').runner, 'auto');
});
