// One suite for a CLI runner end to end: the real CLI (from npm) does layers' and a review's work
// against its scripted model API while our own agents talk to the harness's server, under our
// gates: parallel layers, a write outside owns (what the CLI refuses natively, what our gate
// reverts, the same session resumed with the list), a worktree without .env, validation retries in
// the same session, the budget cap ending it mid-turn, kill -9 then resume (here and on another
// machine), a malformed review answer, issue 36's attacks. Each CLI's test file describes its
// runner and keeps the cases that are its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runFeature } from '../../../src/core/engine';
import { reply, type RecordedRequest, type Scripted, type ScriptedReply } from '../messagesApiServer';
import { say, specAnswer, writesThenDone, type AgentCall } from '../engine/agentScript';
import { BROKEN_MIGRATION, PRODUCT_MIGRATION, PRODUCT_MODULE, PRODUCT_SCREEN, PRODUCT_SPEC } from '../engine/fixtures';
import { journalOf, type harness, type Harness } from '../engine/harness';
import { killNineThenResume, MIGRATION, MODULE, REQUEST, type KillResumeParts } from './scenarios';
import { sandboxAttacks, type AttackParts } from './attacks';

export type Journal = ReturnType<typeof journalOf>;
type Ours = Parameters<typeof harness>[0];
type Theirs = Record<string, (call: AgentCall) => Scripted | Promise<Scripted>>;

/** A runner's call as its server recorded it. */
export type RunnerCall<Req extends RecordedRequest> = AgentCall & { req: Req };

/** Our agents on the harness's server, the runner's on its own. */
export interface EngineWorld<Req extends RecordedRequest> {
  h: Harness;
  callsOf(agent: string): RunnerCall<Req>[];
  /** Everything the CLI sent its model, as one text (no secret may be in it). */
  sent(): string;
  /** Requests its server could not place (none may come from the CLI), where the server keeps them. */
  strays?(): string[];
  done(): Promise<void>;
}

export interface EngineRunner<Req extends RecordedRequest> {
  /** Its name in the test titles ("Codex") and its runner id in the journal ("codex"). */
  name: string;
  runner: string;
  /** What the CLI calls its session ("thread", "session") and what its ids look like. */
  continued: string;
  session: RegExp;
  /** The config lines that put `layers` (and `roles`) on the runner. */
  on(layers: string[], extra?: { roles?: string[] }): (yaml: string) => string;
  world(ours: Ours, theirs: Theirs, config: (yaml: string) => string, files?: Record<string, string>): Promise<EngineWorld<Req>>;
  /** How its scripted server says "run this", "write this file", "read this file" (where it has a file tool), "done". */
  shell(command: string): ScriptedReply;
  write(call: RunnerCall<Req>, path: string, content: string): ScriptedReply;
  read?(call: RunnerCall<Req>, path: string): ScriptedReply;
  done(summary?: string): ScriptedReply;
  lastPrompt(req: Req): string;
  /** What of the CLI still runs in a worktree after the run (its helpers, a command it started); none for a CLI we do not check. */
  leftIn?(worktree: string): unknown[];
  parallel: { tool: string; check(w: EngineWorld<Req>, events: Journal): void };
  /** A layer (backend) writing outside its owns: refused by the CLI, and a write our gate reverts. */
  outsideOwns: { refuses: string; script(call: RunnerCall<Req>): Scripted; refused: string[]; reverted: RegExp; check(calls: RunnerCall<Req>[]): void };
  /** The database agent trying to read .env, then writing its migration. */
  dotEnv: { script(call: RunnerCall<Req>): Scripted; check(calls: RunnerCall<Req>[]): void };
  /** The retry's fix of the broken migration (a write, or an edit of the file it wrote). */
  fix(call: RunnerCall<Req>): ScriptedReply;
  /** Usage that makes each response cost about 1 USD, and the config pricing it. */
  budget: { expensive: { usage: Record<string, number> }; on(layers: string[]): (yaml: string) => string };
  review: { refuses?: string; check(calls: RunnerCall<Req>[], w: EngineWorld<Req>): void };
  attacks: { tools: string } & Pick<AttackParts, 'denied' | 'env'>;
  timeout: number;
}

const started = (events: Journal, agent: string) => events.find((e) => e.type === 'agent.started' && e.agent === agent);
const sessionsOf = (events: Journal, agent: string) => new Set(events.filter((e) => e.type === 'agent.session' && e.agent === agent).map((e) => e.session));
const SPEC = specAnswer('Product entity', 'product-entity', PRODUCT_SPEC);
/** Our agents for the layers and roles not on the runner. */
const OURS = { spec: SPEC, database: writesThenDone({ [MIGRATION]: PRODUCT_MIGRATION }), backend: writesThenDone({ [MODULE]: PRODUCT_MODULE }), frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }), review: () => say.approve() };
const without = (...agents: (keyof typeof OURS)[]): Ours => Object.fromEntries(Object.entries(OURS).filter(([agent]) => !agents.includes(agent as keyof typeof OURS))) as Ours;
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Registers the behaviours every CLI runner shares, played on `runner`. */
export function engineSuite<Req extends RecordedRequest>(r: EngineRunner<Req>): void {
  const TIMEOUT = { timeout: r.timeout };
  const writes = (path: string, content: string) => (call: AgentCall) => (call.turn === 0 ? r.write(call as RunnerCall<Req>, path, content) : r.done());
  const as = <T>(script: (call: RunnerCall<Req>) => T) => (call: AgentCall) => script(call as RunnerCall<Req>);
  const inWorld = async (ours: Ours, theirs: Theirs, config: (yaml: string) => string, body: (w: EngineWorld<Req>) => Promise<void>, files?: Record<string, string>): Promise<void> => {
    const w = await r.world(ours, theirs, config, files);
    try {
      await body(w);
    } finally {
      await w.done();
    }
  };
  const nothingLeftRunning = (events: Journal): void => {
    if (!r.leftIn) return;
    for (const worktree of new Set(events.filter((e) => e.type === 'agent.session').map((e) => String(e.worktree)))) {
      assert.deepEqual(r.leftIn(worktree), [], `nothing of ${r.name} left running in ${worktree}`);
    }
  };

  test(`database and backend run on ${r.name} in parallel, frontend on our own agent: the files come back, the journal says who did what`, TIMEOUT, () =>
    inWorld(without('database', 'backend'), { database: writes(MIGRATION, PRODUCT_MIGRATION), backend: writes(MODULE, PRODUCT_MODULE) }, r.on(['database', 'backend']), async (w) => {
      const summary = await runFeature(REQUEST, w.h.options());
      assert.equal(summary.status, 'completed', summary.error ?? summary.report);
      assert.equal(w.h.shop.read(MIGRATION), PRODUCT_MIGRATION);
      assert.equal(w.h.shop.read(MODULE), PRODUCT_MODULE);
      assert.equal(w.h.shop.read('web/src/products.js'), PRODUCT_SCREEN);
      const events = journalOf(w.h.shop, summary.runId);
      assert.equal(started(events, 'database')?.runner, r.runner);
      assert.equal(started(events, 'backend')?.runner, r.runner);
      assert.equal(started(events, 'frontend')?.runner, 'agent');
      const wave = events.find((e) => e.type === 'wave.started' && (e.layers as string[]).includes('database'));
      assert.deepEqual([...(wave?.layers as string[])].sort(), ['backend', 'database'], 'one wave');
      for (const layer of ['database', 'backend']) {
        const session = events.find((e) => e.type === 'agent.session' && e.agent === layer);
        assert.match(String(session?.session), r.session, `${layer}'s ${r.name} ${r.continued} is journaled`);
        const done = events.find((e) => e.type === 'agent.completed' && e.agent === layer);
        assert.equal(done?.outcome, 'submitted');
        assert.equal(done?.turns, 2);
        assert.ok(Number(done?.costUsd) > 0, 'its tokens are priced from pricing:');
        assert.ok(events.some((e) => e.type === 'tool.called' && e.agent === layer && e.tool === r.parallel.tool), 'its write is journaled');
        assert.ok(events.some((e) => e.type === 'file.written' && e.agent === layer));
      }
      // It worked in its own worktree, outside the checkout.
      assert.doesNotMatch(JSON.stringify(w.callsOf('database')[0]!.req.body.messages), new RegExp(escape(w.h.shop.dir)));
      if (w.strays) assert.deepEqual(w.strays(), []);
      r.parallel.check(w, events);
      nothingLeftRunning(events);
    }),
  );

  test(`an agent that writes outside its owns: ${r.outsideOwns.refuses}, we revert the rest and resume the same ${r.continued} with the list`, TIMEOUT, () =>
    inWorld(without('backend'), { backend: as(r.outsideOwns.script) }, r.on(['backend']), async (w) => {
      const summary = await runFeature(REQUEST, w.h.options());
      assert.equal(summary.status, 'completed', summary.error ?? summary.report);
      assert.equal(w.h.shop.read(MODULE), PRODUCT_MODULE);
      for (const path of r.outsideOwns.refused) assert.ok(!existsSync(join(w.h.shop.dir, path)), `${path} never reached the checkout`);
      const calls = w.callsOf('backend');
      r.outsideOwns.check(calls);
      // Ours refused the rest and resumed the same session with it.
      const resumed = calls.find((c) => /CHANGES REFUSED/.test(r.lastPrompt(c.req)));
      assert.ok(resumed, `the refusal came back to ${r.name}`);
      assert.match(r.lastPrompt(resumed.req), r.outsideOwns.reverted);
      assert.ok(JSON.stringify(resumed.req.body.messages).includes('## TASK'), 'in the same conversation');
      const events = journalOf(w.h.shop, summary.runId);
      assert.equal(sessionsOf(events, 'backend').size, 1, `one ${r.continued}`);
      nothingLeftRunning(events);
    }),
  );

  test('an agent that tries to read .env finds nothing: the file is not in its worktree, and the secret never reaches the model', TIMEOUT, () =>
    inWorld(
      without('database'),
      { database: as(r.dotEnv.script) },
      r.on(['database']),
      async (w) => {
        const summary = await runFeature(REQUEST, w.h.options());
        assert.equal(summary.status, 'completed', summary.error ?? summary.report);
        r.dotEnv.check(w.callsOf('database'));
        assert.doesNotMatch(w.sent(), /s3cr3t-do-not-leak/);
        assert.equal(w.h.shop.read('.env'), 'DATABASE_PASSWORD=s3cr3t-do-not-leak\n', 'the checkout keeps it');
      },
      { '.env': 'DATABASE_PASSWORD=s3cr3t-do-not-leak\n' },
    ),
  );

  test(`a failing validate command resumes the same ${r.name} ${r.continued} with the error, and the retry passes`, TIMEOUT, () =>
    inWorld(
      without('database'),
      {
        database: as((call) => {
          if (call.attempt === 1) return call.turn === 0 ? r.write(call, MIGRATION, BROKEN_MIGRATION) : r.done();
          return call.turn === 0 ? r.fix(call) : r.done('Fixed the migration.');
        }),
      },
      r.on(['database']),
      async (w) => {
        const summary = await runFeature(REQUEST, w.h.options());
        assert.equal(summary.status, 'completed', summary.error ?? summary.report);
        assert.equal(summary.retries.database, 1);
        assert.equal(w.h.shop.read(MIGRATION), PRODUCT_MIGRATION);
        const retry = w.callsOf('database').find((c) => c.attempt === 2)!;
        assert.match(r.lastPrompt(retry.req), /003_create_product\.sql/, 'the validation error is the next message');
        assert.ok(JSON.stringify(retry.req.body.messages).includes(BROKEN_MIGRATION.split('\n')[0]!), `the ${r.continued} kept its history`);
        assert.equal(sessionsOf(journalOf(w.h.shop, summary.runId), 'database').size, 1, `the retry resumed the same ${r.continued}`);
      },
    ),
  );

  test(`the budget cap ends a ${r.name} agent mid-turn: no further request, no new agent, the run stops on the budget`, TIMEOUT, () =>
    inWorld(without('database'), { database: () => ({ ...r.shell('sleep 1; ls db'), ...r.budget.expensive }) }, r.budget.on(['database']), async (w) => {
      const summary = await runFeature(REQUEST, w.h.options());
      assert.equal(summary.status, 'stopped', summary.report);
      assert.match(summary.error ?? summary.report ?? '', /budget/i);
      const requests = w.callsOf('database').length;
      assert.ok(requests >= 2 && requests <= 4, `${r.name} stopped soon after the cap (${requests} requests)`);
      await sleep(2500);
      assert.equal(w.callsOf('database').length, requests, 'nothing was sent after it was ended');
      const events = journalOf(w.h.shop, summary.runId);
      assert.ok(events.some((e) => e.type === 'budget.exceeded'));
      assert.ok(!started(events, 'frontend'), 'no new agent started');
      nothingLeftRunning(events);
    }),
  );

  const parts = (): Pick<KillResumeParts, 'label' | 'shell' | 'write' | 'done' | 'world'> => ({
    label: r.name,
    shell: (command) => r.shell(command),
    write: (call, path, content) => r.write(call as RunnerCall<Req>, path, content),
    done: () => r.done(),
    world: async (ours, database) => {
      const w = await r.world(ours, { database }, r.on(['database']));
      return { h: w.h, callsOf: (agent) => w.callsOf(agent), done: () => w.done() };
    },
  });
  const kill: KillResumeParts = { ...parts(), session: r.session, continued: r.continued, step: 'turn', ...(r.leftIn ? { after: nothingLeftRunning } : {}) };

  test(`kill -9 mid-agent, then resume: the ${r.name} ${r.continued} journaled before the crash continues with its history`, TIMEOUT, () => killNineThenResume(kill));

  test(`kill -9 mid-agent, then resume on another machine (the ${r.continued} is not there): the layer starts a new ${r.name} ${r.continued} instead of asking for it`, TIMEOUT, () =>
    killNineThenResume({ ...kill, elsewhere: true }));

  test(`review on ${r.name}, read-only${r.review.refuses ? `: ${r.review.refuses},` : ':'} a malformed answer is sent back once, a second one stops the run with the agent's text`, TIMEOUT, () =>
    inWorld(
      without('review'),
      { review: (call) => (call.turn === 0 ? r.shell('git status --short; echo x > web/x.js') : reply.text(call.attempt === 1 && call.turn === 1 ? 'Looks good to me!' : '{"verdict":"maybe"}')) },
      r.on([], { roles: ['review'] }),
      async (w) => {
        const summary = await runFeature(REQUEST, w.h.options());
        assert.equal(summary.status, 'stopped', summary.report);
        assert.match(summary.error ?? summary.report ?? '', /review/);
        assert.match(summary.error ?? summary.report ?? '', /verdict/);
        const calls = w.callsOf('review');
        assert.ok(calls.some((c) => /ANSWER REFUSED/.test(r.lastPrompt(c.req))), 'the malformed answer was sent back once');
        assert.ok(!existsSync(join(w.h.shop.dir, 'web/x.js')), 'what it tried to write is not in the checkout');
        r.review.check(calls, w);
      },
    ),
  );

  test(`issue 36's attacks through ${r.name}'s own ${r.attacks.tools}, in the sandbox: the checkout, the user's home, the orchestrator's environment, git, loopback and a setsid process are all out of reach`, TIMEOUT, () =>
    sandboxAttacks({
      ...parts(),
      ...(r.read ? { read: (call: AgentCall, path: string) => r.read!(call as RunnerCall<Req>, path) } : {}),
      ...(r.attacks.denied ? { denied: r.attacks.denied } : {}),
      ...(r.attacks.env ? { env: r.attacks.env } : {}),
    }),
  );
}
