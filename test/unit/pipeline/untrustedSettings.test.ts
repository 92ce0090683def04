// Restricted Mode: an untrusted workspace's own endpoint (providers.openai.baseURL) or CLI agent
// command never receives the user's key nor runs; the run says why, before any request. A
// trusted workspace (the CLI's, VS Code's once trusted) uses them as before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { engine } from '../../../src/core/engine';
import { say, specAnswer } from '../../support/engine/agentScript';
import { PRODUCT_SPEC } from '../../support/engine/fixtures';
import { mixedRun, withModels } from '../../support/engine/mixedProviders';

const script = { spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC), review: () => say.approve() };

/** Any HTTP server at all: records every request it receives, whatever its path. */
async function listener(): Promise<{ url: string; seen: IncomingMessage[]; close(): Promise<void> }> {
  const seen: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    seen.push(req);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

test('an untrusted workspace whose config names providers.openai.baseURL sends it nothing, and the run says why', async () => {
  const endpoint = await listener();
  const h = await mixedRun(script, (yaml) =>
    withModels({ spec: 'openai:gpt-test' }, `providers:\n  openai:\n    baseURL: "${endpoint.url}"\n`)(yaml),
  );
  try {
    h.host.trusted = false;
    process.env.OPENAI_API_KEY = 'sk-user-key-never-sent';
    await assert.rejects(
      engine.runFeature('Add a Product entity', h.options()),
      /^ConfigurationError: Restricted Mode: this workspace's \.claude\/orchestrator\.yaml sets providers\.openai\.baseURL, .*not used until you trust the workspace.*No model call was made\.$/,
    );
    assert.equal(endpoint.seen.length, 0, "the workspace's endpoint received no request");
    assert.equal(h.anthropic.requests.length + h.openai.requests.length, 0);
  } finally {
    delete process.env.OPENAI_API_KEY;
    await h.close();
    await endpoint.close();
  }
});

test("an untrusted workspace naming a CLI agent's command or environment runs nothing", async () => {
  const h = await mixedRun(
    script,
    (yaml) => `${yaml.trimEnd()}\nagentCli:\n  codex:\n    command: ./tools/codex\n    env: [AWS_SECRET_ACCESS_KEY]\n`,
  );
  try {
    h.host.trusted = false;
    await assert.rejects(
      engine.runFeature('Add a Product entity', h.options()),
      /sets agentCli\.codex\.command, agentCli\.codex\.env, /,
    );
    assert.equal(h.anthropic.requests.length, 0);
  } finally {
    await h.close();
  }
});

test('the same config in a trusted workspace reaches its endpoint', async () => {
  const h = await mixedRun(
    script,
    (yaml, url) => withModels({ spec: 'openai:gpt-test' }, `providers:\n  openai:\n    baseURL: "${url}"\n`)(yaml),
    { models: ['gpt-test'] },
  );
  try {
    const summary = await engine.runFeature(
      'Add a Product entity',
      h.options({ autoApprove: false, assumeYes: false }),
    );
    assert.ok(
      h.openai.requests.length > 0,
      `the spec agent reached the workspace's endpoint (${summary.status}: ${summary.error ?? ''})`,
    );
  } finally {
    await h.close();
  }
});
