// Scenarios every CLI runner's tests play the same way, written once: each runner's test file keeps
// its test names and says only what differs (how its scripted server says "shell", "write" and
// "done", which server's calls to read, what its session ids look like).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { engine } from '../../../src/core/engine';
import { reply, type Scripted, type ScriptedReply } from '../messagesApiServer';
import { say, specAnswer, writesThenDone, type AgentCall } from '../engine/agentScript';
import { PRODUCT_MIGRATION, PRODUCT_MODULE, PRODUCT_SCREEN, PRODUCT_SPEC } from '../engine/fixtures';
import { journalOf, type harness, type Harness } from '../engine/harness';
import { buildCli, CLI } from '../cli/cliKit';
import { processesIn } from './claudeCode';
import { withEnvironment } from './runnerWorld';

export const REQUEST = 'Add a Product entity with name and price';
export const MIGRATION = 'db/migrations/003_create_product.sql';
export const MODULE = 'server/entities/product.js';
/** What the killed agent wrote before the crash (inside the database layer's owns). */
const PROGRESS = 'db/progress.txt';

export type Journal = ReturnType<typeof journalOf>;

/** A world with the database layer on the runner under test, the rest on our own agents. */
export interface RunnerWorld {
  h: Harness;
  /** The requests the runner's CLI sent for `agent`, in order. */
  callsOf(agent: string): { req: { body: { messages: unknown } } }[];
  done(): Promise<void>;
}

export interface KillResumeParts {
  /** The CLI's name in the messages ("Codex reached its second request"). */
  label: string;
  /** How the runner's scripted server says "run this command", "write this file" and "done". */
  shell(command: string): ScriptedReply;
  write(call: AgentCall, path: string, content: string): ScriptedReply;
  done(): Scripted;
  /** Starts the world: `ours` for our agents, `database` for the runner's database agent. */
  world(ours: Parameters<typeof harness>[0], database: (call: AgentCall) => Scripted): Promise<RunnerWorld>;
  /** What the runner's session ids look like. */
  session: RegExp;
  /** What the runner calls its session ("thread", "session") and one model exchange ("turn", "step"). */
  continued: string;
  step: string;
  /** How many 50 ms waits for the CLI to reach its second request (a slow CLI needs more). */
  waits?: number;
  /** Checks of the runner's own on the journal after the resume. */
  after?(events: Journal): void | Promise<void>;
  /**
   * Resumed on another machine (a pool worker taking over a dead one's run): the agent's worktree,
   * its repository and its private home, where the CLI kept the session, are not there.
   */
  elsewhere?: true;
}

/** The programs (their /proc comm names) of the processes working in `folder`. */
function programsIn(folder: string): string[] {
  return processesIn(folder).flatMap((pid) => {
    try {
      return [readFileSync(`/proc/${pid}/comm`, 'utf8').trim()];
    } catch {
      return []; // gone meanwhile
    }
  });
}

/** What still works in `folder` once it has had up to 10 s to go (its sandbox dies with its parent, asynchronously). */
async function leftIn(folder: string): Promise<string[]> {
  let left = programsIn(folder);
  for (let i = 0; i < 100 && left.length > 0; i++) {
    await sleep(100);
    left = programsIn(folder);
  }
  return left;
}

/** The killed layer: the database agent on the runner, a change in its worktree, then its next request held until the kill. */
export interface HeldDatabase {
  script(call: AgentCall): Scripted;
  held(): boolean;
}

export function heldDatabase(parts: Pick<KillResumeParts, 'shell' | 'write' | 'done'>): HeldDatabase {
  let held = false;
  return {
    held: () => held,
    script(call) {
      // A change in its worktree before the crash: it must not reach the checkout until the layer is done.
      if (call.turn === 0) return parts.shell(`ls db/migrations; echo half-done > ${PROGRESS}`);
      if (call.turn === 1 && !held) {
        held = true;
        // Held until the kill (the reply stops waiting once its client is gone).
        return reply.slow(parts.write(call, MIGRATION, PRODUCT_MIGRATION), { beforeMs: 600_000 });
      }
      if (call.turn === 1) return parts.write(call, MIGRATION, PRODUCT_MIGRATION);
      return parts.done();
    },
  };
}

/** What a run crashed and resumed needs beyond the scenario's own. */
export interface CrashOptions {
  /** The orchestrator's environment beyond the test process's. Its HOME is the resumed run's too: the agents' worktrees are under it. */
  env?: Record<string, string>;
  /** Told the orchestrator's pid once it is started. */
  started?(pid: number): void;
  /** What the journal must hold before the kill, besides the database agent held (another layer done). */
  ready?(events: Journal): boolean;
}

/**
 * kill -9 of the orchestrator while the database agent waits on its second request, then resume:
 * what the orchestrator started (bubblewrap, the CLI inside it, the socat relay to its model
 * endpoint) does not outlive it, nothing of the agent's half-done layer reaches the checkout, the
 * session journaled before the crash goes on with the turn it had finished, and the run completes.
 * The world is the caller's, with `database` as its database agent.
 */
export async function crashThenResume(
  w: RunnerWorld,
  database: HeldDatabase,
  parts: KillResumeParts,
  options: CrashOptions = {},
): Promise<{ runId: string; summary: Awaited<ReturnType<typeof engine.resumeRun>>; events: Journal }> {
  buildCli();
  // Killed as a terminal's job would be: the orchestrator's process group. The CLI has a group of
  // its own, so only the sandbox's tie to its parent (bubblewrap --die-with-parent) ends it.
  const child = spawn(process.execPath, [CLI, 'feature', REQUEST, '--approve', '--yes', '--json'], {
    cwd: w.h.shop.dir,
    env: {
      ...process.env,
      ANTHROPIC_BASE_URL: w.h.api.url,
      ANTHROPIC_API_KEY: 'test-key-0123456789abcdef',
      NO_COLOR: '1',
      ...options.env,
    },
    detached: true,
    stdio: 'ignore',
  });
  options.started?.(child.pid!);
  let runId = '';
  let worktree = '';
  try {
    for (let i = 0; i < (parts.waits ?? 1200) && !database.held(); i++) await sleep(50);
    assert.ok(database.held(), `${parts.label} reached its second request`);
    const runsDir = join(w.h.shop.dir, '.claude', 'runs');
    runId = readdirSync(runsDir).find((name) => !name.startsWith('.'))!;
    if (options.ready) {
      // A hang guard, not a speed test: another layer's whole session on a loaded machine.
      for (let waited = 0; waited < 300_000 && !options.ready(journalOf(w.h.shop, runId)); waited += 250)
        await sleep(250);
      assert.ok(options.ready(journalOf(w.h.shop, runId)), `${parts.label}: what the kill waits for was journaled`);
    }
    worktree = String(
      journalOf(w.h.shop, runId).find((e) => e.type === 'agent.session' && e.agent === 'database')?.worktree,
    );
    // The agent as it works: the CLI inside bubblewrap, with the relay to its model endpoint.
    const working = programsIn(worktree);
    assert.ok(
      working.includes('bwrap') && working.includes('socat'),
      `${parts.label} works in the sandbox with its relay: ${working.join(', ')}`,
    );
  } finally {
    // Killed here whatever happened above: a failed check leaves no orchestrator running.
    const exited =
      child.exitCode !== null || child.signalCode !== null
        ? Promise.resolve()
        : new Promise((resolve) => child.once('exit', resolve));
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // its group is gone already
    }
    await exited;
  }
  assert.deepEqual(
    await leftIn(worktree),
    [],
    `nothing the killed orchestrator started outlives it (${parts.label}, bubblewrap, socat)`,
  );
  const before = journalOf(w.h.shop, runId);
  const journaled = before.find((e) => e.type === 'agent.session' && e.agent === 'database');
  const session = journaled?.session;
  assert.match(String(session), parts.session);
  assert.ok(
    !before.some((e) => e.type === 'agent.completed' && e.agent === 'database'),
    'the layer was killed mid-way',
  );
  assert.ok(
    !existsSync(join(w.h.shop.dir, MIGRATION)) && !existsSync(join(w.h.shop.dir, PROGRESS)),
    'nothing of the half-done layer reached the checkout',
  );
  if (parts.elsewhere)
    for (const suffix of ['', '.git', '.home', '.tmp'])
      rmSync(`${String(journaled!.worktree)}${suffix}`, { recursive: true, force: true });

  const home = options.env?.HOME ? withEnvironment({ HOME: options.env.HOME }) : undefined;
  let summary: Awaited<ReturnType<typeof engine.resumeRun>>;
  try {
    summary = await engine.resumeRun(runId, w.h.options());
  } finally {
    home?.restore();
  }
  assert.equal(summary.status, 'completed', summary.error ?? summary.report);
  assert.equal(w.h.shop.read(MIGRATION), PRODUCT_MIGRATION);
  assert.equal(w.h.shop.read(PROGRESS), 'half-done\n', "the layer's whole work came back, once");
  const after = journalOf(w.h.shop, runId);
  const sessions = [
    ...new Set(after.filter((e) => e.type === 'agent.session' && e.agent === 'database').map((e) => e.session)),
  ];
  if (parts.elsewhere) {
    // Its CLI is not asked for the session: the layer starts a new one, and the journal says why.
    assert.equal(sessions.length, 2, `a new ${parts.continued}: ${JSON.stringify(sessions)}`);
    assert.equal(sessions[0], session);
    assert.match(String(sessions[1]), parts.session);
    assert.ok(
      after.some(
        (e) =>
          e.type === 'log' &&
          e.level === 'warn' &&
          String(e.message).includes(`session ${String(session)} is not on this machine`),
      ),
      'the journal says the session was elsewhere',
    );
    assert.equal(
      after.filter((e) => e.type === 'agent.completed' && e.agent === 'database').at(-1)?.session,
      sessions[1],
    );
  } else {
    assert.deepEqual(sessions, [session], `the resumed agent continued its own ${parts.continued}`);
    const resumedCall = w.callsOf('database').at(-2)!;
    assert.ok(
      JSON.stringify(resumedCall.req.body.messages).includes('ls db/migrations'),
      `with the ${parts.step} finished before the crash`,
    );
  }
  for (const folder of new Set(after.filter((e) => e.type === 'agent.session').map((e) => String(e.worktree))))
    assert.deepEqual(await leftIn(folder), [], `nothing left running in ${folder}`);
  await parts.after?.(after);
  return { runId, summary, events: after };
}

/** The scenario alone: the database layer on the runner, the rest on our own agents. */
export async function killNineThenResume(parts: KillResumeParts): Promise<void> {
  const database = heldDatabase(parts);
  const w = await parts.world(
    {
      spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC),
      backend: writesThenDone({ [MODULE]: PRODUCT_MODULE }),
      frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }),
      review: () => say.approve(),
    },
    database.script,
  );
  try {
    await crashThenResume(w, database, parts);
  } finally {
    await w.done();
  }
}
