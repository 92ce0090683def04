// One pipeline test's world: a shop workspace, the Messages API test server scripted per
// agent, an in-memory host, and RunOptions pointing the real SDK at the server.
import type { RunOptions } from '../../../../src/core/api';
import { startMessagesApiServer, type MessagesApiServer, type ServerOptions } from '../../../support/messagesApiServer';
import { pipelineScript, type AgentScript, type PipelineScript } from './agentScript';
import { makeShop, type ShopOptions, type ShopWorkspace } from './shopWorkspace';
import { TestHost } from './testHost';

export interface Harness extends PipelineScript {
  shop: ShopWorkspace;
  api: MessagesApiServer;
  host: TestHost;
  options(extra?: Partial<RunOptions>): RunOptions;
  close(): Promise<void>;
}

export async function harness(agents: Record<string, AgentScript>, shopOptions: ShopOptions = {}, serverOptions: ServerOptions = {}): Promise<Harness> {
  const shop = makeShop(shopOptions);
  const scripted = pipelineScript(agents);
  const api = await startMessagesApiServer(scripted.script, serverOptions);
  const host = new TestHost();
  return {
    ...scripted,
    shop,
    api,
    host,
    options: (extra = {}) => ({ workspace: shop.dir, host, baseURL: api.url, autoApprove: true, assumeYes: true, ...extra }),
    async close() {
      await api.close();
      shop.cleanup();
    },
  };
}

/** The journal of a run, parsed. */
export function journalOf(shop: ShopWorkspace, runId: string): (Record<string, unknown> & { type: string; seq: number })[] {
  return shop
    .read(`.claude/runs/${runId}/events.jsonl`)
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown> & { type: string; seq: number });
}
