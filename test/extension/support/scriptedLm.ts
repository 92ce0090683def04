/**
 * The scripted chat-model provider (test/extension/fixtures/scripted-lm) as the suites use it:
 * its exports, and scripts built from the bench's per-agent Messages API scripts, so a run on
 * `vscode-lm:` plays the same agents as a run on the Messages API test server.
 */
import type Anthropic from '@anthropic-ai/sdk';
import * as vscode from 'vscode';
import type { AgentScript } from '../../../bench/support/scriptedAgents';
import { judgeUnlistedCriteria, routeByAgent, type AgentCall } from '../../support/agentCalls';
import type { RecordedRequest, ScriptBlock } from '../../support/messagesApiServer';
import {
  SCRIPTED_LM_EXTENSION_ID,
  SCRIPTED_VENDOR,
  type LmPartRecord,
  type LmReplyPart,
  type LmRequestRecord,
  type LmScript,
  type ScriptedFamily,
  type ScriptedLmApi,
} from '../fixtures/scripted-lm/protocol';

export { SCRIPTED_VENDOR, type LmRequestRecord, type ScriptedLmApi };

/** The model id a config or setting names for a scripted family. */
export const scriptedModelId = (family: ScriptedFamily): string => `vscode-lm:${SCRIPTED_VENDOR}/${family}`;

/** The fixture's exports; skips the suite when the session did not load it (e.g. the vsix session). */
export async function scriptedLm(ctx?: Mocha.Context): Promise<ScriptedLmApi> {
  const ext = vscode.extensions.getExtension<ScriptedLmApi>(SCRIPTED_LM_EXTENSION_ID);
  if (!ext) {
    if (ctx) ctx.skip();
    throw new Error(`${SCRIPTED_LM_EXTENSION_ID} is not loaded`);
  }
  return ext.isActive ? ext.exports : ext.activate();
}

function block(part: LmPartRecord): Anthropic.Messages.ContentBlockParam {
  switch (part.type) {
    case 'text':
      return { type: 'text', text: part.text };
    case 'tool_call':
      return { type: 'tool_use', id: part.callId, name: part.name, input: part.input };
    case 'tool_result':
      return { type: 'tool_result', tool_use_id: part.callId, content: part.content };
    default:
      throw new Error(`the scripted model received a part it does not know: ${part.what}`);
  }
}

/** A scripted model's request in the Messages API's shape (no system: the editor's models have none). */
export function asMessagesRequest(request: LmRequestRecord): RecordedRequest {
  const body = {
    model: request.family,
    max_tokens: 0,
    messages: request.messages.map((m) => ({ role: m.role, content: m.parts.map(block) })),
    tools: request.tools.map((t) => ({
      name: t.name,
      description: t.description,
      input_schema: t.inputSchema as Anthropic.Messages.Tool.InputSchema,
    })),
  };
  return { index: request.index, method: 'POST', path: '/lm', headers: {}, body, stream: true, time: Date.now() };
}

const replyPart = (b: ScriptBlock): LmReplyPart =>
  b.type === 'text'
    ? { type: 'text', text: b.text }
    : { type: 'tool_call', ...(b.id ? { callId: b.id } : {}), name: b.name, input: b.input };

/**
 * Plays `agents` (bench/support/scriptedAgents.ts) on the scripted models: each request goes
 * to its agent's script by the system prompt folded into its first message; the reply's text
 * and tool calls are played back. `calls` records each request as that agent's turn.
 */
export function agentsOnLm(agents: Record<string, AgentScript>): { script: LmScript; calls: AgentCall[] } {
  const { route, calls } = routeByAgent(agents);
  const script: LmScript = (request) => {
    const asked = asMessagesRequest(request);
    const scripted = judgeUnlistedCriteria(
      route(asked),
      calls.find((c) => c.req === asked)!,
    );
    if (scripted.kind !== 'reply')
      throw new Error(
        `an agent script returned a Messages API fault (${scripted.kind}); script LanguageModelErrors directly`,
      );
    return { kind: 'reply', parts: scripted.content.map(replyPart) };
  };
  return { script, calls };
}
