import { BaseAnthropic } from '@anthropic-ai/sdk/client';
import { Messages, type Message, type MessageStreamParams } from '@anthropic-ai/sdk/resources/messages/messages';
import { cancelledError, LlmError } from '../llmError';
import type { ModelClient, ModelReply, ModelRequest, Usage } from '../types';
import { withCacheBreakpoints } from './cacheBreakpoints';
import { toLlmError } from './errors';
import { fromWireContent, fromWireStopReason } from './messages';

export interface AnthropicClientOptions {
  /** The caller reads it (ANTHROPIC_API_KEY, the editor's secret storage…); never logged. */
  apiKey: string;
  /** e.g. ANTHROPIC_BASE_URL; the SDK default otherwise. */
  baseURL?: string;
  /**
   * The SDK's own HTTP retries. Default 0: the engine's API-weather policy (apiWeather.ts)
   * retries every provider alike, for as long as `limits.apiRetryWindowSec` allows.
   */
  maxRetries?: number;
  /** Per-request timeout handed to the SDK. Default: the SDK's (10 minutes). */
  timeoutMs?: number;
}

/** Every current Claude model takes 200k tokens of prompt and output (1M needs a beta header this client never sends). */
const CONTEXT_WINDOW = 200_000;

/**
 * The SDK's client with the one resource the engine calls. The default export (`Anthropic`)
 * also carries models, files, skills, beta… (~300 kB of the engine bundle, none of it used);
 * BaseAnthropic is the same HTTP machinery: auth, retries, timeouts, middleware, errors.
 */
class MessagesClient extends BaseAnthropic {
  readonly messages = new Messages(this);
}

export function usageOf(message: Message): Usage {
  return {
    input: message.usage.input_tokens,
    output: message.usage.output_tokens,
    cacheWrite: message.usage.cache_creation_input_tokens ?? 0,
    cacheRead: message.usage.cache_read_input_tokens ?? 0,
  };
}

/** The reference ModelClient: streams through @anthropic-ai/sdk and marks the prompt cache. Replies are unpriced here (the engine prices them). */
export function createAnthropicClient(options: AnthropicClientOptions): ModelClient {
  if (!options.apiKey)
    throw new LlmError('auth', 'No Anthropic API key: set ANTHROPIC_API_KEY (or store a key in the editor).');
  const apiKey = options.apiKey;
  const sdk = new MessagesClient({
    apiKey,
    authToken: null,
    baseURL: options.baseURL,
    maxRetries: options.maxRetries ?? 0,
    ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}),
  });

  async function send(request: ModelRequest): Promise<ModelReply> {
    const { signal, model } = request;
    if (signal?.aborted) throw cancelledError();
    const prompt = withCacheBreakpoints(request);
    const params: MessageStreamParams = {
      model,
      max_tokens: request.maxTokens,
      messages: prompt.messages,
      ...(prompt.system.length > 0 ? { system: prompt.system } : {}),
      ...(prompt.tools.length > 0 ? { tools: prompt.tools } : {}),
    };
    let started = false;
    let content = false;
    const stream = sdk.messages.stream(params, { signal });
    stream.on('streamEvent', (event) => {
      if (event.type === 'message_start' && !started) {
        started = true;
        request.onResponseStart?.();
      } else if (event.type === 'content_block_delta') content = true;
    });
    try {
      const message = await stream.finalMessage();
      // A body that ends without message_stop leaves a snapshot with no stop reason.
      if (message.stop_reason === null) throw new Error('the stream ended before the message was complete');
      return {
        content: fromWireContent(message.content),
        stopReason: fromWireStopReason(message.stop_reason),
        usage: usageOf(message),
        model: message.model,
      };
    } catch (error) {
      if (signal?.aborted) throw cancelledError(error);
      throw toLlmError(error, { apiKey, model, partialOutput: content });
    }
  }

  return { send, contextWindow: () => CONTEXT_WINDOW };
}
