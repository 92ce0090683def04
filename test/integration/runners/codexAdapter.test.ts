// The Codex adapter on its own: one turn of the real Codex CLI (from npm) against the scripted
// Responses API server, with Codex's native controls (permission profile, no network, approvals
// never), its stream mapped to ours, usage per model response, resume, the turn limit, failures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { codexAdapter } from '../../../src/core/runners/codex/codexAdapter';
import { ProcessGroups } from '../../../src/core/runners/cliAgent/processGroup';
import type { CliStreamEvent, CliTurnRequest } from '../../../src/core/runners/cliAgent/cliTypes';
import { startResponsesApiServer, type ResponsesApiServer } from '../../support/responsesApiServer';
import { fault, sequence, type Script } from '../../support/messagesApiServer';
import { codexSays, lastPrompt, systemText, toolOutputs } from '../../support/codexCalls';
import { missingThenProse } from '../../support/runners/scenarios';

const CODEX = resolve('node_modules/.bin/codex');
const KEY = 'sk-test-codex-not-a-real-key-0000';
const layerSchema = { type: 'object', properties: { status: { type: 'string', enum: ['done', 'blocked'] }, summary: { type: 'string' }, needs: { type: 'object', properties: { layer: { type: 'string' }, request: { type: 'string' } }, required: ['layer', 'request'] } }, required: ['status', 'summary'] };

interface World {
  api: ResponsesApiServer;
  dir: string;
  repo: string;
  events: CliStreamEvent[];
  request(extra?: Partial<CliTurnRequest>): CliTurnRequest;
  done(): Promise<void>;
}

async function world(script: Script): Promise<World> {
  const api = await startResponsesApiServer(script, { apiKey: KEY });
  const dir = mkdtempSync(join(tmpdir(), 'orch-codex-'));
  const repo = join(dir, 'agent');
  mkdirSync(join(repo, 'db'), { recursive: true });
  mkdirSync(join(repo, 'server'), { recursive: true });
  writeFileSync(join(repo, 'db', 'schema.sql'), 'create table customers (id int);\n');
  writeFileSync(join(repo, 'server', 'app.js'), 'module.exports = {};\n');
  writeFileSync(join(repo, '.env'), 'DB_PASSWORD=hunter2-secret\n');
  execFileSync('git', ['init', '-q', '.'], { cwd: repo });
  const home = join(dir, 'home');
  mkdirSync(home);
  // A private temp folder, as the runner gives (cliAgent): Codex makes no helper binaries under
  // TMPDIR, and with bubblewrap installed it needs its codex-linux-sandbox alias in CODEX_HOME.
  const tmp = join(dir, 'tmp');
  mkdirSync(tmp);
  const events: CliStreamEvent[] = [];
  const groups = new ProcessGroups();
  return {
    api,
    dir,
    repo,
    events,
    request: (extra = {}) => ({
      command: CODEX,
      cwd: repo,
      prompt: 'Add the products table.',
      system: 'MARKER-database: you are the database agent of Orchestrator.',
      model: 'gpt-5.5',
      maxTurns: 10,
      owns: ['db/**'],
      deny: ['.env*'],
      outside: [],
      finalSchema: layerSchema,
      env: { PATH: `${dirname(process.execPath)}:/usr/bin:/bin`, HOME: home, LANG: 'C.UTF-8', TMPDIR: tmp, OPENAI_API_KEY: KEY, OPENAI_BASE_URL: api.url },
      spawn: groups.spawn,
      signal: new AbortController().signal,
      onEvent: (e) => events.push(e),
      ...extra,
    }),
    async done() {
      await api.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

test('a turn: Codex writes inside owns, its own sandbox refuses server/ and .env, every response is metered, the answer is our JSON', async () => {
  const w = await world(
    sequence(
      codexSays.patch({ 'db/products.sql': 'create table products (id int, name text);\n' }),
      codexSays.patch({ 'server/products.js': 'module.exports = {};\n' }),
      codexSays.shell('cat .env; echo hacked > server/app.js; echo ok'),
      codexSays.done('Added the products table.'),
    ),
  );
  try {
    const result = await codexAdapter.turn(w.request());
    assert.equal(result.failure, undefined, JSON.stringify(result.failure));
    assert.deepEqual(result.final, { status: 'done', summary: 'Added the products table.' }, 'needs: null means absent');
    assert.equal(result.turns, 4);
    assert.match(result.session ?? '', /^[0-9a-f-]{36}$/);

    // Codex itself refused what its profile does not allow.
    assert.equal(readFileSync(join(w.repo, 'db/products.sql'), 'utf8'), 'create table products (id int, name text);\n');
    assert.ok(!existsSync(join(w.repo, 'server/products.js')));
    assert.equal(readFileSync(join(w.repo, 'server/app.js'), 'utf8'), 'module.exports = {};\n');
    assert.match(toolOutputs(w.api.requests[2]!).join('\n'), /patch rejected: writing outside of the project/);
    const shell = toolOutputs(w.api.requests[3]!).join('\n');
    assert.match(shell, /\.env: Permission denied/);
    assert.match(shell, /server\/app\.js: Read-only file system/);
    assert.doesNotMatch(JSON.stringify(w.api.requests.map((r) => r.body)), /hunter2-secret/);

    // The stream in our terms: the session first, one usage per model response, each tool call.
    assert.equal(w.events[0]?.kind, 'session');
    const usage = w.events.filter((e) => e.kind === 'usage');
    assert.equal(usage.length, 4);
    assert.ok(usage.every((e) => e.kind === 'usage' && e.model === 'gpt-5.5' && e.usage.input + e.usage.cacheRead > 0 && e.usage.output > 0));
    const tools = w.events.flatMap((e) => (e.kind === 'tool' ? [`${e.tool}:${e.isError ? 'error' : 'ok'}`] : []));
    // A patch Codex refuses emits no file_change item: only the model hears of it (above).
    assert.deepEqual(tools, ['apply_patch:ok', 'shell:ok']);

    // What Codex sent: our instructions as its developer text, the strict answer schema, only /v1/responses.
    const first = w.api.requests[0]!;
    assert.match(systemText(first), /MARKER-database/);
    assert.equal(lastPrompt(first), 'Add the products table.');
    const format = first.wire.text?.format as { type: string; strict: boolean; schema: { required: string[]; properties: { needs: { anyOf: unknown[] } } } };
    assert.equal(format.type, 'json_schema');
    assert.equal(format.strict, true);
    assert.deepEqual(format.schema.required, ['status', 'summary', 'needs']);
    assert.deepEqual(format.schema.properties.needs.anyOf.at(-1), { type: 'null' });
    assert.deepEqual(w.api.strays, []);
    assert.ok(w.api.requests.every((r) => r.headers.authorization === `Bearer ${KEY}`));
  } finally {
    await w.done();
  }
});

test('resume: the same session continues with its history, and only the new responses are metered', async () => {
  const w = await world(sequence(codexSays.patch({ 'db/a.sql': 'a\n' }), codexSays.done('first'), codexSays.done('second, after the error')));
  try {
    const first = await codexAdapter.turn(w.request());
    assert.equal(first.turns, 2);
    const before = w.events.length;
    const second = await codexAdapter.turn(w.request({ session: first.session!, prompt: 'Validation failed: `npm test` exited 1. Fix it.' }));
    assert.equal(second.session, first.session);
    assert.equal(second.turns, 1);
    assert.deepEqual(second.final, { status: 'done', summary: 'second, after the error' });
    assert.equal(w.events.slice(before).filter((e) => e.kind === 'usage').length, 1);
    const resumed = w.api.requests[2]!;
    assert.match(lastPrompt(resumed), /Validation failed: `npm test` exited 1/);
    assert.ok(JSON.stringify(resumed.body.messages).includes('Add the products table.'), 'the first task is in the resumed history');
  } finally {
    await w.done();
  }
});

test('a read-only role: Codex\'s :read-only profile, nothing written, the answer checked by us', async () => {
  const w = await world(sequence(codexSays.shell('echo x > db/x.sql; ls db'), codexSays.answer({ verdict: 'approved', issues: [], criteria: null })));
  try {
    const result = await codexAdapter.turn(w.request({ owns: [], finalSchema: { type: 'object', properties: { verdict: { type: 'string' }, issues: { type: 'array' }, criteria: { type: 'array' } }, required: ['verdict', 'issues'] } }));
    assert.deepEqual(result.final, { verdict: 'approved', issues: [] });
    assert.ok(!existsSync(join(w.repo, 'db/x.sql')));
    assert.match(toolOutputs(w.api.requests[1]!).join('\n'), /Read-only file system/);
  } finally {
    await w.done();
  }
});

test('the turn limit stops Codex; a wrong key is "not signed in"; a missing program is "missing"; a non-JSON answer comes back as text', async () => {
  const loop = await world(() => codexSays.shell('ls'));
  try {
    const result = await codexAdapter.turn(loop.request({ maxTurns: 2 }));
    assert.equal(result.failure?.kind, 'max-turns');
    assert.equal(result.turns, 2);
  } finally {
    await loop.done();
  }
  const auth = await world(() => fault.auth());
  try {
    const result = await codexAdapter.turn(auth.request({ env: { ...auth.request().env, OPENAI_API_KEY: 'sk-wrong' } }));
    assert.equal(result.failure?.kind, 'not-signed-in', JSON.stringify(result.failure));
    assert.match(codexAdapter.advice('not-signed-in'), /codex login|OPENAI_API_KEY/);
  } finally {
    await auth.done();
  }
  await missingThenProse(codexAdapter, world, () => codexSays.done(), 'no-codex-here');
});
