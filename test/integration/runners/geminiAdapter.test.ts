// The Gemini CLI adapter on its own: one turn of the real Gemini CLI (from npm) against the
// scripted Gemini API server, with its own controls (our home and settings, the admin policy
// refusing writes outside owns, the project's .gemini/ kept away), its stream mapped to ours,
// usage per model response from its session file, resume, the turn limit, failures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { geminiAdapter } from '../../../src/core/runners/gemini/geminiRunner';
import { ProcessGroups } from '../../../src/core/runners/cliAgent/processGroup';
import type { CliStreamEvent, CliTurnRequest } from '../../../src/core/runners/cliAgent/cliTypes';
import { startGeminiApiServer, type GeminiApiServer } from '../../support/geminiApiServer';
import { block, fault, reply, sequence, type Script } from '../../support/messagesApiServer';
import { geminiSays, lastPrompt, toolOutputs } from '../../support/geminiCalls';
import { missingThenProse } from '../../support/runners/scenarios';

const GEMINI = resolve('node_modules/.bin/gemini');
const KEY = 'test-gemini-key-not-a-real-one-0000';
const MODEL = 'gemini-2.5-pro';
const layerSchema = { type: 'object', properties: { status: { type: 'string', enum: ['done', 'blocked'] }, summary: { type: 'string' } }, required: ['status', 'summary'] };
const TIMEOUT = { timeout: 180_000 };

/** The tools a Gemini request declared. */
const toolNames = (req: GeminiApiServer['requests'][number]): string[] => (req.wire.tools ?? []).flatMap((t) => (t.functionDeclarations ?? []).map((fn) => fn.name));

interface World {
  api: GeminiApiServer;
  dir: string;
  repo: string;
  events: CliStreamEvent[];
  request(extra?: Partial<CliTurnRequest>): CliTurnRequest;
  done(): Promise<void>;
}

async function world(script: Script): Promise<World> {
  const api = await startGeminiApiServer(script, { apiKey: KEY });
  const dir = mkdtempSync(join(tmpdir(), 'orch-gemini-'));
  const repo = join(dir, 'agent');
  mkdirSync(join(repo, 'db'), { recursive: true });
  mkdirSync(join(repo, 'server'), { recursive: true });
  writeFileSync(join(repo, 'db', 'schema.sql'), 'create table customers (id int);\n');
  writeFileSync(join(repo, 'server', 'app.js'), 'module.exports = {};\n');
  execFileSync('git', ['init', '-q', '.'], { cwd: repo });
  const home = join(dir, 'home');
  mkdirSync(home);
  const events: CliStreamEvent[] = [];
  const groups = new ProcessGroups();
  return {
    api,
    dir,
    repo,
    events,
    request: (extra = {}) => ({
      command: GEMINI,
      cwd: repo,
      prompt: 'Add the products table.',
      system: 'MARKER-database: you are the database agent of Orchestrator.',
      model: MODEL,
      maxTurns: 10,
      owns: ['db/**'],
      deny: ['.env*'],
      outside: [],
      finalSchema: layerSchema,
      env: { PATH: `${dirname(process.execPath)}:/usr/bin:/bin`, HOME: home, LANG: 'C.UTF-8', TMPDIR: tmpdir(), GEMINI_API_KEY: KEY, GOOGLE_GEMINI_BASE_URL: api.url },
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

test('a turn: Gemini writes inside owns, its admin policy refuses server/ and .gitignore, every response is metered, the answer is our JSON', TIMEOUT, async () => {
  const w = await world(
    sequence(
      geminiSays.write('db/products.sql', 'create table products (id int, name text);\n'),
      geminiSays.write('server/products.js', 'module.exports = {};\n'),
      geminiSays.write('db/.gitignore', '*.sql\n'),
      geminiSays.shell('echo ok'),
      geminiSays.answer({ status: 'done', summary: 'Added the products table.' }),
    ),
  );
  try {
    // The project's own Gemini settings are not in an agent's worktree (the machinery hides them); one left there is removed.
    mkdirSync(join(w.repo, '.gemini'));
    writeFileSync(join(w.repo, '.gemini', 'settings.json'), JSON.stringify({ tools: { exclude: ['write_file'] } }));
    const result = await geminiAdapter.turn(w.request());
    assert.equal(result.failure, undefined, JSON.stringify(result.failure));
    assert.deepEqual(result.final, { status: 'done', summary: 'Added the products table.' });
    assert.equal(result.turns, 5);
    assert.match(result.session ?? '', /^[0-9a-f-]{36}$/);
    assert.ok(!existsSync(join(w.repo, '.gemini')));

    assert.equal(readFileSync(join(w.repo, 'db/products.sql'), 'utf8'), 'create table products (id int, name text);\n');
    assert.ok(!existsSync(join(w.repo, 'server/products.js')));
    assert.ok(!existsSync(join(w.repo, 'db/.gitignore')));
    assert.match(toolOutputs(w.api.requests[2]!).join('\n'), /refused by the orchestrator: outside your layer's files \(owns: db\/\*\*\)/);
    assert.match(toolOutputs(w.api.requests[3]!).join('\n'), /refused by the orchestrator: a protected path/);

    // The stream in our terms: the session first, one usage per model response, each tool call.
    assert.equal(w.events[0]?.kind, 'session');
    const usage = w.events.filter((e) => e.kind === 'usage');
    assert.equal(usage.length, 5);
    assert.ok(usage.every((e) => e.kind === 'usage' && e.model === MODEL && e.usage.input + e.usage.cacheRead > 0 && e.usage.output > 0), JSON.stringify(usage));
    const tools = w.events.flatMap((e) => (e.kind === 'tool' ? [`${e.tool}:${e.isError ? 'error' : 'ok'}`] : []));
    assert.deepEqual(tools, ['write_file:ok', 'write_file:error', 'write_file:error', 'run_shell_command:ok']);

    // What Gemini sent: our instructions open the first message, on the model given, with our key, to the Gemini API only.
    const first = w.api.requests[0]!;
    assert.equal(first.model, MODEL);
    assert.ok(first.stream);
    assert.match(lastPrompt(first), /^MARKER-database[\s\S]*Add the products table\./);
    assert.ok(!toolNames(first).some((name) => name === 'web_fetch' || name === 'google_web_search'), 'no network tools');
    assert.deepEqual(w.api.strays, []);
    assert.ok(w.api.requests.every((r) => r.headers['x-goog-api-key'] === KEY));
  } finally {
    await w.done();
  }
});

test('resume: the same session continues with its history, and only the new responses are metered', TIMEOUT, async () => {
  const w = await world(sequence(geminiSays.write('db/a.sql', 'a\n'), geminiSays.done('first'), geminiSays.done('second, after the error')));
  try {
    const first = await geminiAdapter.turn(w.request());
    assert.equal(first.turns, 2);
    const before = w.events.length;
    const second = await geminiAdapter.turn(w.request({ session: first.session!, prompt: 'Validation failed: `npm test` exited 1. Fix it.' }));
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

test('a read-only role: no edit tools, a redirecting command refused by Gemini itself, the answer checked by us', TIMEOUT, async () => {
  const w = await world(sequence(geminiSays.shell('echo x > db/x.sql'), geminiSays.shell('ls db'), geminiSays.answer({ verdict: 'approved', issues: [] })));
  try {
    const result = await geminiAdapter.turn(w.request({ owns: [] }));
    assert.deepEqual(result.final, { verdict: 'approved', issues: [] });
    assert.ok(!existsSync(join(w.repo, 'db/x.sql')));
    assert.ok(!toolNames(w.api.requests[0]!).some((name) => name === 'write_file' || name === 'replace'), 'no edit tools are offered');
    assert.match(toolOutputs(w.api.requests[1]!).join('\n'), /requires user confirmation, which is not supported in non-interactive mode/, 'the redirecting command never ran');
    assert.match(toolOutputs(w.api.requests[2]!).join('\n'), /schema\.sql/);
  } finally {
    await w.done();
  }
});

test('the turn limit stops Gemini; a wrong key is "not signed in"; a daily quota is "rate-limited"; a missing program is "missing"; a non-JSON answer comes back as text', TIMEOUT, async () => {
  // A model takes its time (seconds, for a real one): the runner stops Gemini once it has read the
  // response that reaches the limit, before the next comes. A model answering at once could slip
  // a third response in on a loaded machine (CI saw 3).
  const loop = await world(() => ({ ...geminiSays.shell('ls'), beforeMs: 800 }));
  try {
    const result = await geminiAdapter.turn(loop.request({ maxTurns: 2 }));
    assert.equal(result.failure?.kind, 'max-turns');
    assert.equal(result.turns, 2);
  } finally {
    await loop.done();
  }
  const auth = await world(() => geminiSays.done());
  try {
    const result = await geminiAdapter.turn(auth.request({ env: { ...auth.request().env, GEMINI_API_KEY: 'wrong-key-0123456789' } }));
    assert.equal(result.failure?.kind, 'not-signed-in', JSON.stringify(result.failure));
    assert.match(geminiAdapter.advice('not-signed-in'), /GEMINI_API_KEY/);
  } finally {
    await auth.done();
  }
  const quota = await world(() => fault.spendLimit());
  try {
    const result = await geminiAdapter.turn(quota.request());
    assert.equal(result.failure?.kind, 'rate-limited', JSON.stringify(result.failure));
  } finally {
    await quota.done();
  }
  await missingThenProse(geminiAdapter, world, () => geminiSays.done(), 'no-gemini-here');
});

test('transient faults: a 500 is retried by Gemini itself; a stream dropped mid-way ends the turn with one line, and resuming the session goes on', TIMEOUT, async () => {
  const w = await world(sequence(fault.serverError(), geminiSays.write('db/a.sql', 'a\n'), fault.drop(1, geminiSays.done('never finished')), geminiSays.done('after the resume')));
  try {
    const first = await geminiAdapter.turn(w.request());
    assert.equal(w.api.requests.length, 3, 'the 500 was retried, the dropped stream was not');
    assert.equal(first.failure?.kind, 'crashed', JSON.stringify(first));
    assert.equal(first.failure?.detail, 'the connection to the model API was cut mid-stream ([API Error: terminated])');
    assert.equal(first.turns, 1, 'only the response that streamed whole counts');
    assert.equal(readFileSync(join(w.repo, 'db/a.sql'), 'utf8'), 'a\n');
    const second = await geminiAdapter.turn(w.request({ session: first.session!, prompt: 'The connection dropped; go on.' }));
    assert.deepEqual(second.final, { status: 'done', summary: 'after the resume' });
    assert.equal(second.session, first.session);
  } finally {
    await w.done();
  }
});

test('owns globs of every shape reach Gemini\'s policy intact (none dropped as a ReDoS risk); a build file is Gemini\'s own refusal, its shell is the way', TIMEOUT, async () => {
  const w = await world(
    sequence(
      reply.turn([block.toolUse('write_file', { file_path: 'src/deep/er/x.ts', content: 'x\n' }), block.toolUse('write_file', { file_path: 'package.json', content: '{}\n' }), block.toolUse('write_file', { file_path: 'b/notes.md', content: 'b\n' })]),
      reply.turn([block.toolUse('write_file', { file_path: 'src/deep/x.js', content: 'no\n' }), block.toolUse('write_file', { file_path: 'package-lock.json', content: 'no\n' })]),
      geminiSays.shell('printf "{}\\n" > package.json'),
      geminiSays.done(),
    ),
  );
  try {
    const result = await geminiAdapter.turn(w.request({ owns: ['src/**/*.ts', 'package.json', '{a,b}/**'] }));
    assert.equal(result.failure, undefined, JSON.stringify(result.failure));
    const outputs = (n: number) => toolOutputs(w.api.requests[n]!);
    for (const file of ['src/deep/er/x.ts', 'b/notes.md']) assert.ok(existsSync(join(w.repo, file)), `${file} was allowed`);
    // Gemini 0.61.0 never lets its edit tools write a build file headless (package.json, go.mod, Dockerfile…), whatever the policy says.
    assert.match(outputs(1)[1]!, /Modifying build configuration files requires explicit user confirmation/);
    for (const file of ['src/deep/x.js', 'package-lock.json']) assert.ok(!existsSync(join(w.repo, file)), `${file} was refused`);
    assert.equal(outputs(2).filter((out) => /refused by the orchestrator: outside your layer's files/.test(out)).length, 2);
    assert.equal(readFileSync(join(w.repo, 'package.json'), 'utf8'), '{}\n', 'written by its shell');
  } finally {
    await w.done();
  }
});
