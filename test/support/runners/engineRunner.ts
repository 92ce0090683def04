// What the engine suite (engineSuite.ts, engineOurs.ts) knows of a CLI runner, and the pieces its
// cases share: a world with our agents beside the runner's, the journal's readers, what is left
// running, the parts of the kill -9 scenario.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RecordedRequest, Scripted, ScriptedReply } from '../messagesApiServer';
import { say, specAnswer, writesThenDone, type AgentCall } from '../engine/agentScript';
import { PRODUCT_MIGRATION, PRODUCT_MODULE, PRODUCT_SCREEN, PRODUCT_SPEC } from '../engine/fixtures';
import type { harness, Harness, journalOf } from '../engine/harness';
import type { AttackParts } from './attacks';
import { MIGRATION, MODULE, type KillResumeParts } from './scenarios';

export type Journal = ReturnType<typeof journalOf>;
export type Ours = Parameters<typeof harness>[0];
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
  /** What it calls one model exchange ("turn" unless said). */
  step?: string;
  /** The config lines that put `layers` (and `roles`) on the runner. */
  on(layers: string[], extra?: { roles?: string[] }): (yaml: string) => string;
  world(
    ours: Ours,
    theirs: Theirs,
    config: (yaml: string) => string,
    files?: Record<string, string>,
  ): Promise<EngineWorld<Req>>;
  /** How its scripted server says "run this", "write this file", "read this file" (where it has a file tool), "done". */
  shell(command: string): ScriptedReply;
  write(call: RunnerCall<Req>, path: string, content: string): ScriptedReply;
  read?(call: RunnerCall<Req>, path: string): ScriptedReply;
  done(summary?: string): ScriptedReply;
  lastPrompt(req: Req): string;
  /** What of the CLI still runs in a worktree after the run (its helpers, a command it started); none for a CLI we do not check. */
  leftIn?(worktree: string): unknown[];
  /** How many 50 ms waits for the CLI to reach its second request before the kill (a slow CLI needs more). */
  waits?: number;
  /** Parallel layers: the tool its write is journaled as, its turns for a write and an answer (2 unless said), its own checks. */
  parallel: { tool: string; turns?: number; check(w: EngineWorld<Req>, events: Journal): void };
  attacks: { tools: string } & Pick<AttackParts, 'denied' | 'env'>;
  timeout: number;
  /** The behaviours that are ours, played on this runner: on one runner only (engineSuite.ts says why). */
  ours?: OursParts<Req>;
}

/** How the runner plays the behaviours that are ours (engineOurs.ts). */
export interface OursParts<Req extends RecordedRequest> {
  /** Its final answer with our final tool's input (a role's: the spec's). */
  answer(value: unknown): ScriptedReply;
  /**
   * A layer (backend) writing outside its owns: what the CLI refuses itself, and writes our gate
   * reverts (one a protected path inside owns, one over the frozen proof test PRODUCT_PROOF_FILE,
   * with PRODUCT_PROOF_LOOSENED: engine/productProof.ts).
   */
  outsideOwns: {
    refuses: string;
    script(call: RunnerCall<Req>): Scripted;
    refused: string[];
    reverted: RegExp[];
    check(calls: RunnerCall<Req>[], events: Journal): void;
  };
  /** The database agent trying to read .env (and db/.env.local), then writing `migration` (a broken one, for the validate to fail). */
  dotEnv: {
    script(call: RunnerCall<Req>, migration: string): Scripted;
    check(calls: RunnerCall<Req>[], events: Journal): void;
  };
  /** The retry's fix of the broken migration (a write, or an edit of the file it wrote). */
  fix(call: RunnerCall<Req>): ScriptedReply;
  /** Usage that makes each response cost about 1 USD, and the config pricing it. */
  budget: { expensive: { usage: Record<string, number> }; on(layers: string[]): (yaml: string) => string };
  review: { refuses?: string; check(calls: RunnerCall<Req>[], w: EngineWorld<Req>): void };
}

export const started = (events: Journal, agent: string) =>
  events.find((e) => e.type === 'agent.started' && e.agent === agent);
export const sessionsOf = (events: Journal, agent: string) =>
  new Set(events.filter((e) => e.type === 'agent.session' && e.agent === agent).map((e) => e.session));
const SPEC = specAnswer('Product entity', 'product-entity', PRODUCT_SPEC);
/** Our agents for the layers and roles not on the runner. */
const OURS = {
  spec: SPEC,
  database: writesThenDone({ [MIGRATION]: PRODUCT_MIGRATION }),
  backend: writesThenDone({ [MODULE]: PRODUCT_MODULE }),
  frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }),
  review: () => say.approve(),
};
export const without = (...agents: (keyof typeof OURS)[]): Ours =>
  Object.fromEntries(Object.entries(OURS).filter(([agent]) => !agents.includes(agent as keyof typeof OURS))) as Ours;
export const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What a case of the suite needs of the runner beyond its description. */
export interface EngineKit<Req extends RecordedRequest> {
  TIMEOUT: { timeout: number };
  as<T>(script: (call: RunnerCall<Req>) => T): (call: AgentCall) => T;
  inWorld(
    ours: Ours,
    theirs: Theirs,
    config: (yaml: string) => string,
    body: (w: EngineWorld<Req>) => Promise<void>,
    files?: Record<string, string>,
  ): Promise<void>;
  /** Nothing of the CLI still runs in the run's agent worktrees (up to `waitMs` for what ends asynchronously). */
  nothingLeftRunning(events: Journal, waitMs?: number): Promise<void>;
  kill: KillResumeParts;
}

export function engineKit<Req extends RecordedRequest>(r: EngineRunner<Req>): EngineKit<Req> {
  const nothingLeftRunning = async (events: Journal, waitMs = 0): Promise<void> => {
    if (!r.leftIn) return;
    for (const worktree of new Set(events.filter((e) => e.type === 'agent.session').map((e) => String(e.worktree)))) {
      let left = r.leftIn(worktree);
      for (let waited = 0; waited < waitMs && left.length > 0; waited += 100) {
        await sleep(100);
        left = r.leftIn(worktree);
      }
      assert.deepEqual(left, [], `nothing of ${r.name} left running in ${worktree}`);
    }
  };
  return {
    TIMEOUT: { timeout: r.timeout },
    as: (script) => (call) => script(call as RunnerCall<Req>),
    async inWorld(ours, theirs, config, body, files) {
      const w = await r.world(ours, theirs, config, files);
      try {
        await body(w);
      } finally {
        await w.done();
      }
    },
    nothingLeftRunning,
    kill: {
      label: r.name,
      shell: (command) => r.shell(command),
      write: (call, path, content) => r.write(call as RunnerCall<Req>, path, content),
      done: () => r.done(),
      world: async (ours, database) => {
        const w = await r.world(ours, { database }, r.on(['database']));
        return { h: w.h, callsOf: (agent) => w.callsOf(agent), done: () => w.done() };
      },
      session: r.session,
      continued: r.continued,
      step: r.step ?? 'turn',
      ...(r.waits ? { waits: r.waits } : {}),
      ...(r.leftIn ? { after: (events: Journal) => nothingLeftRunning(events) } : {}),
    },
  };
}
