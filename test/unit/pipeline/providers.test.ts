// A model per role, across providers (issue 12): Claude and OpenAI-compatible agents in one
// run, cost per agent and per provider (requests where no price is known), one budget across
// providers, limits.maxRequests, honest errors before any call, and a host-contributed provider.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engine } from '../../../src/core/engine';
import { createAnthropicClient } from '../../../src/core/llm/anthropic/client';
import type { ModelProvider } from '../../../src/core/llm/provider';
import { agentOfRequest } from '../../support/agentCalls';
import type { ChatServerOptions } from '../../support/chatCompletionsServer';
import { TEST_KEYS } from '../../support/modelServer';
import { productAgents } from '../../support/engine/agentScript';
import { journalOf } from '../../support/engine/harness';
import { mixedRun, refusedBeforeAnyCall, withModels } from '../../support/engine/mixedProviders';
import { withLimit } from '../../support/engine/shopWorkspace';

const product = productAgents();
const openaiAt = (url: string, pricing = '') => `\nproviders:\n  openai:\n    baseURL: "${url}"\n${pricing}`;
const served = (requests: { body: Parameters<typeof agentOfRequest>[0]['body'] }[]) =>
  [...new Set(requests.map((r) => agentOfRequest(r as never)))].sort();

test('each role on its own provider: one run, cost per agent and per provider, requests where no price is known, one budget', async () => {
  const h = await mixedRun(product, (yaml, url) =>
    withModels(
      { backend: 'openai:gpt-test', review: 'openai:local-coder', spec: 'claude-opus-5-5' },
      openaiAt(url, 'pricing:\n  "openai:gpt-test": { input: 1.5, output: 6 }\n'),
    )(yaml),
  );
  try {
    const summary = await engine.runFeature('Add a Product entity with name and price', h.options());
    assert.equal(summary.status, 'completed', summary.error);
    assert.deepEqual(served(h.openai.requests), ['backend', 'review']);
    assert.deepEqual(served(h.anthropic.requests), ['database', 'frontend', 'spec']);
    assert.deepEqual(h.openai.requests.map((r) => r.wire.model).sort(), ['gpt-test', 'gpt-test', 'local-coder']);

    assert.equal(summary.byAgent.backend!.provider, 'openai');
    assert.ok(summary.byAgent.backend!.costUsd > 0 && summary.byAgent.backend!.unpricedRequests === 0);
    assert.deepEqual(summary.byAgent.review, { provider: 'openai', costUsd: 0, requests: 1, unpricedRequests: 1 });
    assert.equal(summary.byAgent.spec!.provider, 'anthropic');
    assert.deepEqual(Object.keys(summary.byProvider).sort(), ['anthropic', 'openai']);
    assert.equal(summary.byProvider.openai!.requests, 3);
    assert.equal(summary.byProvider.openai!.unpricedRequests, 1);
    assert.equal(summary.requests, h.anthropic.requests.length + h.openai.requests.length);
    assert.equal(summary.unpricedRequests, 1);
    const total = summary.byProvider.anthropic!.costUsd + summary.byProvider.openai!.costUsd;
    assert.ok(Math.abs(summary.costUsd - total) < 1e-9, 'the budget counts across providers');
    assert.ok(
      h.host
        .ofType('log')
        .some((e) =>
          /^openai:local-coder has no price .*the review agent \(models\.agents\.review\); set limits\.maxRequests to cap them\.$/.test(
            e.message,
          ),
        ),
    );
  } finally {
    await h.close();
  }
});

test('limits.maxRequests caps the calls of models without a price; the run stops with the budget report', async () => {
  const h = await mixedRun(product, (yaml, url) =>
    withLimit(
      'maxRequests',
      3,
    )(
      withModels(
        { spec: 'openai:local-coder', review: 'openai:local-coder' },
        openaiAt(url),
      )(yaml.replace('default: claude-sonnet-5-5', 'default: openai:local-coder')),
    ),
  );
  try {
    const summary = await engine.runFeature('Add a Product entity with name and price', h.options());
    assert.equal(summary.status, 'stopped');
    assert.equal(h.openai.requests.length, 3, 'no call starts once the cap is reached');
    assert.equal(h.anthropic.requests.length, 0);
    assert.match(
      summary.report!,
      /## Pipeline stopped: budget reached\n- Spent: \$0\.0000 of \$5\.00 \(limits\.maxBudgetUsd\)\n- Requests without a known price: 3 of 3 \(limits\.maxRequests\)/,
    );
    assert.match(summary.report!, /Raise limits\.maxRequests/);
    assert.deepEqual(
      journalOf(h.shop, summary.runId)
        .filter((e) => e.type === 'budget.exceeded')
        .map((e) => [e.unpricedRequests, e.maxRequests]),
      [[3, 3]],
    );
  } finally {
    await h.close();
  }
});

test('honest errors before any call, naming the agent and the config key', async () => {
  const cases: [string, (yaml: string, url: string) => string, RegExp][] = [
    [
      'an unknown provider',
      (yaml) => withModels({ review: 'azure:gpt-4o' })(yaml),
      /^Unknown model provider "azure:" in "azure:gpt-4o", the model of the review agent \(models\.agents\.review\)\. Use a Claude model id, or one of anthropic:, openai:\. No model call was made\.$/,
    ],
    [
      "the editor's models outside VS Code",
      (yaml) => withModels({ backend: 'vscode-lm:copilot/gpt-4o' })(yaml),
      /"vscode-lm:".*the backend agent \(models\.agents\.backend\).*available inside VS Code only/,
    ],
    [
      'a model the endpoint does not serve',
      (yaml, url) => withModels({ review: 'openai:gpt-nope' }, openaiAt(url))(yaml),
      /^Unknown model "gpt-nope" on http:\/\/127\.0\.0\.1:\d+\/v1; it serves: gpt-test, local-coder — the model of the review agent \(models\.agents\.review\)\. No model call was made\.$/,
    ],
    [
      'a missing key for a hosted endpoint',
      (yaml) => withModels({ backend: 'openai:gpt-test' }, openaiAt('https://gateway.example.com/v1'))(yaml),
      /^No key for the OpenAI-compatible endpoint https:\/\/gateway\.example\.com\/v1: set OPENAI_API_KEY .* — the model of the backend agent \(models\.agents\.backend\)\./,
    ],
    [
      'a Claude id with no price',
      (yaml) => withModels({ spec: 'claude-nonesuch-1' })(yaml),
      /No price is known for model "claude-nonesuch-1".* — the model of the spec agent \(models\.agents\.spec\)/,
    ],
  ];
  for (const [what, config, message] of cases) {
    const h = await mixedRun(product, config, { models: ['gpt-test', 'local-coder'] });
    try {
      h.host.providerKeys = {};
      await refusedBeforeAnyCall(h, engine.runFeature('Add a Product entity', h.options()), what, message);
    } finally {
      await h.close();
    }
  }
});

test("a model that cannot call tools stops before any call where the endpoint says so (model list, Ollama's /api/show), naming the agent and the key", async () => {
  const says: [NonNullable<ChatServerOptions['describes']>, RegExp][] = [
    ['supported-parameters', /its entry in GET \/models lists supported_parameters: max_tokens, temperature, stop\)/],
    ['capabilities', /its entry in GET \/models lists capabilities: none\)/],
    ['ollama-show', /Ollama's \/api\/show lists its capabilities: completion\)/],
  ];
  for (const [describes, how] of says) {
    const h = await mixedRun(
      product,
      (yaml, url) => withModels({ backend: 'openai:gpt-test', frontend: 'openai:local-coder' }, openaiAt(url))(yaml),
      {
        toolless: ['local-coder'],
        describes,
        models: ['gpt-test', 'local-coder'],
      },
    );
    try {
      await assert.rejects(
        engine.runFeature('Add a Product entity with name and price', h.options()),
        (error: Error & { code?: string }) => {
          assert.equal(error.code, 'E_CONFIG', `${describes}: ${error.message}`);
          assert.match(
            error.message,
            /^The model "local-coder" on http:\/\/127\.0\.0\.1:\d+\/v1 cannot call tools, which every Orchestrator agent needs \(/,
            describes,
          );
          assert.match(error.message, how, describes);
          assert.match(
            error.message,
            /Choose a model that supports tool calls \(function calling\) — the model of the frontend agent \(models\.agents\.frontend\)\. No model call was made\.$/,
            describes,
          );
          return true;
        },
      );
      assert.equal(h.anthropic.requests.length + h.openai.requests.length, 0, `${describes}: no model call`);
    } finally {
      await h.close();
    }
  }
});

test('a model that cannot call tools, on an endpoint that does not say so, stops the run at its first call, naming the agent and the key', async () => {
  const h = await mixedRun(product, (yaml, url) => withModels({ backend: 'openai:gpt-test' }, openaiAt(url))(yaml), {
    tools: false,
  });
  try {
    const summary = await engine.runFeature('Add a Product entity with name and price', h.options());
    assert.equal(summary.status, 'stopped');
    assert.match(
      summary.report!,
      /^## Pipeline stopped: the model cannot be used\n### Agent: backend\n- Model: openai:gpt-test \(models\.agents\.backend\)\n- Error: .*does not support tools/,
    );
    assert.match(summary.report!, /Choose a model that supports tool calls in models\.agents\.backend/);
    assert.equal(h.openai.requests.length, 1, 'not retried');
  } finally {
    await h.close();
  }
});

test('a host contributes a provider by prefix (RunOptions.providers): its models run like any other', async () => {
  const opened: string[][] = [];
  const h = await mixedRun(product, (yaml) => withModels({ review: 'vscode-lm:copilot/claude-sonnet-5-5' })(yaml));
  // A stand-in for the extension's vscode-lm provider: the editor's model is reached here through the Messages-API server.
  const editorModels: ModelProvider = {
    id: 'vscode-lm',
    label: "the editor's language models",
    async open(models) {
      opened.push([...models]);
      return { client: createAnthropicClient({ apiKey: TEST_KEYS.anthropic, baseURL: h.anthropic.url }), secrets: [] };
    },
  };
  try {
    const summary = await engine.runFeature(
      'Add a Product entity with name and price',
      h.options({ providers: [editorModels] }),
    );
    assert.equal(summary.status, 'completed', summary.error);
    assert.deepEqual(opened, [['copilot/claude-sonnet-5-5']], 'opened once, before any call, with its model names');
    const review = h.anthropic.requests.filter((r) => agentOfRequest(r) === 'review');
    assert.deepEqual(
      review.map((r) => r.body.model),
      ['copilot/claude-sonnet-5-5'],
    );
    assert.deepEqual(summary.byAgent.review, { provider: 'vscode-lm', costUsd: 0, requests: 1, unpricedRequests: 1 });
  } finally {
    await h.close();
  }
});
