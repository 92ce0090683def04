// An OpenAI-compatible endpoint (`openai:<model>`) inside VS Code, mixed with Claude: the
// backend agent on a Chat Completions test server started here in the extension host, every
// other agent on the runner's Messages API server. The SDK's own bundle (dist/openai.js) loads
// in the extension host; the key comes from "Set OpenAI-Compatible API Key" (SecretStorage);
// a refused key stops before any model call with one message naming the agent and the key.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { PRODUCT_MODULE, PRODUCT_REQUEST, productAgents } from '../../../bench/support/productFeature';
import { scriptedAgents } from '../../../bench/support/scriptedAgents';
import { startChatCompletionsServer, type ChatCompletionsServer } from '../../support/chatCompletionsServer';
import { api, requireApi } from '../support/api';
import { git, read, wsPath } from '../support/files';
import { activated, run, start, until, view, within } from '../support/host';
import { probe } from '../support/probe';
import { userApprovingSchemaChanges } from '../support/featureRun';
import { FakeUser } from '../support/ui';
import { userPerTest } from '../support/userPerTest';

const MODEL = 'openai:gpt-test';

suite('OpenAI-compatible endpoint (openai:)', function () {
  this.timeout(180_000);
  const envKey = process.env.OPENAI_API_KEY;
  const key = `orch-openai-key-${randomBytes(12).toString('hex')}`;
  const agents = scriptedAgents(productAgents(), 0);
  let chat: ChatCompletionsServer;

  suiteSetup(async function () {
    requireApi(this);
    probe().secrets.add(key);
    chat = await startChatCompletionsServer(agents.script, { apiKey: key, models: ['gpt-test'] });
    await activated();
    git('checkout', '--', '.');
    git('clean', '-fdq');
    writeFileSync(
      wsPath('.claude/orchestrator.yaml'),
      `${read('.claude/orchestrator.yaml').trimEnd()}\nproviders:\n  openai:\n    baseURL: "${chat.url}"\npricing:\n  "${MODEL}": { input: 2, output: 8 }\n`,
    );
    await vscode.workspace
      .getConfiguration('orchestrator')
      .update('models.agents', { backend: MODEL }, vscode.ConfigurationTarget.Global);
  });
  setup(async () => {
    delete process.env.OPENAI_API_KEY;
    await api.scenario({ name: 'product' });
  });
  const user = userPerTest({ user: userApprovingSchemaChanges, endRuns: true });
  suiteTeardown(async () => {
    const u = new FakeUser();
    u.onInput = () => '';
    try {
      await vscode.commands.executeCommand('orchestrator.setOpenAIKey');
    } finally {
      u.restore();
      if (envKey === undefined) delete process.env.OPENAI_API_KEY;
      else process.env.OPENAI_API_KEY = envKey;
    }
    await vscode.workspace
      .getConfiguration('orchestrator')
      .update('models.agents', undefined, vscode.ConfigurationTarget.Global);
    await chat?.close();
    git('checkout', '--', '.');
    git('clean', '-fdq');
  });

  test('a key the endpoint refuses stops the run before any model call: one message naming the agent and the key, with Set OpenAI-Compatible API Key', async () => {
    const from = await api.count();
    await within(start('orchestrator.newFeature', PRODUCT_REQUEST), 30_000, 'New Feature without an OpenAI key');
    assert.equal(await api.count(), from, 'a Messages API request was made');
    assert.equal(chat.requests.length, 0, 'a Chat Completions request was made');
    const errors = user().messages('error');
    assert.equal(errors.length, 1, JSON.stringify(user().shown));
    assert.match(
      errors[0]!.message,
      /^Orchestrator: The OpenAI-compatible endpoint http:\/\/127\.0\.0\.1:\d+\/v1 refused the key \(401\): set OPENAI_API_KEY .* the model of the backend agent \(orchestrator\.models\.agents\["backend"\] \(editor setting\)\)\. No model call was made\.$/,
    );
    assert.deepEqual(errors[0]!.items, ['Set OpenAI-Compatible API Key']);
    assert.equal(view().busy, false);
  });

  test('with the key stored, a run mixes providers: the backend on the endpoint, the rest on Claude; cost per provider in the view', async () => {
    user().onInput = () => key;
    await vscode.commands.executeCommand('orchestrator.setOpenAIKey');
    assert.equal(user().inputBoxes.length, 1);
    assert.equal(user().inputBoxes[0]!.password, true);
    assert.ok(
      user()
        .messages('info')
        .some((m) => /OpenAI-compatible API key saved in SecretStorage/.test(m.message)),
      JSON.stringify(user().shown),
    );

    const from = await api.count();
    const done = start('orchestrator.newFeature', PRODUCT_REQUEST);
    const pending = await until(() => view().pendingDecision, 60_000, 'the spec decision');
    await vscode.commands.executeCommand('orchestrator.approveSpec', pending.id);
    await within(done, 150_000, 'the approved run');

    const r = run();
    assert.equal(r.status, 'completed', `run ended ${r.status}: ${r.error ?? ''} ${r.stop?.report ?? ''}`);
    assert.equal(read('server/entities/product.js'), PRODUCT_MODULE);
    assert.ok(chat.requests.length >= 2, `Chat Completions requests: ${chat.requests.length}`);
    assert.ok(chat.requests.every((q) => q.wire.model === 'gpt-test' && q.headers.authorization === `Bearer ${key}`));
    assert.deepEqual(
      [...new Set(agents.calls.filter((c) => chat.requests.some((q) => q === c.req)).map((c) => c.agent))],
      ['backend'],
    );
    const claude = await api.since(from);
    assert.ok(claude.length > 0, 'no Messages API request');
    assert.deepEqual(
      [...new Set(claude.map((q) => q.agent))].filter((a) => /backend/i.test(a)),
      [],
      'the backend reached the Messages API',
    );
    assert.deepEqual(Object.keys(r.byProvider ?? {}).sort(), ['anthropic', 'openai']);
    assert.equal(r.byProvider!.openai!.requests, chat.requests.length);
    assert.ok(
      r.byProvider!.openai!.costUsd > 0 && r.byProvider!.openai!.unpricedRequests === 0,
      JSON.stringify(r.byProvider),
    );
    assert.ok(
      Math.abs(r.costUsd - r.byProvider!.anthropic!.costUsd - r.byProvider!.openai!.costUsd) < 1e-9,
      'one budget across providers',
    );
  });
});
