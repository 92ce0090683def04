// The opencode adapter on its own: the shared adapter suite played on the real opencode CLI (from
// npm) against the scripted Chat Completions server, with opencode's native rules (edits only
// inside owns, denied files unreadable, no way out of the worktree), its JSON events mapped to ours,
// usage per model reply, its state beside the worktree, resume, a read-only role, the turn limit,
// failures as one line; and what is opencode's own: its detection and its rules made from owns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { opencodeAdapter } from '../../../src/core/runners/opencode/opencodeAdapter';
import { ownsPatterns, permissionsOf, providerOf } from '../../../src/core/runners/opencode/opencodeConfig';
import { answerIn } from '../../../src/core/runners/opencode/opencodeStream';
import { detectCliAgent } from '../../../src/core/runners/detect/detectClis';
import { startChatCompletionsServer, type ChatCompletionsServer } from '../../support/chatCompletionsServer';
import { block, fault, reply, sequence } from '../../support/messagesApiServer';
import {
  lastPrompt,
  OPENCODE_COMMAND,
  OPENCODE_KEY,
  OPENCODE_MODEL,
  opencodeSays,
  toolOutputs,
} from '../../support/runners/opencode';
import { adapterSuite } from '../../support/runners/adapterSuite';

adapterSuite<ChatCompletionsServer>({
  name: 'opencode',
  adapter: opencodeAdapter,
  command: OPENCODE_COMMAND,
  model: OPENCODE_MODEL,
  serve: (script) => startChatCompletionsServer(script, { apiKey: OPENCODE_KEY }),
  env: (api) => ({ OPENAI_API_KEY: OPENCODE_KEY, OPENAI_BASE_URL: api.url }),
  files: {
    '.env': 'DB_PASSWORD=hunter2-secret\n',
    // What opencode would load from the project, were it not told not to.
    'opencode.json': JSON.stringify({ permission: { edit: 'allow' }, instructions: ['RULES.md'] }),
    'RULES.md': 'MARKER-project-instructions\n',
  },
  prompt: () => '## TASK\nAdd the products table.',
  system: '# You are the DATABASE SPECIALIST of Orchestrator.',
  finalSchema: {
    type: 'object',
    properties: { status: { type: 'string', enum: ['done', 'blocked'] }, summary: { type: 'string' } },
    required: ['status', 'summary'],
  },
  session: /^ses_/,
  lastPrompt,
  shell: opencodeSays.shell,
  turn: {
    refuses: 'its own rules refuse server/ and .env',
    script: (req) => {
      const turn = req.body.messages.filter((m) => m.role === 'assistant').length;
      if (turn === 0) return opencodeSays.write({ 'server/hack.js': 'x' });
      if (turn === 1) return reply.toolUse('read', { filePath: '.env' });
      if (turn === 2) return opencodeSays.write({ 'db/products.sql': 'create table products (id int);\n' });
      return reply.turn([block.text('All done:\n```json\n{"status":"done","summary":"products table"}\n```')]);
    },
    final: { status: 'done', summary: 'products table' },
    turns: 4,
    wrote: { 'db/products.sql': 'create table products (id int);\n' },
    refused: ['server/hack.js'],
    tools: ['write:error', 'read:error', 'write:ok'],
    // opencode has no price for the gateway model: ours applies.
    metered: (e) => e.ends && e.usage.input > 0 && e.costUsd === undefined,
    check(w, result) {
      const outputs = w.api.requests.slice(1, 3).map((r) => toolOutputs(r).join('\n'));
      assert.match(outputs[0]!, /prevents you from using this specific tool call/);
      assert.match(outputs[1]!, /prevents you from using this specific tool call/);
      assert.doesNotMatch(JSON.stringify(w.api.requests.map((r) => r.wire)), /hunter2-secret/);
      assert.deepEqual(
        w.events.filter((e) => e.kind === 'session').map((e) => e.kind === 'session' && e.session),
        [result.session],
      );
      // Our text is its whole system prompt (plus opencode's environment lines), the project's config and instructions are not loaded.
      const system = JSON.stringify(w.api.requests[0]!.wire.messages[0]);
      assert.match(system, /^\{"role":"system","content":"# You are the DATABASE SPECIALIST/);
      assert.match(system, /Your final answer/);
      assert.doesNotMatch(JSON.stringify(w.api.requests[0]!.wire), /MARKER-project-instructions/);
      const tools0 = w.api.requests[0]!.wire.tools?.map((t) => t.function.name) ?? [];
      for (const never of ['task', 'webfetch', 'websearch', 'skill'])
        assert.ok(!tools0.includes(never), `${never} is not offered`);
      // One request per reply: no title generation. Its state is beside the worktree, not in it.
      assert.equal(w.api.requests.length, 4);
      assert.ok(
        existsSync(join(w.home, '.local', 'share', 'opencode', 'opencode.db')),
        "its state is in the agent's home",
      );
      assert.equal(
        execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: w.repo, encoding: 'utf8' })
          .split('\n')
          .filter((l) => l && !/ (db|server)\/|\.env|opencode\.json|RULES\.md/.test(l))
          .join('\n'),
        '',
      );
    },
  },
  readOnly: {
    title:
      "not even offered bash, write or edit, a command and a write both refused by opencode itself, the answer's schema in its instructions",
    script: sequence(
      opencodeSays.shell('echo x > db/x.sql'),
      opencodeSays.write({ 'db/y.sql': 'y' }),
      opencodeSays.answer({ verdict: 'approved', issues: [] }),
    ),
    request: {
      finalSchema: {
        type: 'object',
        properties: { verdict: { type: 'string' }, issues: { type: 'array' } },
        required: ['verdict', 'issues'],
      },
    },
    check(w) {
      const first = w.api.requests[0]!.wire;
      assert.deepEqual(
        first.tools
          ?.map((t) => t.function.name)
          .filter((name) => ['bash', 'write', 'edit', 'apply_patch', 'task', 'webfetch'].includes(name)),
        [],
      );
      assert.match(
        toolOutputs(w.api.requests[1]!).join('\n'),
        /unavailable tool 'bash'/,
        'the reviewer cannot run commands',
      );
      assert.match(toolOutputs(w.api.requests[2]!).join('\n'), /unavailable tool 'write'/, 'nor write');
      assert.ok(!existsSync(join(w.repo, 'db/x.sql')) && !existsSync(join(w.repo, 'db/y.sql')));
      assert.match(
        String(first.messages[0]!.content),
        /Your final answer[\s\S]*"required":\["verdict","issues"\]/,
        "the answer's schema is in its instructions",
      );
    },
  },
  wrongKey: {
    script: () => fault.auth(),
    env: { OPENAI_API_KEY: 'sk-wrong-key-for-the-test' },
    detail: /401/,
    advice: /opencode auth login/,
  },
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
    writeFileSync(
      join(home, '.local', 'share', 'opencode', 'auth.json'),
      '{"anthropic":{"type":"api","key":"sk-in-the-file-5678"}}',
    );
    const byFile = await detectCliAgent('opencode', { env, home, timeoutMs: 60_000 });
    assert.deepEqual([byFile.signedIn, byFile.signedInBy], [true, '~/.local/share/opencode/auth.json']);
    assert.doesNotMatch(JSON.stringify(byFile), /sk-in-the-file/);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test("native rules from owns: opencode's wildcards allow at least what the globs allow, protected paths and the deny list last", () => {
  assert.deepEqual(ownsPatterns('db/**'), ['db/**']);
  assert.deepEqual(ownsPatterns('**/*.py'), ['**/*.py', '*.py']);
  assert.deepEqual(ownsPatterns('web/{src,test}/**'), ['web/*']);
  assert.deepEqual(ownsPatterns('{a,b}.json'), ['*']);
  const layer = permissionsOf(['db/**'], ['.env*']) as Record<string, Record<string, string> | string>;
  assert.deepEqual(Object.entries(layer.edit!), [
    ['*', 'deny'],
    ['db/**', 'allow'],
    ['.git/**', 'deny'],
    ['*/.git/**', 'deny'],
    ['.claude/**', 'deny'],
    ['*/.claude/**', 'deny'],
    ['.vscode/**', 'deny'],
    ['*/.vscode/**', 'deny'],
    ['.gitignore', 'deny'],
    ['*/.gitignore', 'deny'],
    ['.git*', 'deny'],
    ['*/.git*', 'deny'],
  ]);
  assert.deepEqual(layer.read, { '*': 'allow', '.env*': 'deny', '*/.env*': 'deny' });
  assert.equal(layer.bash, 'allow');
  const readOnly = permissionsOf([], []) as Record<string, unknown>;
  assert.deepEqual(
    [readOnly.edit, readOnly.bash, readOnly.task, readOnly.external_directory],
    [{ '*': 'deny' }, 'deny', 'deny', 'deny'],
  );
  // OPENAI_BASE_URL becomes the `orchestrator` provider; provider/model ids stay opencode's own.
  assert.equal(providerOf({ OPENAI_BASE_URL: 'http://127.0.0.1:1/v1' }, 'm1').model, 'orchestrator/m1');
  assert.deepEqual(providerOf({ OPENAI_BASE_URL: 'http://127.0.0.1:1/v1' }, 'anthropic/claude-sonnet-4-5'), {
    model: 'anthropic/claude-sonnet-4-5',
  });
  assert.deepEqual(providerOf({}, 'anthropic/claude-sonnet-4-5'), { model: 'anthropic/claude-sonnet-4-5' });
  // The final answer in the last text: plain JSON, a fence, or braces in prose.
  assert.deepEqual(answerIn('{"a":1}'), { a: 1 });
  assert.deepEqual(answerIn('Here:\n```json\n{"a":2}\n```\n'), { a: 2 });
  assert.deepEqual(answerIn('I conclude {"a":3} as asked.'), { a: 3 });
  assert.equal(answerIn('no json'), 'no json');
});
