import assert from 'node:assert/strict';
import { test } from 'node:test';
import { censusDocument } from '../../../src/core/census/init/configDocument';
import { gatesOf } from '../../../src/core/census/verify/gates';
import type { InitReport } from '../../../src/core/census/init/initFromCensus';
import { initSummary } from '../../../src/core/census/init/initSummary';
import { proofSection } from '../../../src/core/census/verify/proofGates';
import { batchCommands, lanesOf } from '../../../src/core/census/verify/verifyBatches';
import {
  deadlineOf,
  isOutOfTime,
  outOfTime,
  STOPPED,
  unverifiedCount,
} from '../../../src/core/census/verify/verifyBudget';
import { offlineCommand } from '../../../src/core/census/verify/verifySandbox';
import { takeCensus } from '../../../src/core/census/census';
import { verifyCensus } from '../../../src/core/census/verify/verify';
import { loadConfigText } from '../../../src/core/project/config';
import { censusOf, commitAll, git, json, makeRepo } from '../../support/census';

const files = {
  'package.json': json({
    name: 'app',
    scripts: { lint: 'eslint .', test: 'vitest run' },
    devDependencies: { eslint: '9', vitest: '3' },
  }),
  'package-lock.json': '{}',
  'src/index.ts': 'export const x = 1;\n',
  'src/index.test.ts': "import { test } from 'vitest';\ntest('x', () => {});\n",
};

test('what a budget given cut is kept unverified, never dropped nor turning proof off (issue 70); what passed in time stays a gate; the summary counts them', async () => {
  const census = await censusOf(files);
  const layer = census.layers.find(
    (l) => l.validate.some((v) => v.command === 'npm run lint') && l.validate.some((v) => v.command === 'npm run test'),
  );
  assert.ok(layer, JSON.stringify(census.layers.map((l) => l.validate)));
  layer.verified = layer.validate.map((v) =>
    v.command === 'npm run lint' ? { status: 'passed', ms: 800 } : outOfTime(7),
  );
  for (const unit of census.proof?.units ?? []) unit.verified = outOfTime(7);

  assert.deepEqual(
    gatesOf(layer).map((g) => g.command),
    layer.validate.map((v) => v.command),
  );
  const text = censusDocument(census).toString({ lineWidth: 0 });
  assert.match(text, /- npm run lint # from .*; passed in 0\.8 s/);
  assert.match(
    text,
    /- npm run test # from .*; not verified in time \(the 7 s given to verification were spent\); kept unverified: a run checks it on the base before it counts against a layer/,
  );
  // The proof command the budget cut is kept too, and proof is required: unverified is not off.
  assert.equal(census.proof?.units.length, 1, 'vitest: a proof command');
  const section = proofSection(census.proof!, census.layers);
  assert.equal(section.kept.length, 1);
  assert.equal(section.mode, 'required');
  assert.match(text, /mode: required/);
  const repo = await makeRepo({});
  try {
    await loadConfigText(repo.dir, text);
  } finally {
    await repo.cleanup();
  }

  const unverified = 2;
  assert.equal(unverifiedCount(census), unverified);
  const report: InitReport = {
    census,
    proposal: text,
    config: 'created',
    created: [],
    kept: [],
    gitignore: 'unchanged',
  };
  const summary = initSummary(report) as {
    unverified?: number;
    proof?: { mode: string };
    layers: Record<string, { validate: string[]; verified: { status: string; outOfTime?: boolean }[] }>;
  };
  assert.equal(summary.unverified, unverified);
  assert.equal(summary.proof?.mode, 'required');
  assert.deepEqual(
    summary.layers[layer.name]!.validate,
    layer.validate.map((v) => v.command),
  );
  assert.deepEqual(
    summary.layers[layer.name]!.verified.map((v) => [v.status, v.outOfTime ?? false]),
    layer.validate.map((v) => (v.command === 'npm run lint' ? ['passed', false] : ['skipped', true])),
  );
  // Not run at all (--no-verify, untrusted) stays a gate, as before.
  layer.verified = layer.validate.map(() => ({
    status: 'skipped',
    reason: 'the workspace is not trusted: nothing from it runs',
  }));
  assert.deepEqual(
    gatesOf(layer).map((g) => g.command),
    layer.validate.map((v) => v.command),
  );
});

test('a census that spent the whole budget given (a large repository on a busy machine) makes no worktree: every command is out of time, kept unverified', async () => {
  const repo = await makeRepo(files);
  try {
    commitAll(repo.dir);
    const census = await takeCensus(repo.dir);
    const objects = () => git(repo.dir, 'count-objects');
    const before = objects();
    const started: string[] = [];
    await verifyCensus(repo.dir, census, {
      trusted: true,
      since: Date.now() - 8000,
      budgetSec: 7,
      onStart: (c) => started.push(c),
    });
    assert.deepEqual(started, []);
    assert.ok(census.layers.flatMap((l) => l.verified ?? []).every(isOutOfTime));
    assert.ok(census.proof!.units.every((u) => isOutOfTime(u.verified)));
    assert.equal(objects(), before, 'no snapshot commit, so no worktree, was made');
  } finally {
    await repo.cleanup();
  }
});

test('the deadline: a command cancelled once the budget is spent is out of time; one the user stopped is stopped; no budget sets no timer', () => {
  const spent = deadlineOf(Date.now() - 2000, 1);
  try {
    assert.equal(spent.spent(), true);
    assert.equal(isOutOfTime(spent.judge({ status: 'skipped', reason: 'cancelled' })), true);
    assert.deepEqual(spent.judge({ status: 'passed', ms: 5 }), { status: 'passed', ms: 5 });
  } finally {
    spent.clear();
  }
  const running = deadlineOf(Date.now(), 60);
  try {
    assert.equal(running.spent(), false);
    assert.deepEqual(running.judge({ status: 'skipped', reason: 'cancelled' }), STOPPED);
  } finally {
    running.clear();
  }
  const user = new AbortController();
  user.abort();
  const cancelled = deadlineOf(Date.now() - 2000, 1, user.signal);
  try {
    assert.equal(cancelled.signal?.aborted, true);
    assert.deepEqual(cancelled.judge({ status: 'skipped', reason: 'cancelled' }), STOPPED);
  } finally {
    cancelled.clear();
  }
  // The default: no budget, so nothing is ever out of time and the caller's signal is the only stop.
  const none = deadlineOf(Date.now() - 3_600_000, undefined, user.signal);
  assert.equal(none.spent(), false);
  assert.equal(none.end, Number.POSITIVE_INFINITY);
  assert.equal(none.signal, user.signal);
  assert.deepEqual(none.judge({ status: 'skipped', reason: 'cancelled' }), STOPPED);
});

test("one build tool's runs in one folder share a lane (run one after another); other commands run side by side", () => {
  const lanes = lanesOf(
    batchCommands([
      'mvn -q -B compile',
      'npm run lint',
      'mvn -q -B test',
      'cd api && cargo check',
      'cd api && cargo test',
      'cd web && cargo test',
      './gradlew check',
      'gradle test',
      'npm run test',
    ]),
  );
  assert.deepEqual(
    lanes.map((lane) => lane.map((b) => b.command)),
    [
      ['mvn -q -B compile', 'mvn -q -B test'],
      ['npm run lint'],
      ['cd api && cargo check', 'cd api && cargo test'],
      ['cd web && cargo test'],
      ['./gradlew check', 'gradle test'],
      ['npm run test'],
    ],
  );
});

test('Maven runs offline at verification whatever its version: each mvn or mvnw is given -o (Maven 3.8 ignores MAVEN_ARGS)', () => {
  assert.equal(offlineCommand('mvn -q -B -pl a,b -am compile'), 'mvn -o -q -B -pl a,b -am compile');
  assert.equal(
    offlineCommand('cd server && ./mvnw -B verify && mvn test'),
    'cd server && ./mvnw -o -B verify && mvn -o test',
  );
  assert.equal(offlineCommand('mvn --offline test'), 'mvn --offline test');
  assert.equal(offlineCommand('npm test && echo mvn'), 'npm test && echo mvn');
});
