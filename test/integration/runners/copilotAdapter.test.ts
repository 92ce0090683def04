// The Copilot adapter on its own: one turn of the real Copilot CLI (from npm, driven by its SDK
// over JSON-RPC) against the scripted Messages API server as a provider of the user's own, with
// Copilot's native controls (the tools a role sees, our permission callback), its events mapped
// to ours, usage per model call, resume, the turn limit and the one-line failures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { copilotAdapter } from '../../../src/core/runners/copilot/copilotRunner';
import { ProcessGroups } from '../../../src/core/runners/cliAgent/processGroup';
import type { CliStreamEvent, CliTurnRequest } from '../../../src/core/runners/cliAgent/cliTypes';
import { fault, reply, startMessagesApiServer, type MessagesApiServer, type RecordedRequest, type Script } from '../../support/messagesApiServer';
import { COPILOT_COMMAND, COPILOT_KEY, COPILOT_MODEL, copilotSays, lastPrompt, steps, toolNames, toolResults } from '../../support/runners/copilot';
import { missingThenProse } from '../../support/runners/scenarios';

interface World {
  api: MessagesApiServer;
  dir: string;
  repo: string;
  events: CliStreamEvent[];
  groups: ProcessGroups;
  request(extra?: Partial<CliTurnRequest>): CliTurnRequest;
  done(): Promise<void>;
}

async function world(script: Script): Promise<World> {
  const api = await startMessagesApiServer(script, { apiKey: COPILOT_KEY });
  const dir = mkdtempSync(join(tmpdir(), 'orch-copilot-'));
  const repo = join(dir, 'agent');
  mkdirSync(join(repo, 'db'), { recursive: true });
  mkdirSync(join(repo, 'server'), { recursive: true });
  writeFileSync(join(repo, 'db', 'schema.sql'), 'create table customers (id int);\n');
  writeFileSync(join(repo, 'server', 'app.js'), 'module.exports = {};\n');
  execFileSync('git', ['init', '-q', '.'], { cwd: repo });
  const events: CliStreamEvent[] = [];
  const groups = new ProcessGroups();
  return {
    api,
    dir,
    repo,
    events,
    groups,
    request: (extra = {}) => ({
      command: COPILOT_COMMAND,
      cwd: repo,
      prompt: `## TASK\nAdd the products table.\nYou work in ${repo}, a copy of the project made for you.`,
      system: '# You are the DATABASE SPECIALIST of Orchestrator.',
      model: COPILOT_MODEL,
      maxTurns: 10,
      owns: ['db/**'],
      deny: ['.env*', 'secrets/**'],
      outside: [],
      finalSchema: {},
      env: {
        PATH: `${dirname(process.execPath)}:/usr/bin:/bin`, HOME: join(dir, 'home'), LANG: 'C.UTF-8', TMPDIR: tmpdir(),
        COPILOT_PROVIDER_BASE_URL: api.url, COPILOT_PROVIDER_TYPE: 'anthropic', COPILOT_PROVIDER_API_KEY: COPILOT_KEY,
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
}

const first = (api: MessagesApiServer): RecordedRequest => api.requests[0]!;

test('a turn: Copilot writes inside owns, our permission callback refuses server/ and a secret, every model call is metered, the answer is our JSON', async () => {
  const w = await world(
    steps(
      (req) => copilotSays.create(req, { 'db/products.sql': 'create table products (id int, name text);\n' }),
      (req) => copilotSays.create(req, { 'server/products.js': 'module.exports = {};\n' }),
      copilotSays.bash('cat secrets/prod.key; echo done'),
      copilotSays.done('Added the products table.'),
    ),
  );
  try {
    const result = await copilotAdapter.turn(w.request());
    assert.equal(result.failure, undefined, JSON.stringify(result.failure));
    assert.deepEqual(result.final, { status: 'done', summary: 'Added the products table.' });
    assert.equal(result.turns, 4);
    assert.match(result.session ?? '', /^[0-9a-f-]{36}$/);

    assert.equal(readFileSync(join(w.repo, 'db/products.sql'), 'utf8'), 'create table products (id int, name text);\n');
    assert.ok(!existsSync(join(w.repo, 'server/products.js')), 'the write outside owns never happened');
    assert.match(toolResults(w.api.requests[2]!), /refused by the orchestrator: server\/products\.js is outside your layer's files \(owns: db\/\*\*\)/);
    assert.match(toolResults(w.api.requests[3]!), /refused by the orchestrator: secrets\/prod\.key holds secrets/);

    // The stream in our terms: the session first, one usage per model call, each tool call.
    assert.equal(w.events[0]?.kind, 'session');
    const usage = w.events.filter((e) => e.kind === 'usage');
    assert.equal(usage.length, 4);
    assert.ok(usage.every((e) => e.kind === 'usage' && e.model === COPILOT_MODEL && e.usage.input + e.usage.cacheRead + e.usage.cacheWrite > 0 && e.usage.output > 0 && !e.unmetered), JSON.stringify(usage));
    const tools = w.events.flatMap((e) => (e.kind === 'tool' ? [`${e.tool}:${e.isError ? 'error' : 'ok'}`] : []));
    assert.deepEqual(tools, ['create:ok', 'create:error', 'bash:error']);

    // What Copilot sent: our instructions appended to its own, the role's tools only, our key, nothing else.
    const system = JSON.stringify(first(w.api).body.system);
    assert.match(system, /You are the DATABASE SPECIALIST/);
    assert.match(system, /your final message must be ONLY the JSON object/);
    assert.equal(lastPrompt(first(w.api)), `## TASK\nAdd the products table.\nYou work in ${w.repo}, a copy of the project made for you.`);
    assert.deepEqual(toolNames(first(w.api)), ['bash', 'create', 'edit', 'glob', 'grep', 'list_bash', 'read_bash', 'stop_bash', 'view']);
    assert.ok(w.api.requests.every((r) => r.headers['x-api-key'] === COPILOT_KEY));
    assert.ok(w.api.requests.every((r) => r.path === '/v1/messages'));
  } finally {
    await w.done();
  }
});

test('resume: the same session continues with its history, and only the new model calls are metered', async () => {
  const w = await world(steps((req) => copilotSays.create(req, { 'db/a.sql': 'a\n' }), copilotSays.done('first'), copilotSays.done('second, after the error')));
  try {
    const one = await copilotAdapter.turn(w.request());
    assert.equal(one.turns, 2);
    w.groups.endAll();
    const before = w.events.length;
    const two = await copilotAdapter.turn(w.request({ session: one.session!, prompt: '## VALIDATION FAILED\n`npm test` exited 1. Fix it.' }));
    assert.equal(two.failure, undefined, JSON.stringify(two.failure));
    assert.equal(two.session, one.session);
    assert.equal(two.turns, 1);
    assert.deepEqual(two.final, { status: 'done', summary: 'second, after the error' });
    assert.equal(w.events.slice(before).filter((e) => e.kind === 'usage').length, 1);
    const resumed = w.api.requests[2]!;
    assert.match(lastPrompt(resumed), /`npm test` exited 1/);
    assert.ok(JSON.stringify(resumed.body.messages).includes('Add the products table.'), 'the first task is in the resumed history');
  } finally {
    await w.done();
  }
});

test('a read-only role: no editing tools at all, a shell write is the owns gate\'s to revert, the answer in a code fence is still read', async () => {
  const w = await world(steps(copilotSays.bash('ls db'), reply.text('```json\n{"verdict":"approved","issues":[]}\n```')));
  try {
    const result = await copilotAdapter.turn(w.request({ owns: [] }));
    assert.deepEqual(result.final, { verdict: 'approved', issues: [] });
    assert.deepEqual(toolNames(first(w.api)), ['bash', 'glob', 'grep', 'list_bash', 'read_bash', 'stop_bash', 'view']);
    assert.match(toolResults(w.api.requests[1]!), /schema\.sql/);
  } finally {
    await w.done();
  }
});

test('the turn limit stops Copilot; a wrong key is "not signed in"; no provider and no token is "not signed in"; a missing program is "missing"; prose comes back as text', async () => {
  const loop = await world(() => copilotSays.bash('ls'));
  try {
    const result = await copilotAdapter.turn(loop.request({ maxTurns: 2 }));
    assert.equal(result.failure?.kind, 'max-turns', JSON.stringify(result.failure));
    assert.equal(result.turns, 2);
  } finally {
    await loop.done();
  }
  const auth = await world(() => fault.auth());
  try {
    const result = await copilotAdapter.turn(auth.request({ env: { ...auth.request().env, COPILOT_PROVIDER_API_KEY: 'sk-wrong' } }));
    assert.equal(result.failure?.kind, 'not-signed-in', JSON.stringify(result.failure));
  } finally {
    await auth.done();
  }
  const nobody = await world(() => copilotSays.done());
  try {
    const { COPILOT_PROVIDER_BASE_URL: _u, COPILOT_PROVIDER_TYPE: _t, COPILOT_PROVIDER_API_KEY: _k, ...bare } = nobody.request().env;
    const result = await copilotAdapter.turn(nobody.request({ env: bare }));
    assert.equal(result.failure?.kind, 'not-signed-in', JSON.stringify(result.failure));
    assert.match(copilotAdapter.advice('not-signed-in'), /COPILOT_GITHUB_TOKEN/);
    assert.equal(nobody.api.requests.length, 0);
  } finally {
    await nobody.done();
  }
  await missingThenProse(copilotAdapter, world, () => copilotSays.done(), 'no-copilot-here');
});

test('a provider that keeps answering 429: Copilot retries it five times itself, then the turn is "rate-limited"', async () => {
  const w = await world(() => fault.rateLimit({ retryAfterMs: 10 }));
  try {
    const result = await copilotAdapter.turn(w.request());
    assert.equal(result.failure?.kind, 'rate-limited', JSON.stringify(result.failure));
    assert.equal(w.api.requests.length, 6, 'the first request and five retries');
    assert.match(copilotAdapter.advice('rate-limited'), /rate-limited|premium requests/);
  } finally {
    await w.done();
  }
});
