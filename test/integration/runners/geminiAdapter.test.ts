// The Gemini CLI adapter on its own: the shared adapter suite played on the real Gemini CLI (from
// npm) against the scripted Gemini API server, with its own controls (our home and settings, the
// admin policy refusing writes outside owns, the project's .gemini/ kept away), its stream mapped to
// ours, usage per model response from its session file, resume, the turn limit, failures; and what
// is Gemini's own: a daily quota, transient faults, owns globs in its policy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { geminiAdapter } from '../../../src/core/runners/gemini/geminiRunner';
import { startGeminiApiServer, type GeminiApiServer } from '../../support/geminiApiServer';
import { block, fault, reply, sequence } from '../../support/messagesApiServer';
import { geminiSays, lastPrompt, toolOutputs } from '../../support/geminiCalls';
import { adapterSuite, adapterWorld, type AdapterRunner } from '../../support/runners/adapterSuite';

const KEY = 'test-gemini-key-not-a-real-one-0000';
const MODEL = 'gemini-2.5-pro';
const TIMEOUT = { timeout: 180_000 };
const PRODUCTS = 'create table products (id int, name text);\n';

/** The tools a Gemini request declared. */
const toolNames = (req: GeminiApiServer['requests'][number]): string[] =>
  (req.wire.tools ?? []).flatMap((t) => (t.functionDeclarations ?? []).map((fn) => fn.name));

const gemini: AdapterRunner<GeminiApiServer> = {
  name: 'Gemini',
  adapter: geminiAdapter,
  command: resolve('node_modules/.bin/gemini'),
  model: MODEL,
  serve: (script) => startGeminiApiServer(script, { apiKey: KEY }),
  env: (api) => ({ GEMINI_API_KEY: KEY, GOOGLE_GEMINI_BASE_URL: api.url }),
  prompt: () => 'Add the products table.',
  system: 'MARKER-database: you are the database agent of Orchestrator.',
  finalSchema: {
    type: 'object',
    properties: { status: { type: 'string', enum: ['done', 'blocked'] }, summary: { type: 'string' } },
    required: ['status', 'summary'],
  },
  session: /^[0-9a-f-]{36}$/,
  timeout: TIMEOUT.timeout,
  lastPrompt,
  shell: geminiSays.shell,
  turn: {
    refuses: 'its admin policy refuses server/ and .gitignore',
    script: sequence(
      geminiSays.write('db/products.sql', PRODUCTS),
      geminiSays.write('server/products.js', 'module.exports = {};\n'),
      geminiSays.write('db/.gitignore', '*.sql\n'),
      geminiSays.shell('echo ok'),
      geminiSays.answer({ status: 'done', summary: 'Added the products table.' }),
    ),
    final: { status: 'done', summary: 'Added the products table.' },
    turns: 5,
    wrote: { 'db/products.sql': PRODUCTS },
    refused: ['server/products.js', 'db/.gitignore'],
    tools: ['write_file:ok', 'write_file:error', 'write_file:error', 'run_shell_command:ok'],
    metered: (e) => e.usage.input + e.usage.cacheRead > 0 && e.usage.output > 0,
    before(w) {
      // The project's own Gemini settings are not in an agent's worktree (the machinery hides them); one left there is removed.
      mkdirSync(join(w.repo, '.gemini'));
      writeFileSync(join(w.repo, '.gemini', 'settings.json'), JSON.stringify({ tools: { exclude: ['write_file'] } }));
    },
    check(w) {
      assert.ok(!existsSync(join(w.repo, '.gemini')));
      assert.match(
        toolOutputs(w.api.requests[2]!).join('\n'),
        /refused by the orchestrator: outside your layer's files \(owns: db\/\*\*\)/,
      );
      assert.match(toolOutputs(w.api.requests[3]!).join('\n'), /refused by the orchestrator: a protected path/);
      // What Gemini sent: our instructions open the first message, on the model given, with our key, to the Gemini API only.
      const first = w.api.requests[0]!;
      assert.equal(first.model, MODEL);
      assert.ok(first.stream);
      assert.match(lastPrompt(first), /^MARKER-database[\s\S]*Add the products table\./);
      assert.ok(
        !toolNames(first).some((name) => name === 'web_fetch' || name === 'google_web_search'),
        'no network tools',
      );
      assert.deepEqual(w.api.strays, []);
      assert.ok(w.api.requests.every((r) => r.headers['x-goog-api-key'] === KEY));
    },
  },
  readOnly: {
    title: 'no edit tools, a redirecting command refused by Gemini itself, the answer checked by us',
    script: sequence(
      geminiSays.shell('echo x > db/x.sql'),
      geminiSays.shell('ls db'),
      geminiSays.answer({ verdict: 'approved', issues: [] }),
    ),
    check(w) {
      assert.ok(!existsSync(join(w.repo, 'db/x.sql')));
      assert.ok(
        !toolNames(w.api.requests[0]!).some((name) => name === 'write_file' || name === 'replace'),
        'no edit tools are offered',
      );
      assert.match(
        toolOutputs(w.api.requests[1]!).join('\n'),
        /requires user confirmation, which is not supported in non-interactive mode/,
        'the redirecting command never ran',
      );
      assert.match(toolOutputs(w.api.requests[2]!).join('\n'), /schema\.sql/);
    },
  },
  // A model takes its time (seconds, for a real one): the runner stops Gemini once it has read the
  // response that reaches the limit, before the next comes. A model answering at once could slip
  // a third response in on a loaded machine (CI saw 3).
  loopPace: 800,
  wrongKey: {
    script: () => geminiSays.done(),
    env: { GEMINI_API_KEY: 'wrong-key-0123456789' },
    advice: /GEMINI_API_KEY/,
  },
};
adapterSuite(gemini);
const world = adapterWorld(gemini);

test('a daily quota is "rate-limited"', TIMEOUT, async () => {
  const w = await world(() => fault.spendLimit());
  try {
    const result = await geminiAdapter.turn(w.request());
    assert.equal(result.failure?.kind, 'rate-limited', JSON.stringify(result.failure));
  } finally {
    await w.done();
  }
});

test(
  'transient faults: a 500 is retried by Gemini itself; a stream dropped mid-way ends the turn with one line, and resuming the session goes on',
  TIMEOUT,
  async () => {
    const w = await world(
      sequence(
        fault.serverError(),
        geminiSays.write('db/a.sql', 'a\n'),
        fault.drop(1, geminiSays.done('never finished')),
        geminiSays.done('after the resume'),
      ),
    );
    try {
      const first = await geminiAdapter.turn(w.request());
      assert.equal(w.api.requests.length, 3, 'the 500 was retried, the dropped stream was not');
      assert.equal(first.failure?.kind, 'crashed', JSON.stringify(first));
      assert.equal(
        first.failure?.detail,
        'the connection to the model API was cut mid-stream ([API Error: terminated])',
      );
      assert.equal(first.turns, 1, 'only the response that streamed whole counts');
      assert.equal(readFileSync(join(w.repo, 'db/a.sql'), 'utf8'), 'a\n');
      const second = await geminiAdapter.turn(
        w.request({ session: first.session!, prompt: 'The connection dropped; go on.' }),
      );
      assert.deepEqual(second.final, { status: 'done', summary: 'after the resume' });
      assert.equal(second.session, first.session);
    } finally {
      await w.done();
    }
  },
);

test(
  "owns globs of every shape reach Gemini's policy intact (none dropped as a ReDoS risk); a build file is Gemini's own refusal, its shell is the way",
  TIMEOUT,
  async () => {
    const w = await world(
      sequence(
        reply.turn([
          block.toolUse('write_file', { file_path: 'src/deep/er/x.ts', content: 'x\n' }),
          block.toolUse('write_file', { file_path: 'package.json', content: '{}\n' }),
          block.toolUse('write_file', { file_path: 'b/notes.md', content: 'b\n' }),
        ]),
        reply.turn([
          block.toolUse('write_file', { file_path: 'src/deep/x.js', content: 'no\n' }),
          block.toolUse('write_file', { file_path: 'package-lock.json', content: 'no\n' }),
        ]),
        geminiSays.shell('printf "{}\\n" > package.json'),
        geminiSays.done(),
      ),
    );
    try {
      const result = await geminiAdapter.turn(w.request({ owns: ['src/**/*.ts', 'package.json', '{a,b}/**'] }));
      assert.equal(result.failure, undefined, JSON.stringify(result.failure));
      const outputs = (n: number) => toolOutputs(w.api.requests[n]!);
      for (const file of ['src/deep/er/x.ts', 'b/notes.md'])
        assert.ok(existsSync(join(w.repo, file)), `${file} was allowed`);
      // Gemini 0.61.0 never lets its edit tools write a build file headless (package.json, go.mod, Dockerfile…), whatever the policy says.
      assert.match(outputs(1)[1]!, /Modifying build configuration files requires explicit user confirmation/);
      for (const file of ['src/deep/x.js', 'package-lock.json'])
        assert.ok(!existsSync(join(w.repo, file)), `${file} was refused`);
      assert.equal(
        outputs(2).filter((out) => /refused by the orchestrator: outside your layer's files/.test(out)).length,
        2,
      );
      assert.equal(readFileSync(join(w.repo, 'package.json'), 'utf8'), '{}\n', 'written by its shell');
    } finally {
      await w.done();
    }
  },
);
