// The opencode adapter on its own: turns of the real opencode CLI (from npm) against the scripted
// Chat Completions server, with opencode's native rules (edits only inside owns, denied files
// unreadable, no way out of the worktree), its JSON events mapped to ours, usage per model
// reply, its state beside the worktree, the turn limit, failures as one line; its detection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { opencodeAdapter } from '../../../src/core/runners/opencode/opencodeAdapter';
import { ownsPatterns, permissionsOf, providerOf } from '../../../src/core/runners/opencode/opencodeConfig';
import { answerIn } from '../../../src/core/runners/opencode/opencodeStream';
import { ProcessGroups } from '../../../src/core/runners/cliAgent/processGroup';
import type { CliStreamEvent, CliTurnRequest } from '../../../src/core/runners/cliAgent/cliTypes';
import { detectCliAgent } from '../../../src/core/runners/detect/detectClis';
import { startChatCompletionsServer, type ChatCompletionsServer } from '../../support/chatCompletionsServer';
import { block, fault, reply, type Script } from '../../support/messagesApiServer';
import { OPENCODE_COMMAND, OPENCODE_KEY, opencodeSays, toolOutputs } from '../../support/runners/opencode';
import { missingThenProse } from '../../support/runners/scenarios';

const layerSchema = { type: 'object', properties: { status: { type: 'string', enum: ['done', 'blocked'] }, summary: { type: 'string' } }, required: ['status', 'summary'] };

interface World {
  api: ChatCompletionsServer;
  dir: string;
  repo: string;
  events: CliStreamEvent[];
  /** The agent's private home (HOME): where opencode keeps its state. */
  home: string;
  request(extra?: Partial<CliTurnRequest>): CliTurnRequest;
  done(): Promise<void>;
}

async function world(script: Script): Promise<World> {
  const api = await startChatCompletionsServer(script, { apiKey: OPENCODE_KEY });
  const dir = mkdtempSync(join(tmpdir(), 'orch-opencode-'));
  const repo = join(dir, 'agent');
  mkdirSync(join(repo, 'db'), { recursive: true });
  mkdirSync(join(repo, 'server'), { recursive: true });
  writeFileSync(join(repo, 'db', 'schema.sql'), 'create table customers (id int);\n');
  writeFileSync(join(repo, 'server', 'app.js'), 'module.exports = {};\n');
  writeFileSync(join(repo, '.env'), 'DB_PASSWORD=hunter2-secret\n');
  // What opencode would load from the project, were it not told not to.
  writeFileSync(join(repo, 'opencode.json'), JSON.stringify({ permission: { edit: 'allow' }, instructions: ['RULES.md'] }));
  writeFileSync(join(repo, 'RULES.md'), 'MARKER-project-instructions\n');
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
    home,
    request: (extra = {}) => ({
      command: OPENCODE_COMMAND,
      cwd: repo,
      prompt: '## TASK\nAdd the products table.',
      system: '# You are the DATABASE SPECIALIST of Orchestrator.',
      model: 'oc-test-model',
      maxTurns: 10,
      owns: ['db/**'],
      deny: ['.env*'],
      outside: [],
      finalSchema: layerSchema,
      env: { PATH: `${dirname(process.execPath)}:/usr/bin:/bin`, HOME: home, LANG: 'C.UTF-8', TMPDIR: tmpdir(), OPENAI_API_KEY: OPENCODE_KEY, OPENAI_BASE_URL: api.url },
      spawn: groups.spawn,
      signal: new AbortController().signal,
      onEvent: (event) => events.push(event),
      ...extra,
    }),
    async done() {
      groups.endAll();
      await api.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

test('a turn: opencode writes inside owns, its own rules refuse server/ and .env, every reply is metered, the answer is our JSON', async () => {
  const w = await world((req) => {
    const turn = req.body.messages.filter((m) => m.role === 'assistant').length;
    if (turn === 0) return opencodeSays.write({ 'server/hack.js': 'x' });
    if (turn === 1) return reply.toolUse('read', { filePath: '.env' });
    if (turn === 2) return opencodeSays.write({ 'db/products.sql': 'create table products (id int);\n' });
    return reply.turn([block.text('All done:\n```json\n{"status":"done","summary":"products table"}\n```')]);
  });
  try {
    const result = await opencodeAdapter.turn(w.request());
    assert.equal(result.failure, undefined, JSON.stringify(result.failure));
    assert.deepEqual(result.final, { status: 'done', summary: 'products table' });
    assert.equal(result.turns, 4);
    assert.match(result.session ?? '', /^ses_/);
    assert.equal(readFileSync(join(w.repo, 'db', 'products.sql'), 'utf8'), 'create table products (id int);\n');
    assert.ok(!existsSync(join(w.repo, 'server', 'hack.js')), 'opencode refused the write outside owns');
    const outputs = w.api.requests.slice(1, 3).map((r) => toolOutputs(r).join('\n'));
    assert.match(outputs[0]!, /prevents you from using this specific tool call/);
    assert.match(outputs[1]!, /prevents you from using this specific tool call/);
    assert.doesNotMatch(JSON.stringify(w.api.requests.map((r) => r.wire)), /hunter2-secret/);
    // Its session and stream in our terms.
    assert.deepEqual(w.events.filter((e) => e.kind === 'session').map((e) => e.kind === 'session' && e.session), [result.session]);
    const usage = w.events.filter((e) => e.kind === 'usage');
    assert.equal(usage.length, 4, 'one usage event per model reply');
    assert.ok(usage.every((e) => e.kind === 'usage' && e.ends && e.usage.input > 0 && e.model === 'oc-test-model' && e.costUsd === undefined), 'opencode has no price for the gateway model: ours applies');
    const tools = w.events.filter((e) => e.kind === 'tool');
    assert.deepEqual(tools.map((e) => e.kind === 'tool' && [e.tool, e.isError]), [['write', true], ['read', true], ['write', false]]);
    // Our text is its whole system prompt (plus opencode's environment lines), the project's config and instructions are not loaded.
    const system = JSON.stringify(w.api.requests[0]!.wire.messages[0]);
    assert.match(system, /^\{"role":"system","content":"# You are the DATABASE SPECIALIST/);
    assert.match(system, /Your final answer/);
    assert.doesNotMatch(JSON.stringify(w.api.requests[0]!.wire), /MARKER-project-instructions/);
    const tools0 = w.api.requests[0]!.wire.tools?.map((t) => t.function.name) ?? [];
    for (const never of ['task', 'webfetch', 'websearch', 'skill']) assert.ok(!tools0.includes(never), `${never} is not offered`);
    // One request per reply: no title generation. Its state is beside the worktree, not in it.
    assert.equal(w.api.requests.length, 4);
    assert.ok(existsSync(join(w.home, '.local', 'share', 'opencode', 'opencode.db')), 'its state is in the agent\'s home');
    assert.equal(execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: w.repo, encoding: 'utf8' }).split('\n').filter((l) => l && !/ (db|server)\/|\.env|opencode\.json|RULES\.md/.test(l)).join('\n'), '');
  } finally {
    await w.done();
  }
});

test('the turn limit stops opencode; a wrong key is "not signed in"; a missing program is "missing"; prose comes back as text', async () => {
  const loop = await world(() => opencodeSays.shell('ls'));
  try {
    const result = await opencodeAdapter.turn(loop.request({ maxTurns: 2 }));
    assert.equal(result.failure?.kind, 'max-turns', JSON.stringify(result));
    assert.equal(result.turns, 2);
  } finally {
    await loop.done();
  }
  const auth = await world(() => fault.auth());
  try {
    const result = await opencodeAdapter.turn(auth.request({ env: { ...auth.request().env, OPENAI_API_KEY: 'sk-wrong-key-for-the-test' } }));
    assert.equal(result.failure?.kind, 'not-signed-in', JSON.stringify(result.failure));
    assert.match(result.failure?.detail ?? '', /401/);
    assert.match(opencodeAdapter.advice('not-signed-in'), /opencode auth login/);
  } finally {
    await auth.done();
  }
  await missingThenProse(opencodeAdapter, world, () => opencodeSays.done(), 'no-opencode-here');
});

test('the real opencode is detected: its version, signed in by a key variable or its auth.json (names only)', async () => {
  const home = mkdtempSync(join(tmpdir(), 'orch-detect-oc-'));
  try {
    const env = { PATH: `${dirname(OPENCODE_COMMAND)}:${dirname(process.execPath)}:/usr/bin:/bin`, HOME: home };
    const bare = await detectCliAgent('opencode', { env, home, timeoutMs: 60_000 });
    assert.equal(bare.installed, true);
    assert.equal(bare.version, '1.18.33');
    assert.equal(bare.tooOld, false);
    assert.equal(bare.signedIn, false);
    mkdirSync(join(home, '.local', 'share', 'opencode'), { recursive: true });
    writeFileSync(join(home, '.local', 'share', 'opencode', 'auth.json'), '{"anthropic":{"type":"api","key":"sk-in-the-file-5678"}}');
    const byFile = await detectCliAgent('opencode', { env, home, timeoutMs: 60_000 });
    assert.deepEqual([byFile.signedIn, byFile.signedInBy], [true, '~/.local/share/opencode/auth.json']);
    assert.doesNotMatch(JSON.stringify(byFile), /sk-in-the-file/);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('native rules from owns: opencode\'s wildcards allow at least what the globs allow, protected paths and the deny list last', () => {
  assert.deepEqual(ownsPatterns('db/**'), ['db/**']);
  assert.deepEqual(ownsPatterns('**/*.py'), ['**/*.py', '*.py']);
  assert.deepEqual(ownsPatterns('web/{src,test}/**'), ['web/*']);
  assert.deepEqual(ownsPatterns('{a,b}.json'), ['*']);
  const layer = permissionsOf(['db/**'], ['.env*']) as Record<string, Record<string, string> | string>;
  assert.deepEqual(Object.entries(layer.edit!), [['*', 'deny'], ['db/**', 'allow'], ['.git/**', 'deny'], ['*/.git/**', 'deny'], ['.claude/**', 'deny'], ['*/.claude/**', 'deny'], ['.vscode/**', 'deny'], ['*/.vscode/**', 'deny'], ['.gitignore', 'deny'], ['*/.gitignore', 'deny'], ['.git*', 'deny'], ['*/.git*', 'deny']]);
  assert.deepEqual(layer.read, { '*': 'allow', '.env*': 'deny', '*/.env*': 'deny' });
  assert.equal(layer.bash, 'allow');
  const readOnly = permissionsOf([], []) as Record<string, unknown>;
  assert.deepEqual([readOnly.edit, readOnly.bash, readOnly.task, readOnly.external_directory], [{ '*': 'deny' }, 'deny', 'deny', 'deny']);
  // OPENAI_BASE_URL becomes the `orchestrator` provider; provider/model ids stay opencode's own.
  assert.equal(providerOf({ OPENAI_BASE_URL: 'http://127.0.0.1:1/v1' }, 'm1').model, 'orchestrator/m1');
  assert.deepEqual(providerOf({ OPENAI_BASE_URL: 'http://127.0.0.1:1/v1' }, 'anthropic/claude-sonnet-4-5'), { model: 'anthropic/claude-sonnet-4-5' });
  assert.deepEqual(providerOf({}, 'anthropic/claude-sonnet-4-5'), { model: 'anthropic/claude-sonnet-4-5' });
  // The final answer in the last text: plain JSON, a fence, or braces in prose.
  assert.deepEqual(answerIn('{"a":1}'), { a: 1 });
  assert.deepEqual(answerIn('Here:\n```json\n{"a":2}\n```\n'), { a: 2 });
  assert.deepEqual(answerIn('I conclude {"a":3} as asked.'), { a: 3 });
  assert.equal(answerIn('no json'), 'no json');
});
