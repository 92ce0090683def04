import { sameRealm } from '../llmError';
import { ANTHROPIC } from '../modelId';
import { UnknownModelPriceError } from '../pricing';
import { ProviderError, type ModelProvider } from '../provider';
import type { ModelClient } from '../types';
import type { AnthropicClientOptions } from './client';
import { anthropicPrice } from './prices';
import type * as SdkBundle from './sdkBundle';

/**
 * Loaded on first use: scripts/build.mjs turns this require into `require("./anthropic.js")`,
 * dist/anthropic.js beside dist/engine.js; from source (tsx) it loads the TypeScript module.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadSdk = (): typeof SdkBundle => require('./sdkBundle') as typeof SdkBundle;

/** A Messages API client from the SDK's bundle, whose errors are made the engine's own. */
export function messagesApiClient(options: AnthropicClientOptions): ModelClient {
  const client = loadSdk().createAnthropicClient(options);
  return {
    ...client,
    send: (request) => client.send(request).catch((error: unknown) => Promise.reject(sameRealm(error))),
  };
}

/**
 * Claude models on the Messages API (plain ids, or `anthropic:<id>`). The key comes from the
 * host (ANTHROPIC_API_KEY, the editor's SecretStorage), the endpoint from RunOptions.baseURL
 * (ANTHROPIC_BASE_URL). A model must have a price, built in or in `pricing:`: an id that
 * has none is most likely a typo, and the budget depends on it.
 */
export const anthropicProvider: ModelProvider = {
  id: ANTHROPIC,
  label: 'the Anthropic API',
  prices: anthropicPrice,
  async open(models, setup) {
    for (const model of models) {
      if (!setup.pricing.priceFor(model)) throw new ProviderError(new UnknownModelPriceError(model).message, model);
    }
    const apiKey = await setup.host.getApiKey();
    if (!apiKey)
      throw new ProviderError(
        'No Anthropic API key: set ANTHROPIC_API_KEY (or store a key in the editor).',
        undefined,
        true,
      );
    return {
      client: messagesApiClient({ apiKey, ...(setup.baseURL ? { baseURL: setup.baseURL } : {}) }),
      secrets: [apiKey],
    };
  },
};
