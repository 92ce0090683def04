/**
 * `demo:scripted`: the demo's model (`orchestrator demo`, VS Code's Try the Demo). The real
 * Anthropic client talks to the demo server in this process: no key, no network, no cost.
 */
import { messagesApiClient } from '../anthropic/provider';
import { ProviderError, type ModelProvider } from '../provider';
import { demoServer } from './demoServer';

export const DEMO_PROVIDER = 'demo';
export const DEMO_MODEL = `${DEMO_PROVIDER}:scripted`;

export const demoProvider: ModelProvider = {
  id: DEMO_PROVIDER,
  label: "the demo's scripted model",
  listed: false,
  prices: (model) =>
    model === 'scripted' ? { source: 'demo', estimated: false, price: { input: 0, output: 0 } } : undefined,
  async open(models) {
    const unknown = models.find((model) => model !== 'scripted');
    if (unknown)
      throw new ProviderError(
        `Unknown model "${DEMO_PROVIDER}:${unknown}": the demo has one model, ${DEMO_MODEL}`,
        unknown,
      );
    const server = await demoServer();
    return { client: messagesApiClient({ apiKey: server.apiKey, baseURL: server.url }), secrets: [] };
  },
};
