// Attempts where people see them (issue 47, docs/attempts.md "Where you see them"): the sidebar
// folds attempt.* events as they come with the engine's own fold (what `orchestrator attempts`
// reads), bounds what it keeps and the diffs it shows, and takes only well-formed attempt messages
// from its webview; the portal and the pull request say one line per layer, journal words inert.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { marked } from 'marked';
import type { EngineEvent } from '../../../src/core/events';
import type { TraceMatrix } from '../../../src/core/traceMatrix';
import { attemptsLine, attemptsOfRun } from '../../../src/core/pipeline/attempts';
import { attemptDiffView } from '../../../src/extension/view/attemptsView';
import type { ViewAction } from '../../../src/extension/view/actions';
import { reduce } from '../../../src/extension/view/reducer';
import { pullBody } from '../../../src/github/comments';
import { whatTheRunDid } from '../../../src/github/runFacts';
import { parseWebviewMessage } from '../../../src/shared/protocol';
import {
  attemptRefusal,
  emptyViewState,
  layerSwapClosed,
  viewStateSchema,
  type ViewState,
} from '../../../src/shared/viewState';
import { useAttempt } from '../../../src/core/change';
import { acquireRunLock, Journal } from '../../../src/core/journal';

const RUN = '20261201-100000-abcd';
const started = (k: number, model: string): EngineEvent => ({
  type: 'attempt.started',
  layer: 'backend',
  k,
  of: 3,
  runner: 'agent',
  model,
});
const judged = (
  k: number,
  validate: 'passed' | 'failed',
  retries: number,
  extra: Partial<Extract<EngineEvent, { type: 'attempt.judged' }>> = {},
): EngineEvent => ({
  type: 'attempt.judged',
  layer: 'backend',
  k,
  proofGreen: validate === 'passed' ? 2 : 1,
  proofTotal: 2,
  validate,
  retries,
  costUsd: 0.0123 * k,
  durationMs: 1500 * k,
  ref: `refs/orchestrator-attempts/${RUN}/backend/${k}`,
  diff: { files: 1, insertions: 20 + k, deletions: 0 },
  ...extra,
});
const JOURNAL: EngineEvent[] = [
  { type: 'run.started', runId: RUN, kind: 'feature', request: 'Product entity' },
  started(1, 'm-fail'),
  started(2, 'm-retry'),
  started(3, 'm-good'),
  judged(1, 'failed', 1, { error: `validation of backend failed after 1/1 retries ${'x'.repeat(5000)}` }),
  judged(3, 'passed', 0),
  judged(2, 'passed', 1),
  {
    type: 'attempt.picked',
    layer: 'backend',
    k: 3,
    why: 'fewest retries (0, attempt 2: 1); attempt 1 failed validation',
    by: 'judged',
  },
];
const fold = (actions: ViewAction[], from: ViewState = emptyViewState()): ViewState => actions.reduce(reduce, from);
const live = (events: EngineEvent[]): ViewAction[] => events.map((event) => ({ type: 'engine', event }));

test("sidebar: attempts fold as their events come, by the engine's own fold; the kept one marked with why; errors bounded; a diff shown is kept with its run; a resumed layer starts over", () => {
  const begun = fold([{ type: 'run.begin', kind: 'feature', request: 'Product entity' }]);
  // Live: after the third start, all three are running side by side.
  const running = fold(live(JOURNAL.slice(0, 4)), begun);
  assert.deepEqual(
    running.run!.attempts!.map((l) => [l.layer, l.of, l.attempts.map((a) => `${a.k}:${a.model}:${a.state}`)]),
    [['backend', 3, ['1:m-fail:running', '2:m-retry:running', '3:m-good:running']]],
  );
  const state = fold(live(JOURNAL.slice(4)), running);
  const [layer] = state.run!.attempts!;
  assert.deepEqual(
    layer!.attempts.map((a) => [a.k, a.validate, a.retries, a.proofGreen, a.picked]),
    [
      [1, 'failed', 1, 1, false],
      [2, 'passed', 1, 2, false],
      [3, 'passed', 0, 2, true],
    ],
  );
  assert.deepEqual(layer!.picked, {
    k: 3,
    why: 'fewest retries (0, attempt 2: 1); attempt 1 failed validation',
    by: 'judged',
  });
  assert.ok(
    layer!.attempts[0]!.error!.length < 4200 && /more characters in the log/.test(layer!.attempts[0]!.error!),
    "the error is bounded as a layer's",
  );
  // The same figures the CLI reads from the whole journal.
  const cli = attemptsOfRun(JOURNAL)[0]!;
  assert.deepEqual(
    layer!.attempts.map(({ error: _e, ...a }) => a),
    cli.attempts.map(({ error: _e, ...a }) => a),
  );
  assert.ok(viewStateSchema.safeParse(state).success, 'the state the webview is sent parses');

  // A person's swap: the kept mark moves.
  const swapped = fold(
    live([
      {
        type: 'attempt.picked',
        layer: 'backend',
        k: 2,
        why: 'used by a person instead of attempt 3',
        by: 'person',
        request: 'use-1',
      },
    ]),
    state,
  );
  assert.deepEqual(
    swapped.run!.attempts![0]!.attempts.map((a) => a.picked),
    [false, true, false],
  );
  assert.equal(swapped.run!.attempts![0]!.picked?.by, 'person');

  // A diff the user opened stays with the run (another run's is not taken); attempt 1 started again drops the layer's attempts and that diff.
  const diff = attemptDiffView({
    layer: 'backend',
    k: 1,
    base: 'b',
    ref: 'r',
    files: [
      {
        path: 'server/a.js',
        status: 'added',
        insertions: 1,
        deletions: 0,
        patch: 'diff --git a/server/a.js b/server/a.js\n@@ -0,0 +1 @@\n+x',
      },
    ],
  });
  assert.equal(fold([{ type: 'attempt.diff', runId: 'another', diff }], swapped), swapped);
  const shown = fold([{ type: 'attempt.diff', runId: RUN, diff }], swapped);
  assert.deepEqual(
    shown.run!.attemptDiffs!.map((d) => [d.layer, d.k, d.files.length]),
    [['backend', 1, 1]],
  );
  assert.ok(viewStateSchema.safeParse(shown).success);
  const again = fold(live([started(1, 'm-fail')]), shown);
  assert.deepEqual(
    again.run!.attempts![0]!.attempts.map((a) => `${a.k}:${a.state}`),
    ['1:running'],
  );
  assert.deepEqual(again.run!.attemptDiffs, []);
});

test('sidebar: a diff is cut to what a side bar shows — 40 files, 400 lines a file — and says so', () => {
  const patch = [
    'diff --git a/a b/a',
    '@@ -0,0 +1,500 @@',
    ...Array.from({ length: 500 }, (_, i) => `+line ${i}`),
  ].join('\n');
  const files = Array.from({ length: 45 }, (_, i) => ({
    path: `f${i}.js`,
    status: 'added' as const,
    insertions: 500,
    deletions: 0,
    patch: i === 0 ? patch : '+x',
  }));
  const view = attemptDiffView({ layer: 'backend', k: 2, base: 'b', ref: 'r', files });
  assert.equal(view.files.length, 40);
  assert.equal(view.more, 5);
  assert.equal(view.files[0]!.patch.split('\n').length, 400);
  assert.equal(view.files[0]!.clipped, true);
  assert.equal(view.files[1]!.clipped, undefined);
});

test("webview messages: an attempt's diff and Use this attempt parse only for a layer name and k from 1 to 8", () => {
  for (const type of ['attemptDiff', 'useAttempt']) {
    assert.ok(parseWebviewMessage({ type, runId: RUN, layer: 'backend', k: 2 }).ok, type);
    for (const bad of [
      { layer: 'backend', k: 0 },
      { layer: 'backend', k: 9 },
      { layer: 'backend', k: 1.5 },
      { layer: '../.git', k: 1 },
      { layer: 'back end', k: 1 },
      { layer: 'backend' },
      { runId: '', layer: 'backend', k: 1 },
    ]) {
      const parsed = parseWebviewMessage({ type, runId: RUN, ...bad });
      assert.equal(parsed.ok, false, JSON.stringify({ type, ...bad }));
    }
  }
});

test('one rule for using an attempt (attemptUse.ts): the sidebar offers Use this attempt exactly when the engine takes the swap', async () => {
  const implement: EngineEvent = { type: 'phase.started', phase: 'IMPLEMENT' };
  const [, ...attempts] = JOURNAL;
  const unpicked = attempts.filter((e) => e.type !== 'attempt.picked');
  const cases: [string, EngineEvent[], number, RegExp | 'queued' | 'current'][] = [
    ['in the phase that picked it', [implement, ...attempts], 2, 'queued'],
    ['the one in the run', [implement, ...attempts], 3, 'current'],
    ['an attempt that failed its validation', [implement, ...attempts], 1, /attempt 1 failed its validation/],
    [
      'past the review',
      [implement, ...attempts, { type: 'phase.started', phase: 'REVIEW' }],
      2,
      /moved on to REVIEW since backend's attempts \(in IMPLEMENT\)/,
    ],
    // The two the sidebar offered and the engine refused (the first when asked, the second when the run took it).
    [
      'moved on to a workflow phase after IMPLEMENT',
      [implement, ...attempts, { type: 'phase.started', phase: 'DOCUMENT' }],
      2,
      /moved on to DOCUMENT since backend's attempts \(in IMPLEMENT\)/,
    ],
    [
      'stopped while its attempts worked: none in the run',
      [implement, ...unpicked, { type: 'run.stopped', runId: RUN, reason: 'cancelled', report: '' }],
      2,
      /No attempt at backend is in the run: it stopped before one was kept/,
    ],
    // A run going (it holds the lock) takes the swap once it keeps one.
    ['going, none kept yet', [implement, ...unpicked], 2, 'queued'],
    [
      'completed',
      [implement, ...attempts, { type: 'run.completed', runId: RUN, summary: {} }],
      2,
      /completed: attempts can be swapped only before/,
    ],
  ];
  const dir = mkdtempSync(join(tmpdir(), 'attempt-use-'));
  try {
    for (const [i, [name, events, k, expected]] of cases.entries()) {
      const runId = `20261201-10000${i}-abcd`;
      const journal = Journal.create(dir, runId);
      const lock = name.startsWith('going') ? acquireRunLock(dir, runId) : undefined;
      for (const e of [{ ...JOURNAL[0]!, runId } as EngineEvent, ...events]) journal.sink(e);
      journal.close();
      const run = fold(
        live([{ ...JOURNAL[0]!, runId } as EngineEvent, ...events]),
        fold([{ type: 'run.begin', kind: 'feature', request: 'Product entity' }]),
      ).run!;
      const offered = attemptRefusal(run, run.attempts![0]!, k);
      const engine = await useAttempt(runId, 'backend', k, { workspace: dir }, { resume: false }).then(
        (o) => o.status,
        (error: Error) => error.message,
      );
      lock?.release();
      if (expected === 'queued' || expected === 'current') {
        assert.equal(engine, expected, name);
        assert.equal(offered, expected === 'queued' ? undefined : 'current', name);
      } else {
        // The same words (the sidebar bounds an attempt's error as it keeps it).
        assert.match(engine, expected, name);
        assert.match(offered ?? 'offered', expected, `${name}: the sidebar refuses it too`);
      }
    }
    // A pooled run is used where it runs: the sidebar sends no swap for it.
    assert.match(
      layerSwapClosed({ status: 'running', pooled: true }, attemptsOfRun(JOURNAL)[0]!) ?? '',
      /orchestrator attempts <runId> --use/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the portal's and the pull request's line per layer: how many ran, which was kept and why; the journal's words inert in the pull request", () => {
  const hostile =
    'fewest retries [click](https://evil.example) <img src=x onerror=alert(1)> @octocat `x` www.evil.example';
  const journal: EngineEvent[] = [
    ...JOURNAL,
    { type: 'attempt.started', layer: 'frontend', k: 1, of: 3, runner: 'codex' },
    { type: 'attempt.started', layer: 'frontend', k: 2, of: 3, runner: 'agent' },
    { type: 'attempt.skipped', layer: 'frontend', k: 3, reason: 'the budget is spent (limits.maxBudgetUsd)' },
    {
      type: 'attempt.judged',
      layer: 'frontend',
      k: 1,
      proofGreen: 0,
      proofTotal: 0,
      validate: 'passed',
      retries: 0,
      costUsd: 0.2,
      durationMs: 900,
    },
    {
      type: 'attempt.judged',
      layer: 'frontend',
      k: 2,
      proofGreen: 0,
      proofTotal: 0,
      validate: 'passed',
      retries: 0,
      costUsd: 0.1,
      durationMs: 900,
    },
    { type: 'attempt.picked', layer: 'frontend', k: 2, why: hostile, by: 'judged' },
    { type: 'attempt.started', layer: 'database', k: 1, of: 2, runner: 'agent' },
  ];
  const { attempts } = whatTheRunDid(journal);
  assert.deepEqual(attempts, [
    'backend: 3 attempts, kept 3 — fewest retries (0, attempt 2: 1); attempt 1 failed validation',
    `frontend: 2 of 3 attempts ran, kept 2 — ${hostile}`,
    'database: 1 of 2 attempts ran, running',
  ]);
  assert.equal(
    attemptsLine(attemptsOfRun([started(1, 'm'), judged(1, 'failed', 2)])[0]!),
    'backend: 1 of 3 attempts ran, none passed its validation',
  );

  const matrix: TraceMatrix = {
    specId: 's',
    title: 'Products',
    runIds: [RUN],
    rows: [],
    requirementsWithoutFile: [],
    notLinked: [],
    doneBeforeImport: [],
    unlinkedTasks: [],
    criteriaWithoutTest: [],
    byHand: {},
  };
  const body = pullBody({
    issue: 7,
    runId: RUN,
    matrix,
    summary: 'Products.',
    costUsd: 0.5,
    runners: ['agent'],
    attempts,
  });
  assert.match(
    body,
    /\n### Attempts\n\n- `backend: 3 attempts, kept 3 — fewest retries \(0, attempt 2: 1\); attempt 1 failed validation`\n/,
  );
  const rendered = marked.parse(body, { async: false, gfm: true });
  const items = [...rendered.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => m[1]!);
  assert.equal(items.length, 3);
  assert.doesNotMatch(rendered, /<a\b|<img\b/i, 'no link, no image: the words are code');
  assert.match(
    items[1]!,
    /^<code>frontend: 2 of 3 attempts ran, kept 2 — fewest retries \[click\]\(https:\/\/evil\.example\) &lt;img src=x onerror=alert\(1\)&gt; @octocat {2}x {2}www\.evil\.example<\/code>$/,
  );
  assert.doesNotMatch(
    pullBody({ issue: 7, runId: RUN, matrix, summary: 'Products.', costUsd: 0.5, runners: ['agent'], attempts: [] }),
    /Attempts/,
  );
});
