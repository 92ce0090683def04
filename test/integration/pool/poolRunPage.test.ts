// A pooled run's page in the portal: its proof per criterion and its attempts, from the journal the workers mirrored
// (split from poolPortal.test.ts, the pooled specs' gate and the Pool page).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TraceMatrix, TraceRow } from '../../../src/core/traceMatrix';
import { PoolStore } from '../../../src/pool/poolStore';
import type { JournalPage } from '../../../src/shared/portalApi';
import { parseHTML } from 'linkedom';
import { browserBundle } from '../../support/browserBundle';
import { freshDatabase, usePostgres } from '../../support/postgres';
import { poolRequest } from '../../support/pool/poolRequest';
import { portalWorld } from '../../support/portal/portalKit';

const pg = usePostgres();

test("portal: a pooled run's page answers its proof per criterion — the latest matrix's criteria, each with what the run's own PROVE, GREEN and STRENGTH journaled since — the proof agent's names bounded; and a line per layer tried in attempts", async () => {
  const url = await freshDatabase(pg, 'poolproof');
  const store = await PoolStore.open(url);
  const world = await portalWorld({ config: (yaml) => `${yaml}\nqueue:\n  url: ${url}\n` });
  try {
    const runId = '20261125-090000-cafe';
    await store.dispatch(poolRequest(runId, { request: 'Format prices' }));
    await store.claim('build-7', [], 60);
    const bot = await world.signIn('bot');
    const page = async () => {
      const answer = await world.as(bot, 'GET', `/api/pool/runs/${runId}/events`);
      assert.equal(answer.status, 200, answer.text);
      return answer.json as JournalPage;
    };
    assert.ok(
      await store.appendEvents(runId, 'build-7', [
        {
          seq: 1,
          ts: '2026-11-25T09:00:00.000Z',
          type: 'run.started',
          runId,
          kind: 'feature',
          request: 'Format prices',
        },
      ]),
    );
    assert.equal((await page()).proof, undefined, 'no criteria yet: no proof to show');

    // The matrix after SPEC (an earlier run on the branch proved REQ-1.1), then this run's PROVE and GREEN of REQ-1.2.
    const long = `REQ-1.2 ${'refuses '.repeat(60)}`;
    const row = (criterion: string, proof: TraceRow['proof']): TraceRow => ({
      requirement: criterion.slice(0, 5),
      requirementTitle: 'Prices',
      criterion,
      criterionText: 'WHEN … THE module SHALL …',
      tasks: [],
      layers: ['backend'],
      files: [],
      validation: [],
      review: 'not reviewed',
      tests: [],
      gaps: [],
      changes: [],
      ...(proof ? { proof } : {}),
    });
    const matrix: TraceMatrix = {
      specId: '2026-11-25-prices',
      title: 'Prices',
      runIds: [runId],
      requirementsWithoutFile: [],
      notLinked: [],
      doneBeforeImport: [],
      unlinkedTasks: [],
      criteriaWithoutTest: [],
      byHand: {},
      rows: [
        row('REQ-1.1', {
          file: 'test/acceptance/price.test.js',
          test: 'REQ-1.1 formats cents',
          red: 'failed',
          green: 'passed',
          status: 'proven',
          strength: { tried: 2, killed: 2, survived: 0, survivors: [] },
        }),
        row('REQ-1.2', { green: 'not-run', status: 'unproven' }),
        row('REQ-2.1', undefined),
      ],
    };
    assert.ok(
      await store.appendEvents(runId, 'build-7', [
        { seq: 2, type: 'trace.updated', specId: matrix.specId, matrix },
        { seq: 3, type: 'proof.started', round: 1, criteria: ['REQ-1.2'] },
        {
          seq: 4,
          type: 'proof.test',
          criterion: 'REQ-1.2',
          file: 'test/acceptance/negative.test.js',
          name: long,
          red: 'failed',
        },
        { seq: 5, type: 'proof.frozen', hashes: { 'test/acceptance/negative.test.js': 'x' } },
        {
          seq: 6,
          type: 'proof.green',
          criterion: 'REQ-1.2',
          file: 'test/acceptance/negative.test.js',
          green: 'failed',
          layer: 'backend',
          output: 'not ok 1',
        },
        { seq: 7, type: 'log', level: 'info', message: 'after the proof' },
        // The backend tried twice (docs/attempts.md): the page says how many ran and why one was kept, as text.
        { seq: 8, type: 'attempt.started', layer: 'backend', k: 1, of: 2, runner: 'agent', model: 'm-one' },
        { seq: 9, type: 'attempt.started', layer: 'backend', k: 2, of: 2, runner: 'codex' },
        {
          seq: 10,
          type: 'attempt.judged',
          layer: 'backend',
          k: 1,
          proofGreen: 1,
          proofTotal: 1,
          validate: 'passed',
          retries: 1,
          costUsd: 0.02,
          durationMs: 900,
        },
        {
          seq: 11,
          type: 'attempt.judged',
          layer: 'backend',
          k: 2,
          proofGreen: 1,
          proofTotal: 1,
          validate: 'passed',
          retries: 0,
          costUsd: 0.03,
          durationMs: 800,
        },
        {
          seq: 12,
          type: 'attempt.picked',
          layer: 'backend',
          k: 2,
          why: 'fewest retries (0, attempt 1: 1) <b>bold</b>',
          by: 'judged',
        },
        // STRENGTH after GREEN: REQ-1.2's test let one of three mutants through (its change is the code's words).
        {
          seq: 13,
          type: 'proof.strength',
          criterion: 'REQ-1.2',
          round: 0,
          tried: 3,
          killed: 2,
          survived: 1,
          survivors: [{ id: 'm1', file: 'lib/price.js', line: 4, change: 'cents < 0 → <b>false</b>' }],
        },
      ]),
    );
    const { proof, events, attempts } = await page();
    assert.equal(events.length, 13, 'the journal as before');
    assert.deepEqual(attempts, ['backend: 2 attempts, kept 2 — fewest retries (0, attempt 1: 1) <b>bold</b>']);
    assert.equal(proof?.line, 'Proof: 1 proven, 1 failing, 1 unproven');
    assert.deepEqual(
      proof?.criteria.map((c) => [c.criterion, c.status, c.file ?? null, c.red ?? null, c.green, c.tests]),
      [
        ['REQ-1.1', 'proven', 'test/acceptance/price.test.js', 'failed', 'passed', 1],
        ['REQ-1.2', 'failing', 'test/acceptance/negative.test.js', 'failed', 'failed', 1],
        ['REQ-2.1', 'unproven', null, null, 'not-run', 0],
      ],
    );
    assert.deepEqual(
      proof?.criteria.map((c) => c.strength?.survived ?? null),
      [0, 1, null],
    );
    const name = proof!.criteria[1]!.test!;
    assert.ok(name.length <= 200 && name.startsWith('REQ-1.2 refuses') && name.endsWith('…'), name);

    // The run's page in the portal, built by its own code on a DOM from what this server answers.
    const { poolJournalView } = await browserBundle<{
      poolJournalView: (main: HTMLElement, runId: string, before: string | null) => Promise<void>;
    }>({ poolJournalView: 'src/portal/client/poolJournalView.ts' });
    const globals = { document: Object.getOwnPropertyDescriptor(globalThis, 'document'), fetch: globalThis.fetch };
    const { document } = parseHTML('<!doctype html><html><body><main id="main"></main></body></html>');
    Object.assign(globalThis, {
      document,
      fetch: (path: string, init: RequestInit = {}) =>
        globals.fetch(`http://127.0.0.1:${world.port}${path}`, {
          ...init,
          headers: { ...(init.headers as Record<string, string>), cookie: bot.cookie },
        }),
    });
    try {
      const main = document.getElementById('main') as unknown as HTMLElement;
      await poolJournalView(main, runId, null);
      assert.equal(
        main.querySelector('[data-testid="run-proof-line"]')?.textContent,
        'Proof: 1 proven, 1 failing, 1 unproven',
      );
      const shown = Array.from(main.querySelectorAll('[data-testid="run-proof"] tbody tr')).map((tr) => [
        tr.getAttribute('data-criterion'),
        ...Array.from(tr.querySelectorAll('td')).map((td) => td.textContent),
      ]);
      assert.deepEqual(shown, [
        ['REQ-1.1', '✓ proven', 'test/acceptance/price.test.jsREQ-1.1 formats cents', 'failed', 'passed', '100%'],
        [
          'REQ-1.2',
          '✗ failing',
          `test/acceptance/negative.test.js${name}`,
          'failed',
          'failed',
          '66%survived: lib/price.js:4 cents < 0 → <b>false</b>',
        ],
        ['REQ-2.1', '○ unproven', '—', '—', '—', '—'],
      ]);
      assert.equal(
        main.querySelector('[data-testid="run-proof"] td[data-column="strength"]')?.getAttribute('title'),
        '100% (2/2 mutants killed)',
      );
      assert.equal(main.querySelector('[data-testid="run-proof"] b'), null, "a mutant's change is text, never markup");
      assert.equal(main.querySelectorAll('[data-testid="pool-journal"] tbody tr').length, 13, 'the journal below it');
      const attemptItems = main.querySelectorAll('[data-testid="run-attempts"] li');
      assert.deepEqual(
        Array.from(attemptItems).map((li) => li.textContent),
        [attempts![0]],
      );
      assert.equal(
        main.querySelector('[data-testid="run-attempts"] b'),
        null,
        "the journal's words are text, never markup",
      );
    } finally {
      Object.assign(globalThis, { fetch: globals.fetch });
      if (globals.document) Object.defineProperty(globalThis, 'document', globals.document);
      else delete (globalThis as { document?: unknown }).document;
    }
  } finally {
    await world.close();
    await store.close();
  }
});
