import { ANTHROPIC } from '../modelId';
import { UnknownModelPriceError } from '../pricing';
import { ProviderError, type ModelProvider } from '../provider';
import { createAnthropicClient } from './client';
import { anthropicPrice } from './prices';

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
    if (!apiKey) throw new ProviderError('No Anthropic API key: set ANTHROPIC_API_KEY (or store a key in the editor).');
    return { client: createAnthropicClient({ apiKey, ...(setup.baseURL ? { baseURL: setup.baseURL } : {}) }), secrets: [apiKey] };
  },
};
