// One pipeline test's world: a shop workspace, the model test server of the provider under
// test (ORCH_TEST_PROVIDER: the Messages-API server, or the Chat Completions one with the
// config moved onto `openai:` models) scripted per agent, an in-memory host, and RunOptions
// pointing the real SDK at the server.
import type { RunOptions } from '../../../src/core/api';
import {
  configFor,
  KEY_VARIABLE,
  startModelServer,
  TEST_PROVIDER,
  UNREACHABLE_URL,
  type ModelServer,
  type ModelServerOptions,
  type TestProvider,
} from '../modelServer';
import { pipelineScript, type AgentScript, type PipelineScript } from './agentScript';
import { makeShop, type ShopOptions, type ShopWorkspace } from './shopWorkspace';
import { TestHost } from './testHost';

export interface Harness extends PipelineScript {
  provider: TestProvider;
  /** The environment variable of the provider's key, as errors name it. */
  keyVariable: string;
  shop: ShopWorkspace;
  api: ModelServer;
  host: TestHost;
  options(extra?: Partial<RunOptions>): RunOptions;
  close(): Promise<void>;
}

export async function harness(
  agents: Record<string, AgentScript>,
  shopOptions: ShopOptions = {},
  serverOptions: ModelServerOptions = {},
  provider: TestProvider = TEST_PROVIDER,
): Promise<Harness> {
  const scripted = pipelineScript(agents);
  // The OpenAI-compatible server wants its key, as a hosted endpoint would (a local one may not).
  const api = await startModelServer(provider, scripted.script, {
    requireKey: provider === 'openai',
    ...serverOptions,
  });
  const moved = configFor(provider, api.url);
  const shop = makeShop({
    ...shopOptions,
    config: (yaml) => moved(shopOptions.config ? shopOptions.config(yaml) : yaml),
  });
  const host = new TestHost();
  return {
    ...scripted,
    provider,
    keyVariable: KEY_VARIABLE[provider],
    shop,
    api,
    host,
    options: (extra = {}) => ({
      workspace: shop.dir,
      host,
      baseURL: provider === 'anthropic' ? api.url : UNREACHABLE_URL,
      autoApprove: true,
      assumeYes: true,
      ...extra,
    }),
    async close() {
      await api.close();
      shop.cleanup();
    },
  };
}

/** The journal of a run, parsed. */
export function journalOf(
  shop: ShopWorkspace,
  runId: string,
): (Record<string, unknown> & { type: string; seq: number })[] {
  return shop
    .read(`.claude/runs/${runId}/events.jsonl`)
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown> & { type: string; seq: number });
}
