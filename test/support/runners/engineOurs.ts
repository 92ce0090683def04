// The engine suite's behaviours that are ours, not the CLI's (engineSuite.ts says which and why),
// played on the one runner whose description carries them: the owns gate's revert and the same
// session resumed, a proof test frozen against a layer whose owns covers it and the proof agent
// on the runner (one run), a worktree without denied files and a validate retry in the same
// session (one run), the budget cap mid-turn, resume on another machine, the roles' answers checked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { engine } from '../../../src/core/engine';
import { reply, type RecordedRequest } from '../messagesApiServer';
import { BROKEN_MIGRATION, PRODUCT_MIGRATION, PRODUCT_MODULE, PRODUCT_SPEC } from '../engine/fixtures';
import { journalOf } from '../engine/harness';
import { proofOfRun } from '../../../src/core/trace';
import type { EngineEvent } from '../../../src/core/events';
import { killNineThenResume, MIGRATION, MODULE, REQUEST } from './scenarios';
import { PRODUCT_PROOF, PRODUCT_PROOF_ANSWER, PRODUCT_PROOF_CONFIG, PRODUCT_PROOF_FILE } from '../engine/productProof';
import { sessionsOf, started, without, type EngineKit, type EngineRunner, type OursParts } from './engineRunner';

const SECRET = 's3cr3t-do-not-leak';

export function oursSuite<Req extends RecordedRequest>(
  r: EngineRunner<Req>,
  o: OursParts<Req>,
  kit: EngineKit<Req>,
): void {
  const { TIMEOUT, as, inWorld, nothingLeftRunning, kill } = kit;

  // The backend on the runner beside the database on our own agent, in one wave: the CLI's
  // worktree and our agent's writes in the checkout meet at the owns gate. Proof per criterion is
  // on, its agent on the runner too: the backend's owns (server/**) covers the proof tests'
  // folder, and its write to the frozen test is the owns gate's to revert like the rest.
  test(
    `an agent beside one of ours that writes outside its owns and over a frozen proof test: ${o.outsideOwns.refuses}, we revert the rest and resume the same ${r.continued} with the list; the proof agent on ${r.name} wrote the tests, red on the base, and they end green as written`,
    TIMEOUT,
    () =>
      inWorld(
        without('backend'),
        {
          backend: as(o.outsideOwns.script),
          proof: as((call) =>
            call.turn === 0 ? r.write(call, PRODUCT_PROOF_FILE, PRODUCT_PROOF) : o.answer(PRODUCT_PROOF_ANSWER),
          ),
        },
        (yaml) => PRODUCT_PROOF_CONFIG(r.on(['backend'], { roles: ['proof'] })(yaml)),
        async (w) => {
          const summary = await engine.runFeature(REQUEST, w.h.options());
          assert.equal(summary.status, 'completed', summary.error ?? summary.report);
          assert.equal(w.h.shop.read(MODULE), PRODUCT_MODULE);
          assert.equal(w.h.shop.read(MIGRATION), PRODUCT_MIGRATION, "our agent's layer came back too");
          for (const path of o.outsideOwns.refused)
            assert.ok(!existsSync(join(w.h.shop.dir, path)), `${path} never reached the checkout`);
          const calls = w.callsOf('backend');
          const events = journalOf(w.h.shop, summary.runId);
          assert.equal(started(events, 'backend')?.runner, r.runner);
          assert.equal(started(events, 'database')?.runner, 'agent');
          const wave = events.find((e) => e.type === 'wave.started' && (e.layers as string[]).includes('backend'));
          assert.deepEqual([...(wave?.layers as string[])].sort(), ['backend', 'database'], 'one wave');
          o.outsideOwns.check(calls, events);
          // Ours refused the rest and resumed the same session with it.
          const resumed = calls.find((c) => /CHANGES REFUSED/.test(r.lastPrompt(c.req)));
          assert.ok(resumed, `the refusal came back to ${r.name}`);
          for (const path of o.outsideOwns.reverted) assert.match(r.lastPrompt(resumed.req), path);
          assert.ok(JSON.stringify(resumed.req.body.messages).includes('## TASK'), 'in the same conversation');
          const sessions = sessionsOf(events, 'backend');
          assert.equal(sessions.size, 1, `one ${r.continued}`);
          assert.equal(
            events.find((e) => e.type === 'agent.completed' && e.agent === 'backend')?.session,
            [...sessions][0],
          );
          assert.ok(
            !events.some(
              (e) => e.type === 'file.written' && e.agent === 'backend' && !String(e.path).startsWith('server/'),
            ),
            'nothing outside its owns is journaled as written',
          );

          // The proof agent on the runner: its test file came back through the owns gate (its owns is
          // proof.tests) and its answer was submit_proof's, given the runner's way.
          assert.equal(started(events, 'proof')?.runner, r.runner);
          assert.equal(events.find((e) => e.type === 'agent.completed' && e.agent === 'proof')?.outcome, 'submitted');
          assert.ok(
            events.some((e) => e.type === 'file.written' && e.agent === 'proof' && e.path === PRODUCT_PROOF_FILE),
          );
          const reds = events.filter((e) => e.type === 'proof.test').map((e) => [e.criterion, e.red]);
          assert.deepEqual(
            reds,
            [
              ['REQ-2.1', 'untestable'],
              ['REQ-1.1', 'failed'],
              ['REQ-1.2', 'failed'],
            ],
            'red on the base, where /api/products is not served',
          );
          const frozen = events.find((e) => e.type === 'proof.frozen');
          assert.deepEqual(Object.keys(frozen?.hashes as object), [PRODUCT_PROOF_FILE]);
          assert.ok(Number(frozen?.seq) < Number(started(events, 'backend')?.seq), 'frozen before the layers started');
          // The backend's write over it was reverted and said; the checkout has the proof agent's test.
          assert.match(
            r.lastPrompt(resumed.req),
            /server\/test\/acceptance\/products\.test\.js: a proof test, frozen for this run/,
          );
          assert.equal(w.h.shop.read(PRODUCT_PROOF_FILE), PRODUCT_PROOF);
          assert.ok(
            !events.some((e) => e.type === 'file.written' && e.agent === 'backend' && e.path === PRODUCT_PROOF_FILE),
          );
          // GREEN once the backend's module is in, by the backend's validation (not the database's, which
          // validated first while the backend still worked), and again after the last wave, outside any layer's validation.
          const greens = events.filter((e) => e.type === 'proof.green').map((e) => [e.criterion, e.green, e.layer]);
          assert.deepEqual(greens, [
            ['REQ-1.1', 'passed', 'backend'],
            ['REQ-1.2', 'passed', 'backend'],
            ['REQ-1.1', 'passed', undefined],
            ['REQ-1.2', 'passed', undefined],
          ]);
          assert.deepEqual(summary.retries, { database: 0, backend: 0, frontend: 0 });
          const databasePassed = events.find((e) => e.type === 'validation.passed' && e.layer === 'database');
          assert.ok(
            Number(databasePassed?.seq) <
              Number(events.find((e) => e.type === 'agent.completed' && e.agent === 'backend')?.seq),
            'the database validated while the backend still worked',
          );
          const proofs = proofOfRun(events as unknown as EngineEvent[]);
          assert.deepEqual(Object.fromEntries([...proofs].map(([id, p]) => [id, p.status])), {
            'REQ-1.1': 'proven',
            'REQ-1.2': 'proven',
            'REQ-2.1': 'unproven',
          });
          await nothingLeftRunning(events);
        },
      ),
  );

  // The database on the runner reads .env, lists its folder and writes a broken migration; the
  // validate fails, and the same session fixes it.
  test(
    `a file the privacy rules deny is not in the agent's worktree, even tracked by git: reading .env finds nothing, and the secret never reaches the model nor the journal; a failing validate command resumes the same ${r.name} ${r.continued} with the error, and the retry passes`,
    TIMEOUT,
    () =>
      inWorld(
        without('database'),
        {
          database: as((call) =>
            call.attempt === 1
              ? o.dotEnv.script(call, BROKEN_MIGRATION)
              : call.turn === 0
                ? o.fix(call)
                : r.done('Fixed the migration.'),
          ),
        },
        r.on(['database']),
        async (w) => {
          assert.match(w.h.shop.git('ls-files'), /^\.env$/m, 'git tracks it');
          const summary = await engine.runFeature(REQUEST, w.h.options());
          assert.equal(summary.status, 'completed', summary.error ?? summary.report);
          const events = journalOf(w.h.shop, summary.runId);
          o.dotEnv.check(w.callsOf('database'), events);
          assert.doesNotMatch(w.sent(), new RegExp(SECRET));
          assert.doesNotMatch(JSON.stringify(events), new RegExp(SECRET), 'nor the journal');
          assert.equal(w.h.shop.read('.env'), `DATABASE_PASSWORD=${SECRET}\n`, 'the checkout keeps it');
          assert.equal(w.h.shop.read('db/.env.local'), `DB_PASSWORD=${SECRET}\n`);
          // The retry.
          assert.equal(summary.retries.database, 1);
          assert.equal(w.h.shop.read(MIGRATION), PRODUCT_MIGRATION);
          const retry = w.callsOf('database').find((c) => c.attempt === 2)!;
          assert.match(r.lastPrompt(retry.req), /003_create_product\.sql/, 'the validation error is the next message');
          assert.match(r.lastPrompt(retry.req), /check-migrations\.js db/, 'with the command');
          assert.ok(
            JSON.stringify(retry.req.body.messages).includes(BROKEN_MIGRATION.split('\n')[0]!),
            `the ${r.continued} kept its history`,
          );
          assert.equal(sessionsOf(events, 'database').size, 1, `the retry resumed the same ${r.continued}`);
          assert.equal(events.filter((e) => e.type === 'agent.started' && e.agent === 'database').length, 2);
          const completed = events.filter((e) => e.type === 'agent.completed' && e.agent === 'database');
          assert.equal(completed.length, 2);
          assert.equal(completed[0]!.session, completed[1]!.session);
        },
        { '.env': `DATABASE_PASSWORD=${SECRET}\n`, 'db/.env.local': `DB_PASSWORD=${SECRET}\n` },
      ),
  );

  // A command left running in the background, two replies of about 1 USD each, then a third whose
  // input alone passes the cap of 2.5 USD, streamed slowly: the cap ends the agent mid-stream.
  test(
    `the budget cap ends a ${r.name} agent mid-turn: its whole process group is gone, no further request, no new agent, the run stops on the budget`,
    TIMEOUT,
    () =>
      inWorld(
        without('database'),
        {
          database: as((call) => {
            if (call.turn === 0) return { ...r.shell('(sleep 600 &) ; echo started'), ...o.budget.expensive };
            if (call.turn === 1) return { ...r.shell('sleep 1; ls db'), ...o.budget.expensive };
            return {
              ...reply.slow(r.write(call, MIGRATION, PRODUCT_MIGRATION), { streamMs: 120_000 }),
              ...o.budget.expensive,
            };
          }),
        },
        o.budget.on(['database']),
        async (w) => {
          const summary = await engine.runFeature(REQUEST, w.h.options());
          assert.equal(summary.status, 'stopped', summary.report);
          assert.match(summary.error ?? summary.report ?? '', /budget/i);
          const requests = w.callsOf('database').length;
          assert.ok(requests >= 2 && requests <= 4, `${r.name} stopped soon after the cap (${requests} requests)`);
          await sleep(2500);
          assert.equal(w.callsOf('database').length, requests, 'nothing was sent after it was ended');
          const events = journalOf(w.h.shop, summary.runId);
          assert.ok(events.some((e) => e.type === 'budget.exceeded'));
          assert.equal(events.find((e) => e.type === 'agent.completed' && e.agent === 'database')?.outcome, 'budget');
          assert.ok(!started(events, 'frontend'), 'no new agent started');
          assert.ok(!existsSync(join(w.h.shop.dir, MIGRATION)), 'nothing half-applied');
          const usage = events.filter((e) => e.type === 'llm.usage' && e.agent === 'database');
          assert.ok(
            usage.length >= 2 && usage.every((e) => e.provider === r.runner && Number(e.costUsd) > 0.9),
            `each reply is journaled and priced: ${JSON.stringify(usage)}`,
          );
          // Its sandbox dies with it, asynchronously: the command it left running too.
          await nothingLeftRunning(events, 10_000);
        },
      ),
  );

  test(
    `kill -9 mid-agent, then resume on another machine (the ${r.continued} is not there): the layer starts a new ${r.name} ${r.continued} instead of asking for it`,
    TIMEOUT,
    () => killNineThenResume({ ...kill, elsewhere: true }),
  );

  test(
    `the spec and review on ${r.name}${o.review.refuses ? `, ${o.review.refuses}` : ''}: the spec's answer becomes the run's spec; a malformed review answer is sent back once, a second one stops the run with the agent's text`,
    TIMEOUT,
    () =>
      inWorld(
        without('spec', 'review'),
        {
          spec: (call) =>
            call.turn === 0
              ? r.shell('ls')
              : o.answer({ title: 'Product entity', slug: 'product-entity', markdown: PRODUCT_SPEC }),
          review: (call) =>
            call.turn === 0
              ? r.shell('git status --short; echo x > web/x.js')
              : reply.text(call.attempt === 1 && call.turn === 1 ? 'Looks good to me!' : '{"verdict":"maybe"}'),
        },
        r.on([], { roles: ['spec', 'review'] }),
        async (w) => {
          const summary = await engine.runFeature(REQUEST, w.h.options());
          assert.equal(summary.status, 'stopped', summary.report);
          const events = journalOf(w.h.shop, summary.runId);
          assert.equal(started(events, 'spec')?.runner, r.runner);
          assert.equal(w.callsOf('spec').length, 2);
          assert.match(
            w.h.shop.read(String(summary.specPath)),
            /Product entity/,
            "the spec's answer is the run's spec",
          );
          const error = summary.error ?? summary.report ?? '';
          assert.match(error, new RegExp(`${r.runner} ended without a valid submit_review answer`));
          assert.match(error, /verdict/);
          assert.match(error, /its text: .*\{"verdict":"maybe"\}/, "with the agent's text");
          const calls = w.callsOf('review');
          assert.ok(
            calls.some((c) => /ANSWER REFUSED/.test(r.lastPrompt(c.req))),
            'the malformed answer was sent back once',
          );
          assert.ok(!existsSync(join(w.h.shop.dir, 'web/x.js')), 'what it tried to write is not in the checkout');
          assert.equal(events.filter((e) => e.type === 'agent.started' && e.agent === 'review').length, 1);
          assert.equal(started(events, 'review')?.runner, r.runner);
          assert.ok(!events.some((e) => e.type === 'review.verdict'));
          o.review.check(calls, w);
        },
      ),
  );
}
