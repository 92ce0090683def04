// A run whose agents use several providers at once: the Messages-API server for Claude models
// and the Chat Completions server for `openai:` ones, one script for both (the agents are
// told apart by their system prompt, whichever server they reach).
import assert from 'node:assert/strict';
import type { RunOptions } from '../../../src/core/api';
import {
  startChatCompletionsServer,
  type ChatCompletionsServer,
  type ChatServerOptions,
} from '../chatCompletionsServer';
import { startMessagesApiServer, type MessagesApiServer } from '../messagesApiServer';
import { pipelineScript, type AgentScript, type PipelineScript } from './agentScript';
import { makeShop, type ShopWorkspace } from './shopWorkspace';
import { TestHost } from './testHost';

export interface MixedRun extends PipelineScript {
  shop: ShopWorkspace;
  anthropic: MessagesApiServer;
  openai: ChatCompletionsServer;
  host: TestHost;
  options(extra?: Partial<RunOptions>): RunOptions;
  close(): Promise<void>;
}

/** `config(yaml, openaiURL)` edits the shop's config: models per role, pricing, limits. */
export async function mixedRun(
  agents: Record<string, AgentScript>,
  config: (yaml: string, openaiURL: string) => string,
  chat: ChatServerOptions = {},
): Promise<MixedRun> {
  const scripted = pipelineScript(agents);
  const anthropic = await startMessagesApiServer(scripted.script);
  const openai = await startChatCompletionsServer(scripted.script, chat);
  const shop = makeShop({ config: (yaml) => config(yaml, openai.url) });
  const host = new TestHost();
  return {
    ...scripted,
    shop,
    anthropic,
    openai,
    host,
    options: (extra = {}) => ({
      workspace: shop.dir,
      host,
      baseURL: anthropic.url,
      autoApprove: true,
      assumeYes: true,
      ...extra,
    }),
    async close() {
      await Promise.all([anthropic.close(), openai.close()]);
      shop.cleanup();
    },
  };
}

/** Sets `models.agents.<role>: <id>` lines (after `agents:`) and appends top-level blocks. */
export function withModels(agents: Record<string, string>, extra = ''): (yaml: string) => string {
  return (yaml) => {
    const lines = Object.entries(agents).map(([role, id]) => `    ${role}: ${JSON.stringify(id)}`);
    const cleaned = yaml.replace(/^ {4}(review|spec): .*\n/gm, '');
    return `${cleaned.replace(/^ {2}agents:\n/m, `  agents:\n${lines.join('\n')}\n`).trimEnd()}\n${extra}`;
  };
}

/** `run` stops on a config error before any model call: E_CONFIG, its message matching `message`, no request to either server. */
export async function refusedBeforeAnyCall(
  h: MixedRun,
  run: Promise<unknown>,
  what: string,
  message: RegExp,
): Promise<void> {
  await assert.rejects(run, (error: Error & { code?: string }) => {
    assert.equal(error.code, 'E_CONFIG', `${what}: ${error.message}`);
    assert.match(error.message, message, what);
    return true;
  });
  assert.equal(h.anthropic.requests.length + h.openai.requests.length, 0, `${what}: no model call`);
}
