import { sameRealm } from '../llmError';
import { OPENAI } from '../modelId';
import { ProviderError, type ModelProvider } from '../provider';
import type * as SdkBundle from './sdkBundle';
import { askOllama } from './toolSupport';

/**
 * Loaded on first use: scripts/build.mjs turns this require into `require("./openai.js")`,
 * dist/openai.js beside dist/engine.js; from source (tsx) it loads the TypeScript module.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadSdk = (): typeof SdkBundle => require('./sdkBundle') as typeof SdkBundle;

/** Hosted endpoints speak https and want a key; a local or LAN server (Ollama, vLLM, LM Studio) on plain http usually takes none. */
const needsKey = (baseURL: string | undefined): boolean => !baseURL || baseURL.startsWith('https:');

const KEY_HELP = 'set OPENAI_API_KEY (or store one with "Orchestrator: Set OpenAI-Compatible API Key")';

/**
 * `openai:<model>`: any OpenAI-compatible Chat Completions endpoint, `providers.openai.baseURL`
 * (OpenAI's API by default), the key from the host (OPENAI_API_KEY, the editor's SecretStorage).
 * Before any model call the endpoint's model list is checked for every model the run uses
 * (where the endpoint lists them), and that each can call tools, where the endpoint says
 * (toolSupport.ts). Prices come from the config's `pricing` only.
 */
export const openaiProvider: ModelProvider = {
  id: OPENAI,
  label: 'the OpenAI-compatible endpoint',
  async open(models, setup) {
    const baseURL = setup.config.providers.openai.baseURL;
    const endpoint = baseURL ?? 'https://api.openai.com/v1';
    const apiKey = (await setup.host.getProviderKey?.(OPENAI))?.trim() || undefined;
    if (!apiKey && needsKey(baseURL))
      throw new ProviderError(`No key for the OpenAI-compatible endpoint ${endpoint}: ${KEY_HELP}.`, undefined, true);
    const sdk = loadSdk();
    // The SDK insists on a key; a keyless local server ignores this one.
    const client = sdk.createOpenAIClient({ apiKey: apiKey ?? 'no-key', ...(baseURL ? { baseURL } : {}) });
    const list = await sdk.listModels(client.sdk, setup.signal);
    if ('unreachable' in list)
      throw new ProviderError(
        `Cannot reach the OpenAI-compatible endpoint ${endpoint} (providers.openai.baseURL): ${list.unreachable}`,
      );
    if ('refused' in list)
      throw new ProviderError(
        `The OpenAI-compatible endpoint ${endpoint} refused the key (${list.refused}): ${KEY_HELP}`,
        undefined,
        // No key given and the endpoint wants one: the stop lists the other ways in, as for a hosted endpoint.
        !apiKey,
      );
    const listed = 'models' in list ? list.models : undefined;
    if (listed) {
      for (const model of models) {
        if (listed.has(model) || listed.has(`${model}:latest`)) continue;
        const some = [...listed.keys()].slice(0, 12).join(', ');
        throw new ProviderError(
          `Unknown model "${model}" on ${endpoint}; it serves: ${some || 'no models'}${listed.size > 12 ? ', …' : ''}`,
          model,
        );
      }
    }
    await Promise.all(
      models.map(async (model) => {
        const support =
          listed?.get(model) ??
          listed?.get(`${model}:latest`) ??
          (baseURL && !needsKey(baseURL) ? await askOllama(baseURL, model, apiKey, setup.signal) : undefined);
        if (support && !support.tools) {
          throw new ProviderError(
            `The model "${model}" on ${endpoint} cannot call tools, which every Orchestrator agent needs (${support.source}). Choose a model that supports tool calls (function calling)`,
            model,
          );
        }
      }),
    );
    // dist/openai.js has its own copy of LlmError: its errors are made the engine's own.
    const send: typeof client.send = (request) =>
      client.send(request).catch((error: unknown) => Promise.reject(sameRealm(error)));
    return { client: { send }, secrets: apiKey ? [apiKey] : [] };
  },
};
