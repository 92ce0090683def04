// Attempts (docs/attempts.md) after the pick: a person's swap before the run completes (what each
// attempt changed read from its refs first, as the sidebar's Diff does), on a spec whose own plan
// orders its layers; and a run cancelled mid-attempts resumed (attemptsWorld.ts: what each
// model's attempt does).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engine } from '../../../src/core/engine';
import { reply } from '../../support/messagesApiServer';
import { productAgents, say, writesThenDone } from '../../support/engine/agentScript';
import { BROKEN_PRODUCT_MODULE, PRODUCT_MODULE, PRODUCT_SCREEN } from '../../support/engine/fixtures';
import { harness, journalOf } from '../../support/engine/harness';
import { attemptsConfig, backend, type Entry, MODULE, ofType } from '../../support/engine/attemptsWorld';

test('a person uses another attempt before the run completes: it replaces the kept one, and the layer after it in the plan runs again on it', async () => {
  const ALT_MODULE = `// The second attempt's module.\n${PRODUCT_MODULE}`;
  const BROKEN_SCREEN = PRODUCT_SCREEN.replace('export ', 'export export ');
  const h = await harness(
    {
      ...productAgents(),
      // m-good passes at once and is kept; m-alt passes after a retry with a module of its own.
      backend: (call) =>
        call.req.body.model === 'm-good'
          ? writesThenDone({ [MODULE]: PRODUCT_MODULE })(call)
          : call.turn === 0
            ? say.write({ [MODULE]: call.continued ? ALT_MODULE : BROKEN_PRODUCT_MODULE })
            : say.done(),
      // The screen is broken until the backend it builds on is replaced.
      frontend: ({ turn, task }) =>
        turn === 0
          ? say.write({
              'web/src/products.js': task.includes("BACKEND'S WORK WAS REPLACED") ? PRODUCT_SCREEN : BROKEN_SCREEN,
            })
          : say.done(),
    },
    // `after:` puts the frontend beside the backend; the spec's plan (an imported Mustard plan's waves) after it.
    {
      config: attemptsConfig(['agent:m-good', 'agent:m-alt'], (y) =>
        y.replace('attempts: 3', 'attempts: 2').replace('    after: [backend]\n', ''),
      ),
    },
  );
  try {
    const saved = await engine.runFeature(
      'Add a Product entity with name and price',
      h.options({ autoApprove: false }),
    );
    assert.equal(saved.status, 'spec-saved', saved.error);
    const [spec] = await engine.listSpecs(h.shop.dir);
    h.shop.write(spec!.path, h.shop.read(spec!.path).replace(/^---\n/, '---\nwaves: [[backend], [frontend]]\n'));
    const stopped = await engine.approveSpec(spec!.id, h.options());
    assert.equal(stopped.status, 'stopped', 'the frontend fails its validation');
    assert.deepEqual(
      ofType(journalOf(h.shop, stopped.runId) as unknown as Entry[], 'wave.started').map((e) => e.layers),
      [['backend'], ['frontend']],
      "the plan's order",
    );
    assert.deepEqual(
      (await engine.runAttempts(h.shop.dir, stopped.runId)).map((l) => [
        l.layer,
        l.picked?.k,
        l.attempts.map((a) => a.validate),
      ]),
      [['backend', 1, ['passed', 'passed']]],
    );
    await assert.rejects(engine.useAttempt(stopped.runId, 'backend', 3, h.options()), /there is no attempt 3/);
    await assert.rejects(
      engine.useAttempt(stopped.runId, 'frontend', 1, h.options()),
      /tried only backend in attempts/,
    );
    // What each attempt changed, read from its refs (the sidebar's Diff): the module each wrote, against the base.
    const diff = await engine.attemptDiff(h.shop.dir, stopped.runId, 'backend', 2);
    assert.deepEqual(
      diff.files.map((f) => [f.path, f.status, f.insertions, f.deletions]),
      [[MODULE, 'added', ALT_MODULE.trimEnd().split('\n').length, 0]],
    );
    assert.match(
      diff.files[0]!.patch,
      /^diff --git [^\n]+\nnew file mode[\s\S]*^\+\/\/ The second attempt's module\.$/m,
    );
    assert.doesNotMatch(
      (await engine.attemptDiff(h.shop.dir, stopped.runId, 'backend', 1)).files[0]!.patch,
      /The second attempt/,
    );
    await assert.rejects(engine.attemptDiff(h.shop.dir, stopped.runId, 'backend', 3), /there is no attempt 3/);

    const outcome = await engine.useAttempt(stopped.runId, 'backend', 2, h.options());
    assert.equal(outcome.status, 'resumed');
    const summary = outcome.status === 'resumed' ? outcome.summary : undefined;
    assert.equal(summary?.status, 'completed', summary?.error ?? summary?.report);
    assert.equal(h.shop.read(MODULE), ALT_MODULE);
    assert.equal(h.shop.read('web/src/products.js'), PRODUCT_SCREEN);
    const journal = journalOf(h.shop, stopped.runId) as unknown as Entry[];
    const swap = ofType(journal, 'attempt.picked').at(-1)!;
    assert.deepEqual([swap.k, swap.by, swap.why], [2, 'person', 'used by a person instead of attempt 1']);
    const fix = ofType(journal, 'agent.started').find((e) => e.agent === 'frontend' && e.seq > swap.seq)!;
    assert.equal(fix.mode, 'fix');
    assert.deepEqual(
      (await engine.runAttempts(h.shop.dir, stopped.runId))[0]!.attempts.map((a) => a.picked),
      [false, true],
    );
    await assert.rejects(
      engine.useAttempt(stopped.runId, 'backend', 1, h.options()),
      /completed: attempts can be swapped only before/,
    );
  } finally {
    await h.close();
  }
});

test('a run cancelled while its attempts work leaves no worktree, and resumes by trying again', async () => {
  let hold = true;
  const h = await harness(
    {
      ...productAgents(),
      backend: (call) => {
        // Attempt 2's first answer is held until the client goes away: the run is cancelled mid-attempts.
        if (hold && call.req.body.model === 'm-good' && call.turn === 0) {
          hold = false;
          return reply.slow(say.write({ [MODULE]: PRODUCT_MODULE }), { beforeMs: 60_000 });
        }
        return backend(call);
      },
    },
    { config: attemptsConfig(['agent:m-retry', 'agent:m-good'], (y) => y.replace('attempts: 3', 'attempts: 2')) },
  );
  try {
    const controller = new AbortController();
    const running = engine.runFeature(
      'Add a Product entity with name and price',
      h.options({ signal: controller.signal }),
    );
    for (let i = 0; i < 400 && hold; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    assert.equal(hold, false, 'attempt 2 is answering');
    controller.abort();
    const cancelled = await running;
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(
      h.shop.git('worktree', 'list', '--porcelain').match(/^worktree /gm)!.length,
      1,
      'no attempt worktree left',
    );
    assert.ok(!(journalOf(h.shop, cancelled.runId) as unknown as Entry[]).some((e) => e.type === 'attempt.picked'));

    const resumed = await engine.resumeRun(cancelled.runId, h.options());
    assert.equal(resumed.status, 'completed', resumed.error ?? resumed.report);
    const journal = journalOf(h.shop, cancelled.runId) as unknown as Entry[];
    assert.deepEqual(
      ofType(journal, 'attempt.started').map((e) => e.k),
      [1, 2, 1, 2],
      'tried again from attempt 1',
    );
    assert.deepEqual(
      ofType(journal, 'attempt.picked').map((e) => e.k),
      [2],
    );
    assert.equal(h.shop.read(MODULE), PRODUCT_MODULE);
    assert.deepEqual(
      (await engine.runAttempts(h.shop.dir, cancelled.runId))[0]!.attempts.map((a) => [a.k, a.validate, a.picked]),
      [
        [1, 'passed', false],
        [2, 'passed', true],
      ],
    );
  } finally {
    await h.close();
  }
});
