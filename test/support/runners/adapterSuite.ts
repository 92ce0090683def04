// One suite for every CLI adapter on its own: a turn of the real CLI (from npm) against its
// scripted model API and its resume, a read-only role, the usage the budget cap reads as it
// streams, the turn limit and the one-line failures. Each CLI's test file describes its runner (command, model,
// how it is pointed at our server, what it refuses natively and what our gate reverts, its
// metering, its sessions) and keeps only the cases that are really its own. These are the CLI's
// own parts of the engine suite's behaviours (engineSuite.ts), checked on a turn of the CLI alone,
// which costs a fraction of a whole feature's run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ProcessGroups } from '../../../src/core/runners/cliAgent/processGroup';
import type {
  CliAdapter,
  CliStreamEvent,
  CliTurnRequest,
  CliTurnResult,
} from '../../../src/core/runners/cliAgent/cliTypes';
import { reply, type RecordedRequest, type Script, type Scripted, type ScriptedReply } from '../messagesApiServer';

/** The scripted model API a CLI talks to (Messages, Responses, Gemini or Chat Completions). */
export interface ModelApi<Req extends RecordedRequest = RecordedRequest> {
  url: string;
  requests: Req[];
  close(): Promise<void>;
}

export interface AdapterWorld<Api extends ModelApi> {
  api: Api;
  dir: string;
  repo: string;
  /** The agent's private home (HOME): where the CLI keeps its state. */
  home: string;
  events: CliStreamEvent[];
  groups: ProcessGroups;
  request(extra?: Partial<CliTurnRequest>): CliTurnRequest;
  done(): Promise<void>;
}

type Usage = Extract<CliStreamEvent, { kind: 'usage' }>;

/** What the suite needs to know of a CLI runner to play the shared behaviours on it. */
export interface AdapterRunner<Api extends ModelApi> {
  /** Its name in the test titles ("Codex"). */
  name: string;
  adapter: CliAdapter;
  command: string;
  model: string;
  /** Starts its scripted model API, expecting our test key. */
  serve(script: Script): Promise<Api>;
  /** The variables that point the CLI at `api` with our key (besides PATH, HOME, LANG, TMPDIR). */
  env(api: Api): Record<string, string>;
  /** Its private TMPDIR in the world (as the runner gives Codex), rather than the system's. */
  privateTmp?: true;
  /** Files put in the repository besides db/schema.sql and server/app.js (a secret, the project's own config). */
  files?: Record<string, string>;
  prompt(repo: string): string;
  system: string;
  deny?: string[];
  finalSchema: Record<string, unknown>;
  /** What its session ids look like. */
  session: RegExp;
  /** A node:test timeout for each case, for a CLI slow to start. */
  timeout?: number;
  /** The last text the CLI sent as the user's (our prompt, or what a resume said). */
  lastPrompt(req: Api['requests'][number]): string;
  /** What the model says to have it run a command (the turn limit's endless loop). */
  shell(command: string): ScriptedReply;
  /** The first turn: writes inside owns, what the CLI refuses natively, what our gate refuses. */
  turn: {
    /** What its native controls or our callback refuse, in the test title. */
    refuses: string;
    script: Script;
    final: unknown;
    turns: number;
    /** Files written inside owns (path: content) and files whose write was refused. */
    wrote: Record<string, string>;
    refused: string[];
    /** Its tool calls as `tool:ok|error`, in order. */
    tools: string[];
    /** Its metering beyond the model's name: which counts each usage carries. */
    metered(usage: Usage): boolean;
    before?(w: AdapterWorld<Api>): void;
    /** The CLI's own checks: what it told the model, what it sent. */
    check(w: AdapterWorld<Api>, result: CliTurnResult): void;
  };
  /** A read-only role (owns: []): what stops it writing, its answer read. */
  readOnly?: { title: string; script: Script; request?: Partial<CliTurnRequest>; check(w: AdapterWorld<Api>): void };
  /** A model that keeps asking for tools, answered that slowly (ms) if the CLI reads ahead. */
  loopPace?: number;
  /** A wrong key: the script the server answers and the variables that carry it. */
  wrongKey: { script: () => Scripted; env: Record<string, string>; detail?: RegExp; advice?: RegExp };
  /** The runner ends the CLI's process groups between turns (Copilot's SDK server outlives a turn). */
  endBetweenTurns?: true;
  /** What of the CLI still runs in the repository once its group has ended (its helpers, a command it started); none for a CLI we do not check. */
  leftIn?(repo: string): unknown[];
}

/** A world for `runner`: its scripted server, a repository with a database layer, its home and the turn request. */
export function adapterWorld<Api extends ModelApi>(
  runner: AdapterRunner<Api>,
): (script: Script) => Promise<AdapterWorld<Api>> {
  return async (script) => {
    const api = await runner.serve(script);
    const dir = mkdtempSync(join(tmpdir(), `orch-${runner.adapter.runner}-`));
    const repo = join(dir, 'agent');
    mkdirSync(join(repo, 'db'), { recursive: true });
    mkdirSync(join(repo, 'server'), { recursive: true });
    writeFileSync(join(repo, 'db', 'schema.sql'), 'create table customers (id int);\n');
    writeFileSync(join(repo, 'server', 'app.js'), 'module.exports = {};\n');
    for (const [path, content] of Object.entries(runner.files ?? {})) writeFileSync(join(repo, path), content);
    execFileSync('git', ['init', '-q', '.'], { cwd: repo });
    const home = join(dir, 'home');
    mkdirSync(home);
    const tmp = runner.privateTmp ? join(dir, 'tmp') : tmpdir();
    if (runner.privateTmp) mkdirSync(tmp);
    const events: CliStreamEvent[] = [];
    const groups = new ProcessGroups();
    return {
      api,
      dir,
      repo,
      home,
      events,
      groups,
      request: (extra = {}) => ({
        command: runner.command,
        cwd: repo,
        prompt: runner.prompt(repo),
        system: runner.system,
        model: runner.model,
        maxTurns: 10,
        owns: ['db/**'],
        deny: runner.deny ?? ['.env*'],
        outside: [],
        finalSchema: runner.finalSchema,
        env: {
          PATH: `${dirname(process.execPath)}:/usr/bin:/bin`,
          HOME: home,
          LANG: 'C.UTF-8',
          TMPDIR: tmp,
          ...runner.env(api),
        },
        spawn: groups.spawn,
        signal: new AbortController().signal,
        onEvent: (e) => events.push(e),
        ...extra,
      }),
      async done() {
        groups.endAll();
        await api.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  };
}

/** Registers the behaviours every CLI adapter shares, played on `runner`. */
export function adapterSuite<Api extends ModelApi>(runner: AdapterRunner<Api>): void {
  const { name, adapter } = runner;
  const world = adapterWorld(runner);
  const options = runner.timeout ? { timeout: runner.timeout } : {};
  const inWorld = async (script: Script, body: (w: AdapterWorld<Api>) => Promise<void>): Promise<void> => {
    const w = await world(script);
    try {
      await body(w);
    } finally {
      await w.done();
    }
  };

  // The turn's session is then resumed as after a failed validation (the retry's path), and
  // answered in prose: a resume case, or a prose answer's, of its own would start the CLI once
  // more (seconds each).
  test(
    `a turn: ${name} writes inside owns, ${runner.turn.refuses}, every model response is metered, the answer is our JSON; resumed, the same session continues with its history, only the new model responses are metered, and an answer that is not JSON comes back as text`,
    options,
    () => {
      let resumed = false;
      const script: Script = (req, index) =>
        resumed ? reply.text('I did it all, after the error.') : runner.turn.script(req, index);
      return inWorld(script, async (w) => {
        const { turn } = runner;
        turn.before?.(w);
        const result = await adapter.turn(w.request());
        assert.equal(result.failure, undefined, JSON.stringify(result.failure));
        assert.deepEqual(result.final, turn.final);
        assert.equal(result.turns, turn.turns);
        assert.match(result.session ?? '', runner.session);
        for (const [path, content] of Object.entries(turn.wrote))
          assert.equal(readFileSync(join(w.repo, path), 'utf8'), content);
        for (const path of turn.refused)
          assert.ok(!existsSync(join(w.repo, path)), `the write of ${path} never happened`);
        // The stream in our terms: the session first, one usage per model response, each tool call.
        assert.equal(w.events[0]?.kind, 'session');
        const usage = w.events.filter((e): e is Usage => e.kind === 'usage');
        assert.equal(usage.length, turn.turns, 'one usage per model response');
        assert.ok(
          usage.every((e) => e.model === runner.model && turn.metered(e)),
          JSON.stringify(usage),
        );
        assert.deepEqual(
          w.events.flatMap((e) => (e.kind === 'tool' ? [`${e.tool}:${e.isError ? 'error' : 'ok'}`] : [])),
          turn.tools,
        );
        turn.check(w, result);

        // Resumed.
        if (runner.endBetweenTurns) w.groups.endAll();
        resumed = true;
        const before = { events: w.events.length, requests: w.api.requests.length };
        const second = await adapter.turn(
          w.request({ session: result.session!, prompt: 'Validation failed: `npm test` exited 1. Fix it.' }),
        );
        assert.equal(second.failure, undefined, JSON.stringify(second.failure));
        assert.equal(second.session, result.session);
        assert.equal(second.turns, 1);
        assert.equal(
          second.final,
          'I did it all, after the error.',
          'the machinery checks it against the schema and sends it back',
        );
        assert.equal(w.events.slice(before.events).filter((e) => e.kind === 'usage').length, 1);
        const resumedRequest = w.api.requests[before.requests]!;
        assert.match(runner.lastPrompt(resumedRequest), /Validation failed: `npm test` exited 1/);
        assert.ok(
          JSON.stringify(resumedRequest.body.messages).includes('Add the products table.'),
          'the first task is in the resumed history',
        );
      });
    },
  );

  if (runner.readOnly) {
    const readOnly = runner.readOnly;
    test(`a read-only role: ${readOnly.title}`, options, () =>
      inWorld(readOnly.script, async (w) => {
        const result = await adapter.turn(w.request({ owns: [], ...readOnly.request }));
        assert.deepEqual(result.final, { verdict: 'approved', issues: [] });
        readOnly.check(w);
      }),
    );
  }

  // The budget cap's part that is the CLI's own: each reply's usage reaches us as the CLI streams
  // it, before the next request leaves, so the machinery can end the turn there (its process
  // group killed, the turn's signal aborted: sessionTurn.ts) and nothing more is sent.
  test(
    `${name}'s usage streams reply by reply: ended at its second reply's, as the budget cap ends it, it sends nothing more and leaves nothing running`,
    options,
    () =>
      inWorld(
        () => ({ ...runner.shell('sleep 1; ls'), ...(runner.loopPace ? { beforeMs: runner.loopPace } : {}) }),
        async (w) => {
          const halt = new AbortController();
          let replies = 0;
          const onEvent = (event: CliStreamEvent) => {
            w.events.push(event);
            if (event.kind === 'usage' && event.ends && ++replies === 2) {
              w.groups.endAll();
              halt.abort();
            }
          };
          await adapter.turn(w.request({ signal: halt.signal, onEvent }));
          assert.ok(halt.signal.aborted, `${name} streamed two replies' usage`);
          // What it started ends asynchronously (Copilot's SDK server, a command it ran): a request
          // reaching the server meanwhile left before the end. Counted once nothing of it runs.
          for (let waited = 0; waited < 10_000; waited += 100) {
            await sleep(100);
            if (!runner.leftIn || runner.leftIn(w.repo).length === 0) break;
          }
          const sent = w.api.requests.length;
          assert.ok(sent >= 2 && sent <= 3, `${name} stopped soon after (${sent} requests)`);
          await sleep(2500);
          assert.equal(w.api.requests.length, sent, 'nothing was sent after it was ended');
          if (runner.leftIn) assert.deepEqual(runner.leftIn(w.repo), [], `nothing of ${name} left running`);
        },
      ),
  );

  test(`the turn limit stops ${name}`, options, () =>
    inWorld(
      () => ({ ...runner.shell('ls'), ...(runner.loopPace ? { beforeMs: runner.loopPace } : {}) }),
      async (w) => {
        const result = await adapter.turn(w.request({ maxTurns: 2 }));
        assert.equal(result.failure?.kind, 'max-turns', JSON.stringify(result));
        assert.equal(result.turns, 2);
      },
    ),
  );

  test(`a wrong key is "not signed in" to ${name}`, options, () =>
    inWorld(runner.wrongKey.script, async (w) => {
      const result = await adapter.turn(w.request({ env: { ...w.request().env, ...runner.wrongKey.env } }));
      assert.equal(result.failure?.kind, 'not-signed-in', JSON.stringify(result.failure));
      if (runner.wrongKey.detail) assert.match(result.failure?.detail ?? '', runner.wrongKey.detail);
      if (runner.wrongKey.advice) assert.match(adapter.advice('not-signed-in'), runner.wrongKey.advice);
    }),
  );

  test(`a missing ${name} is "missing"`, options, () =>
    inWorld(
      () => reply.text('never asked'),
      async (w) => {
        const result = await adapter.turn(w.request({ command: join(w.dir, `no-${adapter.runner}-here`) }));
        assert.equal(result.failure?.kind, 'missing', JSON.stringify(result.failure));
      },
    ),
  );
}
