import OpenAI from 'openai';
import type { ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions/completions';
import { cancelledError, LlmError } from '../llmError';
import type { ModelClient, ModelReply, ModelRequest } from '../types';
import { toLlmError } from './errors';
import { fromWireFinishReason, ReplyAssembler, toWirePrompt, toWireTool } from './messages';

export interface OpenAIClientOptions {
  /** OPENAI_API_KEY or the editor's secret; never logged. A local server accepts any. */
  apiKey: string;
  /** providers.openai.baseURL; OpenAI's own API by default. */
  baseURL?: string;
  /** Per-request timeout. Default: the SDK's (10 minutes). */
  timeoutMs?: number;
}

/** OpenAI's own API wants max_completion_tokens (its reasoning models refuse max_tokens); other servers know max_tokens. */
export const tokensFieldFor = (baseURL: string | undefined): 'max_completion_tokens' | 'max_tokens' =>
  !baseURL || /^https:\/\/api\.openai\.com(\/|$)/.test(baseURL) ? 'max_completion_tokens' : 'max_tokens';

/**
 * A ModelClient for any OpenAI-compatible Chat Completions endpoint (OpenAI, Ollama, vLLM, LM
 * Studio, gateways), streaming through the official `openai` package: tool calls assembled
 * from their deltas, usage from the final chunk (`stream_options.include_usage`; a server
 * that sends none leaves the reply's usage unknown). The SDK's own retries are off (API
 * weather is the engine's).
 */
export function createOpenAIClient(options: OpenAIClientOptions): ModelClient & { readonly sdk: OpenAI } {
  const { apiKey } = options;
  const sdk = new OpenAI({
    apiKey,
    ...(options.baseURL ? { baseURL: options.baseURL } : {}),
    maxRetries: 0,
    ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}),
  });
  const tokensField = tokensFieldFor(options.baseURL);

  async function send(request: ModelRequest): Promise<ModelReply> {
    const { signal, model } = request;
    if (signal?.aborted) throw cancelledError();
    const params: ChatCompletionCreateParamsStreaming = {
      model,
      messages: toWirePrompt(request),
      [tokensField]: request.maxTokens,
      stream: true,
      stream_options: { include_usage: true },
      ...(request.tools.length > 0 ? { tools: request.tools.map(toWireTool) } : {}),
    };
    const reply = new ReplyAssembler();
    try {
      const stream = await sdk.chat.completions.create(params, { signal });
      let started = false;
      for await (const chunk of stream) {
        if (!started) {
          started = true;
          request.onResponseStart?.();
        }
        reply.add(chunk);
      }
      if (reply.finishReason === undefined) throw new Error('the stream ended before the reply was complete');
    } catch (error) {
      if (signal?.aborted) throw cancelledError(error);
      throw toLlmError(error, { apiKey, model, partialOutput: reply.content });
    }
    const parts = reply.parts();
    if (parts.some((p) => p.type === 'tool_call' && !p.name))
      throw new LlmError('server', `Model call to openai:${model} failed: a streamed tool call had no name.`);
    return {
      content: parts,
      stopReason: fromWireFinishReason(reply.finishReason),
      usage: reply.usage ?? { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
      ...(reply.usage ? {} : { usageUnknown: true as const }),
      model: reply.model || model,
    };
  }

  return { send, sdk };
}
