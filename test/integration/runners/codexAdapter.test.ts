// The Codex adapter on its own: the shared adapter suite played on the real Codex CLI (from npm)
// against the scripted Responses API server, with Codex's native controls (permission profile, no
// network, approvals never), its stream mapped to ours, usage per model response, resume, a
// read-only reviewer with the strict answer schema, the turn limit, failures.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { codexAdapter } from '../../../src/core/runners/codex/codexAdapter';
import { startResponsesApiServer, type ResponsesApiServer } from '../../support/responsesApiServer';
import { fault, sequence } from '../../support/messagesApiServer';
import { codexSays, lastPrompt, systemText, toolOutputs } from '../../support/codexCalls';
import { adapterSuite } from '../../support/runners/adapterSuite';
import { leftoverHelpers } from '../../../src/core/runners/codex/leftovers';

const KEY = 'sk-test-codex-not-a-real-key-0000';
const PRODUCTS = 'create table products (id int, name text);\n';

adapterSuite<ResponsesApiServer>({
  name: 'Codex',
  adapter: codexAdapter,
  command: resolve('node_modules/.bin/codex'),
  model: 'gpt-5.5',
  serve: (script) => startResponsesApiServer(script, { apiKey: KEY }),
  env: (api) => ({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: api.url }),
  // A private temp folder, as the runner gives (cliAgent): Codex makes no helper binaries under
  // TMPDIR, and with bubblewrap installed it needs its codex-linux-sandbox alias in CODEX_HOME.
  privateTmp: true,
  files: { '.env': 'DB_PASSWORD=hunter2-secret\n' },
  prompt: () => 'Add the products table.',
  system: 'MARKER-database: you are the database agent of Orchestrator.',
  finalSchema: {
    type: 'object',
    properties: {
      status: { type: 'string', enum: ['done', 'blocked'] },
      summary: { type: 'string' },
      needs: {
        type: 'object',
        properties: { layer: { type: 'string' }, request: { type: 'string' } },
        required: ['layer', 'request'],
      },
    },
    required: ['status', 'summary'],
  },
  session: /^[0-9a-f-]{36}$/,
  lastPrompt,
  shell: codexSays.shell,
  turn: {
    refuses: 'its own sandbox refuses server/ and .env',
    script: sequence(
      codexSays.patch({ 'db/products.sql': PRODUCTS }),
      codexSays.patch({ 'server/products.js': 'module.exports = {};\n' }),
      // Each command the model reads the output of ends alive for a moment: Codex's unified exec can
      // miss the output of a command that exits at once on a loaded machine (openai/codex#7905).
      codexSays.shell('cat .env; echo hacked > server/app.js; echo ok; sleep 0.5'),
      codexSays.done('Added the products table.'),
    ),
    final: { status: 'done', summary: 'Added the products table.' }, // needs: null means absent
    turns: 4,
    wrote: { 'db/products.sql': PRODUCTS, 'server/app.js': 'module.exports = {};\n' },
    refused: ['server/products.js'],
    // A patch Codex refuses emits no file_change item: only the model hears of it (below).
    tools: ['apply_patch:ok', 'shell:ok'],
    metered: (e) => e.usage.input + e.usage.cacheRead > 0 && e.usage.output > 0,
    check(w) {
      // Codex itself refused what its profile does not allow.
      assert.match(toolOutputs(w.api.requests[2]!).join('\n'), /patch rejected: writing outside of the project/);
      const shell = toolOutputs(w.api.requests[3]!).join('\n');
      assert.match(shell, /\.env: Permission denied/);
      assert.match(shell, /server\/app\.js: Read-only file system/);
      assert.doesNotMatch(JSON.stringify(w.api.requests.map((r) => r.body)), /hunter2-secret/);
      // What Codex sent: our instructions as its developer text, the strict answer schema, only /v1/responses.
      const first = w.api.requests[0]!;
      assert.match(systemText(first), /MARKER-database/);
      assert.equal(lastPrompt(first), 'Add the products table.');
      const format = first.wire.text?.format as {
        type: string;
        strict: boolean;
        schema: { required: string[]; properties: { needs: { anyOf: unknown[] } } };
      };
      assert.equal(format.type, 'json_schema');
      assert.equal(format.strict, true);
      assert.deepEqual(format.schema.required, ['status', 'summary', 'needs']);
      assert.deepEqual(format.schema.properties.needs.anyOf.at(-1), { type: 'null' });
      assert.deepEqual(w.api.strays, []);
      assert.ok(w.api.requests.every((r) => r.headers.authorization === `Bearer ${KEY}`));
    },
  },
  readOnly: {
    title: "Codex's :read-only profile, nothing written, the answer checked by us",
    script: sequence(
      codexSays.shell('echo x > db/x.sql; ls db; sleep 0.5'),
      codexSays.answer({ verdict: 'approved', issues: [], criteria: null }),
    ),
    request: {
      finalSchema: {
        type: 'object',
        properties: { verdict: { type: 'string' }, issues: { type: 'array' }, criteria: { type: 'array' } },
        required: ['verdict', 'issues'],
      },
    },
    check(w) {
      assert.ok(!existsSync(join(w.repo, 'db/x.sql')));
      assert.match(toolOutputs(w.api.requests[1]!).join('\n'), /Read-only file system/);
      // The review's answer schema made strict: every property required (criteria may be null).
      const format = w.api.requests[0]!.wire.text?.format as { schema: { required: string[] } };
      assert.deepEqual([...format.schema.required].sort(), ['criteria', 'issues', 'verdict']);
    },
  },
  wrongKey: { script: () => fault.auth(), env: { OPENAI_API_KEY: 'sk-wrong' }, advice: /codex login|OPENAI_API_KEY/ },
  // No Codex helper (its patch helper's bubblewrap session) outlives it.
  leftIn: leftoverHelpers,
});
