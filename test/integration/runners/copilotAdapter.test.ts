// The Copilot adapter on its own: the shared adapter suite played on the real Copilot CLI (from
// npm, driven by its SDK over JSON-RPC) against the scripted Messages API server as a provider of
// the user's own, with Copilot's native controls (the tools a role sees, our permission callback),
// its events mapped to ours, usage per model call, resume, the turn limit and the one-line
// failures; and what is Copilot's own: no provider and no token, its retries of a 429.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copilotAdapter } from '../../../src/core/runners/copilot/copilotRunner';
import { fault, reply, startMessagesApiServer, type MessagesApiServer } from '../../support/messagesApiServer';
import {
  COPILOT_COMMAND,
  COPILOT_KEY,
  COPILOT_MODEL,
  copilotSays,
  lastPrompt,
  steps,
  toolNames,
  toolResults,
} from '../../support/runners/copilot';
import { adapterSuite, adapterWorld, type AdapterRunner } from '../../support/runners/adapterSuite';
import { processesIn } from '../../support/runners/claudeCode';

const PRODUCTS = 'create table products (id int, name text);\n';

const copilot: AdapterRunner<MessagesApiServer> = {
  name: 'Copilot',
  adapter: copilotAdapter,
  command: COPILOT_COMMAND,
  model: COPILOT_MODEL,
  serve: (script) => startMessagesApiServer(script, { apiKey: COPILOT_KEY }),
  env: (api) => ({
    COPILOT_PROVIDER_BASE_URL: api.url,
    COPILOT_PROVIDER_TYPE: 'anthropic',
    COPILOT_PROVIDER_API_KEY: COPILOT_KEY,
  }),
  prompt: (repo) => `## TASK\nAdd the products table.\nYou work in ${repo}, a copy of the project made for you.`,
  system: '# You are the DATABASE SPECIALIST of Orchestrator.',
  deny: ['.env*', 'secrets/**'],
  finalSchema: {},
  session: /^[0-9a-f-]{36}$/,
  lastPrompt,
  shell: copilotSays.bash,
  turn: {
    refuses: 'our permission callback refuses server/ and a secret',
    script: steps(
      (req) => copilotSays.create(req, { 'db/products.sql': PRODUCTS }),
      (req) => copilotSays.create(req, { 'server/products.js': 'module.exports = {};\n' }),
      copilotSays.bash('cat secrets/prod.key; echo done'),
      copilotSays.done('Added the products table.'),
    ),
    final: { status: 'done', summary: 'Added the products table.' },
    turns: 4,
    wrote: { 'db/products.sql': PRODUCTS },
    refused: ['server/products.js'],
    tools: ['create:ok', 'create:error', 'bash:error'],
    metered: (e) => e.usage.input + e.usage.cacheRead + e.usage.cacheWrite > 0 && e.usage.output > 0 && !e.unmetered,
    check(w) {
      assert.match(
        toolResults(w.api.requests[2]!),
        /refused by the orchestrator: server\/products\.js is outside your layer's files \(owns: db\/\*\*\)/,
      );
      assert.match(toolResults(w.api.requests[3]!), /refused by the orchestrator: secrets\/prod\.key holds secrets/);
      // What Copilot sent: our instructions appended to its own, the role's tools only, our key, nothing else.
      const first = w.api.requests[0]!;
      const system = JSON.stringify(first.body.system);
      assert.match(system, /You are the DATABASE SPECIALIST/);
      assert.match(system, /your final message must be ONLY the JSON object/);
      assert.equal(
        lastPrompt(first),
        `## TASK\nAdd the products table.\nYou work in ${w.repo}, a copy of the project made for you.`,
      );
      assert.deepEqual(toolNames(first), [
        'bash',
        'create',
        'edit',
        'glob',
        'grep',
        'list_bash',
        'read_bash',
        'stop_bash',
        'view',
      ]);
      assert.ok(w.api.requests.every((r) => r.headers['x-api-key'] === COPILOT_KEY));
      assert.ok(w.api.requests.every((r) => r.path === '/v1/messages'));
    },
  },
  endBetweenTurns: true,
  readOnly: {
    title:
      "no editing tools at all, a shell write is the owns gate's to revert, the answer in a code fence is still read",
    script: steps(copilotSays.bash('ls db'), reply.text('```json\n{"verdict":"approved","issues":[]}\n```')),
    check(w) {
      assert.deepEqual(toolNames(w.api.requests[0]!), [
        'bash',
        'glob',
        'grep',
        'list_bash',
        'read_bash',
        'stop_bash',
        'view',
      ]);
      assert.match(toolResults(w.api.requests[1]!), /schema\.sql/);
    },
  },
  wrongKey: { script: () => fault.auth(), env: { COPILOT_PROVIDER_API_KEY: 'sk-wrong' } },
  // No Copilot process (its SDK server included) nor a command it started outlives its group.
  leftIn: processesIn,
};
adapterSuite(copilot);
const world = adapterWorld(copilot);

test('no provider and no token is "not signed in", before any model call', async () => {
  const w = await world(() => copilotSays.done());
  try {
    const {
      COPILOT_PROVIDER_BASE_URL: _u,
      COPILOT_PROVIDER_TYPE: _t,
      COPILOT_PROVIDER_API_KEY: _k,
      ...bare
    } = w.request().env;
    const result = await copilotAdapter.turn(w.request({ env: bare }));
    assert.equal(result.failure?.kind, 'not-signed-in', JSON.stringify(result.failure));
    assert.match(copilotAdapter.advice('not-signed-in'), /COPILOT_GITHUB_TOKEN/);
    assert.equal(w.api.requests.length, 0);
  } finally {
    await w.done();
  }
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
