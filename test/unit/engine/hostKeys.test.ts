import assert from 'node:assert/strict';
import test from 'node:test';
import { HeadlessHost } from '../../../src/core/headlessHost';
import { keyFromEnv, PROVIDER_KEY_ENV } from '../../../src/core/text/providerKeys';

class BareHost extends HeadlessHost {
  decideSpec = async () => ({ action: 'approve' as const });
  confirm = async () => false;
  onEvent = () => undefined;
}

test("a provider's key is read from its variable one way: trimmed, blank is none, an unknown provider has none", () => {
  const env = { ANTHROPIC_API_KEY: ' sk-ant-1\n', OPENAI_API_KEY: '   ', constructor: 'x' };
  assert.equal(keyFromEnv(env, 'anthropic'), 'sk-ant-1');
  assert.equal(keyFromEnv(env, 'openai'), undefined);
  assert.equal(keyFromEnv(env, 'vscode-lm'), undefined);
  assert.equal(keyFromEnv(env, 'constructor'), undefined, "a name of the table's prototype is no provider");
  assert.deepEqual(Object.keys(PROVIDER_KEY_ENV).sort(), ['anthropic', 'openai']);
});

test('the headless hosts take their keys by that rule, and trust their folder', async () => {
  const host = new BareHost({ ANTHROPIC_API_KEY: 'sk-ant-2 ', OPENAI_API_KEY: 'sk-oa' });
  assert.equal(await host.getApiKey(), 'sk-ant-2');
  assert.equal(await host.getProviderKey('openai'), 'sk-oa');
  assert.equal(await new BareHost({}).getApiKey(), undefined);
  assert.equal(host.isTrusted(), true);
});
