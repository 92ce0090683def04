/**
 * The model test server of a provider, behind one face, so the engine suite runs against each
 * (docs/architecture.md): `anthropic` → the Messages-API server, `openai` → the Chat Completions
 * server. Both take the same scripts and record requests in the same (Messages API) shape.
 * ORCH_TEST_PROVIDER picks the provider of a whole test run (`npm run test:unit:openai`).
 */
import { BUILT_IN_PRICES } from '../../src/core/llm/anthropic/prices';
import { startChatCompletionsServer, type ChatServerOptions } from './chatCompletionsServer';
import { startMessagesApiServer, type ServerOptions } from './messagesApiServer';
import type { Script } from './messagesApi/types';
import type { ScriptedModelServer } from './modelApi/scriptedServer';

export type TestProvider = 'anthropic' | 'openai';

export const TEST_PROVIDER: TestProvider = process.env.ORCH_TEST_PROVIDER === 'openai' ? 'openai' : 'anthropic';

/** The key each test server expects of its provider (never a real one). */
export const TEST_KEYS: Record<TestProvider, string> = {
  anthropic: 'sk-test-not-a-real-key-0000',
  openai: 'sk-test-openai-not-a-real-key-0000',
};

/** The environment variable that holds each provider's key (for messages and the CLI). */
export const KEY_VARIABLE: Record<TestProvider, string> = { anthropic: 'ANTHROPIC_API_KEY', openai: 'OPENAI_API_KEY' };

/** Where a run under another provider sends a stray Anthropic call: nowhere (never the real API). */
export const UNREACHABLE_URL = 'http://127.0.0.1:9';

/** `url` is RunOptions.baseURL (anthropic) or providers.openai.baseURL (openai). */
export interface ModelServer extends ScriptedModelServer {
  provider: TestProvider;
}

export type ModelServerOptions = Pick<
  ServerOptions & ChatServerOptions,
  'contextWindow' | 'usage' | 'tools' | 'models'
> & { requireKey?: boolean };

export async function startModelServer(
  provider: TestProvider,
  script: Script,
  options: ModelServerOptions = {},
): Promise<ModelServer> {
  const { requireKey, ...rest } = options;
  if (provider === 'anthropic') {
    const api = await startMessagesApiServer(script, {
      ...(rest.contextWindow !== undefined ? { contextWindow: rest.contextWindow } : {}),
      ...(requireKey ? { apiKey: TEST_KEYS.anthropic } : {}),
    });
    return { provider, ...api };
  }
  // The "gateway" serves every Claude model id under its own name, and lists them.
  const chat = await startChatCompletionsServer(script, {
    models: Object.keys(BUILT_IN_PRICES),
    ...rest,
    ...(requireKey ? { apiKey: TEST_KEYS.openai } : {}),
  });
  return { provider, ...chat };
}

/**
 * A shop config moved onto `provider`: every Claude model id becomes `openai:<id>` served by
 * the test server, priced as the Claude model, so budgets and costs behave alike. Any model
 * that is not a Claude id (a test's deliberate typo…) is left as it is.
 */
export function configFor(provider: TestProvider, url: string): (yaml: string) => string {
  if (provider === 'anthropic') return (yaml) => yaml;
  return (yaml) => {
    const ids = new Set<string>();
    const moved = yaml.replace(
      /^(\s*[A-Za-z0-9_-]+:\s*)(claude-[a-z0-9-]+)(\s*(#.*)?)$/gm,
      (_line, key: string, id: string, rest: string) => {
        ids.add(id);
        return `${key}openai:${id}${rest}`;
      },
    );
    const prices = [...ids].map((id) => {
      const { input, output, cacheWrite, cacheRead } = BUILT_IN_PRICES[id] ?? { input: 3, output: 15 };
      return `  "openai:${id}": ${JSON.stringify({ input, output, ...(cacheWrite !== undefined ? { cacheWrite } : {}), ...(cacheRead !== undefined ? { cacheRead } : {}) })}`;
    });
    return `${moved.trimEnd()}\n\nproviders:\n  openai:\n    baseURL: "${url}"\n${prices.length > 0 ? `\npricing:\n${prices.join('\n')}\n` : ''}`;
  };
}
