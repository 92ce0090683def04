// Issue 29's waiver in the pool: `--workflow` and `--allow-untested` (and issue 47's `--attempts`) travel with a pooled run to
// whichever worker takes it — at dispatch, with the approval of a pooled spec at the gate, and to
// a worker that resumes the run after another was killed. Real PostgreSQL, a bare git remote,
// worker processes (the built CLI) in their own clones, one scripted Messages API server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEMO_FILES } from '../../../src/core/llm/demo/demoFeature';
import { buildCli, jsonOf } from '../../support/cli/cliKit';
import { reply } from '../../support/messagesApiServer';
import { usePostgres } from '../../support/postgres';
import { say, specAnswer, writesThenDone, type AgentScript } from '../../support/engine/agentScript';
import { PRODUCT_SPEC } from '../../support/engine/fixtures';
import { boardRunOf } from '../../../src/pool/types';
import { poolRunViewSchema } from '../../../src/shared/poolView';
import { poolWorld } from '../../support/pool/poolKit';

const pg = usePostgres(buildCli);

const REQUEST = 'Add a Product entity with name and price';
const SHIPPED_FEATURE = readFileSync(resolve(__dirname, '../../../.claude/workflows/feature.yaml'), 'utf8');
/** The shop's own workflow: today's pipeline with its review phase named F and gated, like seed 000's F, by the matrix being complete. */
const TESTED = SHIPPED_FEATURE.replace('  - name: REVIEW\n', '  - name: F\n').replace(
  '    gate: { check: [review] }\n',
  '    gate: { check: [review, trace] }\n',
);

const showFile = (remote: string, ref: string, path: string): string =>
  execFileSync('git', ['--git-dir', remote, 'show', `${ref}:${path}`], { encoding: 'utf8' });
const ended = (status: string | undefined) => status === 'completed' || status === 'stopped' || status === 'failed';

test('pool: a workflow run whose requirements have no test stops at F without the waiver; with --allow-untested given at the approval it passes F on the worker that resumed it after a kill -9, journaled as trace.waived', async () => {
  assert.match(TESTED, /name: F\n[\s\S]*check: \[review, trace\]/);
  /** Set once the first run ended: the next backend call (the second run's) never answers. */
  let armed = false;
  let held = false;
  const plain = writesThenDone(DEMO_FILES.backend!);
  const agents: Record<string, AgentScript> = {
    spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC),
    database: writesThenDone(DEMO_FILES.database!),
    // The second run's first backend call never answers: its worker dies waiting, mid-wave.
    backend: (call) => {
      if (!armed || held) return plain(call);
      held = true;
      return reply.slow(say.write(DEMO_FILES.backend!), { beforeMs: 120_000 });
    },
    frontend: writesThenDone(DEMO_FILES.frontend!),
    review: () => say.approve(),
  };
  const w = await poolWorld(agents, { pg });
  try {
    // The workflow file is only in the user's checkout, uncommitted: the dispatch snapshots it.
    w.shop.write('.claude/workflows/tested.yaml', TESTED);
    const doomed = w.worker('doomed');

    // 1. Without the waiver: the worker follows the workflow given at dispatch, and F's gate stops the run.
    const first = await w.cli(['feature', REQUEST, '--workflow', 'tested', '--pool', '--approve', '--yes', '--json']);
    assert.equal(first.code, 0, first.stderr);
    const firstId = String(jsonOf(first).runId);
    const [stopped] = await w.waitFor('the first run ended', (runs) => ended(runs[0]?.status));
    assert.deepEqual(
      [stopped!.status, stopped!.reason],
      ['stopped', 'phase F: 2 requirement(s) with no test'],
      doomed.log(),
    );
    assert.deepEqual(stopped!.flags, { autoApprove: true, approveGates: true, assumeYes: true, workflow: 'tested' });
    const firstJournal = await w.store.events(firstId);
    assert.deepEqual(
      firstJournal.filter((e) => e.type === 'run.started').map((e) => [e.workflow, e.allowUntested]),
      [['tested', undefined]],
    );
    assert.equal(firstJournal.filter((e) => e.type === 'trace.waived').length, 0);
    armed = true;

    // 2. Dispatched without --approve: it waits at the spec gate, holding no worker.
    const second = await w.cli(['feature', REQUEST, '--workflow', 'tested', '--pool', '--yes', '--json']);
    assert.equal(second.code, 0, second.stderr);
    const runId = String(jsonOf(second).runId);
    const [, waiting] = await w.waitFor(
      'the second run at the gate',
      (runs) => runs[1]?.status === 'awaiting-approval',
    );
    assert.equal(waiting!.flags.allowUntested, undefined);

    // Approved from another machine's clone with the waiver (and attempts per layer, issue 47): they join the flags the run travels with.
    const approved = await w.cli(
      ['approve', waiting!.specId!, '--allow-untested', '--attempts', '1'],
      w.clone('reviewer'),
    );
    assert.equal(approved.code, 0, approved.stderr);
    assert.match(
      approved.stderr,
      /\(untested requirements waived, 1 attempt per layer\): run .* continues on the next free worker/,
    );
    // The approval names the gate it answers (the question last mirrored), not every later gate, and who approved (git's user.name).
    const asked = (await w.store.events(runId)).at(-1)!.seq;
    const by = execFileSync('git', ['config', 'user.name'], { cwd: w.shop.dir, encoding: 'utf8' }).trim();
    assert.deepEqual((await w.store.get(runId))!.flags, {
      assumeYes: true,
      workflow: 'tested',
      approval: { seq: asked, by },
      allowUntested: true,
      attempts: 1,
    });
    const listed = JSON.parse((await w.cli(['runs', '--pool', '--json'])).stdout) as Record<string, unknown>[];
    assert.deepEqual(
      listed.map((run) => [run.runId, run.workflow, run.allowUntested]),
      [
        [firstId, 'tested', undefined],
        [runId, 'tested', true],
      ],
    );
    // The live views' row (the sidebar's Pool section, the portal's Pool page) carries it, and the webview's schema takes it.
    const row = boardRunOf((await w.store.get(runId))!);
    assert.deepEqual([row.workflow, row.allowUntested], ['tested', true]);
    assert.ok(poolRunViewSchema.safeParse(row).success);
    const table = (await w.cli(['runs', '--pool'])).stdout.split('\n');
    assert.match(table[0]!, /\bworkflow$/);
    assert.match(
      table.find((line) => line.startsWith(runId))!,
      /tested, untested waived$/,
    );

    // 3. The worker continues it and dies mid-wave (database done, backend in flight): another resumes it.
    for (let i = 0; ; i++) {
      const events = await w.store.events(runId);
      if (events.some((e) => e.type === 'validation.passed' && e.layer === 'database') && held) break;
      if (i > 1200) throw new Error(`the run never reached mid-wave: ${doomed.log()}`);
      await sleep(50);
    }
    doomed.child.kill('SIGKILL');
    await doomed.done;
    const heir = w.worker('heir');
    const [, run] = await w.waitFor('the second run ended elsewhere', (runs) => ended(runs[1]?.status));
    assert.equal(run!.status, 'completed', `${run!.reason ?? ''}\n${heir.log()}`);
    assert.deepEqual(
      [run!.worker, run!.attempts],
      ['heir', 3],
      'taken at dispatch, after the approval, and after the kill',
    );

    const journal = await w.store.events(runId);
    // run.started: at dispatch (no waiver yet), after the approval and after the failover (both with it, and the attempts).
    assert.deepEqual(
      journal.filter((e) => e.type === 'run.started').map((e) => [e.workflow, e.allowUntested, e.attempts]),
      [
        ['tested', undefined, undefined],
        ['tested', true, 1],
        ['tested', true, 1],
      ],
    );
    // The gate was parked at the worker and its approval answered it through engine.answerQuestion, naming who.
    const gate = journal.find((e) => e.type === 'question.parked')!;
    assert.deepEqual(
      journal.filter((e) => e.type === 'question.answered' && e.id === gate.id).map((e) => [e.by, e.who, e.answer]),
      [['later', by, 'approve']],
    );
    assert.deepEqual(
      journal.filter((e) => e.type === 'trace.waived').map((e) => [e.phase, e.requirements]),
      [['F', ['REQ-1', 'REQ-2']]],
    );
    assert.ok(
      journal.some((e) => e.type === 'phase.closed' && e.phase === 'F'),
      'F closed on the heir',
    );
    // The matrix on the result branch says so in the requirements' Tests cells.
    const specFolder = dirname(String(journal.find((e) => e.type === 'spec.completed')!.path));
    const trace = showFile(w.remote, run!.resultBranch!, `${specFolder}/trace.md`);
    assert.match(
      trace,
      /\n\*\*Untested, waived:\*\* REQ-1 \(waived at phase F \(--allow-untested\)\), REQ-2 \(waived at phase F \(--allow-untested\)\)\n/,
    );
  } finally {
    await w.close();
  }
});
