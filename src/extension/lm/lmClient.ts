/**
 * A ModelClient on the editor's chat models (vscode.lm): one request per agent turn, its tool
 * calls through LanguageModelChatTool definitions and the call/result parts of the
 * conversation. The run's AbortSignal cancels the request's CancellationToken. Failures become
 * the engine's LlmErrors (lmErrors.ts). No usage is reported: the reply says so, and the
 * engine counts it as a request (limits.maxRequests).
 *
 * Context window: a prompt whose rough size nears the model's `maxInputTokens` is counted with
 * the model's own tokenizer (`countTokens`); one that does not fit fails as `context-length`
 * before it is sent, which the engine answers by compacting the conversation.
 */
import * as vscode from 'vscode';
import type { ModelClient, ModelReply, ModelRequest } from '../../core/llm';
import { loadEngine } from '../engine';
import { classifyLmFailure } from './lmErrors';
import { fromLmResponse, requestChars, toLmMessages, VSCODE_LM, type LmResponsePart } from './lmMessages';
import { fromResponsePart, toChatMessages } from './lmParts';

/** Shown by the editor when it asks the user for access to a model (LanguageModelChatRequestOptions.justification). */
export const JUSTIFICATION =
  'Orchestrator runs the agents of the feature or bugfix you started (spec, layers, review) on this model.';

/** Below this share of the window, the rough size (4 characters a token) is trusted without counting. */
const COUNT_FROM_SHARE = 0.5;

const NO_USAGE = { input: 0, output: 0, cacheWrite: 0, cacheRead: 0 };

async function checkWindow(
  chat: vscode.LanguageModelChat,
  id: string,
  messages: vscode.LanguageModelChatMessage[],
  roughTokens: number,
  toolTokens: number,
  token: vscode.CancellationToken,
): Promise<void> {
  const limit = chat.maxInputTokens;
  if (!limit || roughTokens < limit * COUNT_FROM_SHARE) return;
  let counted: number;
  try {
    counted =
      toolTokens + (await Promise.all(messages.map((m) => chat.countTokens(m, token)))).reduce((a, b) => a + b, 0);
  } catch {
    return; // no count: the model itself will say if the prompt is too long
  }
  if (counted > limit) {
    const { LlmError } = loadEngine();
    throw new LlmError(
      'context-length',
      `The prompt (${counted} tokens) does not fit the input window of ${id} (${limit} tokens).`,
      { promptTokens: counted, limitTokens: limit },
    );
  }
}

/** `chats`: each model the run uses, by the provider's name for it (`copilot/gpt-4o`). */
export function editorModelClient(chats: ReadonlyMap<string, vscode.LanguageModelChat>): ModelClient {
  return {
    async send(request: ModelRequest): Promise<ModelReply> {
      const { LlmError } = loadEngine();
      const id = `${VSCODE_LM}:${request.model}`;
      const chat = chats.get(request.model);
      if (!chat) throw new LlmError('not-found', `The editor's model ${id} was not opened for this run.`);
      if (request.signal?.aborted) throw new LlmError('cancelled', `The request to ${id} was cancelled.`);

      const lmMessages = toLmMessages(request);
      const messages = toChatMessages(lmMessages);
      const tools: vscode.LanguageModelChatTool[] = request.tools.map((t) => ({
        name: t.name,
        description: t.description,
        inputSchema: t.inputSchema,
      }));
      const cts = new vscode.CancellationTokenSource();
      const onAbort = () => cts.cancel();
      request.signal?.addEventListener('abort', onAbort);
      const parts: LmResponsePart[] = [];
      try {
        await checkWindow(
          chat,
          id,
          messages,
          Math.ceil(requestChars(lmMessages, request.tools) / 4),
          Math.ceil(JSON.stringify(tools).length / 4),
          cts.token,
        );
        const response = await chat.sendRequest(
          messages,
          { tools, toolMode: vscode.LanguageModelChatToolMode.Auto, justification: JUSTIFICATION },
          cts.token,
        );
        for await (const part of response.stream) {
          if (parts.length === 0) request.onResponseStart?.();
          parts.push(fromResponsePart(part));
        }
        // A cancelled stream may just end: what it delivered is not the model's whole turn.
        if (request.signal?.aborted) throw new vscode.CancellationError();
      } catch (error) {
        if (error instanceof LlmError) throw error;
        const failure = classifyLmFailure(error, id, request.signal?.aborted === true);
        throw new LlmError(failure.kind, failure.message, {
          cause: error,
          ...(parts.length > 0 ? { partialOutput: true } : {}),
        });
      } finally {
        request.signal?.removeEventListener('abort', onAbort);
        cts.dispose();
      }
      return { ...fromLmResponse(parts), usage: { ...NO_USAGE }, usageUnknown: true, model: request.model };
    },

    contextWindow: (model) => chats.get(model)?.maxInputTokens,
  };
}
