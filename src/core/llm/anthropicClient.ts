import { BaseAnthropic } from '@anthropic-ai/sdk/client';
import { Messages, type Message, type MessageStreamParams } from '@anthropic-ai/sdk/resources/messages/messages';
import { withCacheBreakpoints } from './cacheBreakpoints';
import { LlmError, toLlmError, type LlmErrorKind } from './llmError';
import { costAt, createPricing, type Pricing } from './pricing';
import { retryObserver, type RetryInfo } from './retryObserver';
import type { ModelClient, ModelPrice, ModelReply, ModelRequest, Usage } from './types';

export interface ModelClientOptions {
  /** The caller reads it (ANTHROPIC_API_KEY, the editor's secret storage…); never logged. */
  apiKey: string;
  /** e.g. ANTHROPIC_BASE_URL; the SDK default otherwise. */
  baseURL?: string;
  /** A ready Pricing, or the config's `pricing:` overrides on top of the built-in table. */
  pricing?: Pricing | Record<string, ModelPrice>;
  /** The SDK's own HTTP retries (408/409/429/5xx, honouring retry-after). Default 2. */
  maxRetries?: number;
  /** Extra attempts for a 200 stream that failed before any content arrived. Default 2. */
  streamRetries?: number;
  /** Wait before the first stream retry; doubles each time. Default 1000 ms. */
  streamRetryDelayMs?: number;
  /** Per-request timeout handed to the SDK. Default: the SDK's (10 minutes). */
  timeoutMs?: number;
  onRetry?: (info: RetryInfo) => void;
}

export type AnthropicModelClient = ModelClient & { readonly pricing: Pricing };

/** Failures worth another attempt when the stream broke before the model produced anything. */
const RETRYABLE_BEFORE_CONTENT = new Set<LlmErrorKind>(['overloaded', 'server', 'network', 'rate-limit']);

type StreamParams = MessageStreamParams;

/**
 * The SDK's client with the one resource the engine calls. The default export (`Anthropic`)
 * also carries models, files, skills, beta… (~300 kB of the engine bundle, none of it used);
 * BaseAnthropic is the same HTTP machinery: auth, retries, timeouts, middleware, errors.
 */
class MessagesClient extends BaseAnthropic {
  readonly messages = new Messages(this);
}

interface Attempt {
  message?: Message;
  error?: unknown;
  /** The HTTP response (200) arrived, so the SDK's own retries no longer apply. */
  connected: boolean;
  /** At least one content delta arrived: output exists and the call must not be repeated. */
  content: boolean;
}

function isPricing(value: ModelClientOptions['pricing']): value is Pricing {
  return typeof (value as Pricing | undefined)?.priceFor === 'function';
}

/** Resolves after `ms`, or rejects with a cancelled LlmError when the signal fires first. */
function backoff(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new LlmError('cancelled', 'The model call was cancelled.'));
    const cancel = (): void => {
      clearTimeout(timer);
      reject(new LlmError('cancelled', 'The model call was cancelled.'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', cancel);
      resolve();
    }, ms);
    signal?.addEventListener('abort', cancel, { once: true });
  });
}

export function usageOf(message: Message): Usage {
  return {
    input: message.usage.input_tokens,
    output: message.usage.output_tokens,
    cacheWrite: message.usage.cache_creation_input_tokens ?? 0,
    cacheRead: message.usage.cache_read_input_tokens ?? 0,
  };
}

/** The real ModelClient: streams through @anthropic-ai/sdk, prices usage, marks the prompt cache. */
export function createModelClient(options: ModelClientOptions): AnthropicModelClient {
  if (!options.apiKey) throw new LlmError('auth', 'No Anthropic API key: set ANTHROPIC_API_KEY (or store a key in the editor).');
  const apiKey = options.apiKey;
  const pricing = isPricing(options.pricing) ? options.pricing : createPricing(options.pricing);
  const streamRetries = options.streamRetries ?? 2;
  const streamRetryDelayMs = options.streamRetryDelayMs ?? 1000;
  const sdk = new MessagesClient({
    apiKey,
    authToken: null,
    baseURL: options.baseURL,
    maxRetries: options.maxRetries ?? 2,
    ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}),
  });

  async function attempt(params: StreamParams, signal: AbortSignal | undefined, onMessageStart: () => void): Promise<Attempt> {
    const state: Attempt = { connected: false, content: false };
    const stream = sdk.messages.stream(params, { signal, middleware: [retryObserver(params.model, options.onRetry)] });
    stream.on('connect', () => (state.connected = true));
    stream.on('streamEvent', (event) => {
      if (event.type === 'message_start') onMessageStart();
      else if (event.type === 'content_block_delta') state.content = true;
    });
    try {
      const message = await stream.finalMessage();
      // A body that ends without message_stop leaves a snapshot with no stop reason.
      if (message.stop_reason === null) throw new Error('the stream ended before the message was complete');
      return { ...state, message };
    } catch (error) {
      return { ...state, error };
    }
  }

  async function send(request: ModelRequest): Promise<ModelReply> {
    const { signal, model } = request;
    if (signal?.aborted) throw new LlmError('cancelled', 'The model call was cancelled.');
    let price;
    try {
      // Priced before the call, so an unknown model fails before any money is spent.
      price = pricing.priceFor(model).price;
    } catch (error) {
      throw new LlmError('bad-request', (error as Error).message, { cause: error });
    }
    const prompt = withCacheBreakpoints(request);
    const params: StreamParams = {
      model,
      max_tokens: request.maxTokens,
      messages: prompt.messages,
      ...(prompt.system.length > 0 ? { system: prompt.system } : {}),
      ...(prompt.tools.length > 0 ? { tools: prompt.tools } : {}),
    };

    let started = false;
    const onMessageStart = (): void => {
      if (started) return;
      started = true;
      request.onResponseStart?.();
    };
    for (let retry = 0; ; retry++) {
      const result = await attempt(params, signal, onMessageStart);
      if (result.message) {
        const usage = usageOf(result.message);
        return { content: result.message.content, stopReason: result.message.stop_reason, usage, costUsd: costAt(price, usage), model: result.message.model };
      }
      const error = toLlmError(result.error, { apiKey, model, partialOutput: result.content });
      if (signal?.aborted) throw new LlmError('cancelled', 'The model call was cancelled.', { cause: result.error });
      const retryable = result.connected && !result.content && RETRYABLE_BEFORE_CONTENT.has(error.kind);
      if (!retryable || retry >= streamRetries) throw error;
      const delayMs = streamRetryDelayMs * 2 ** retry;
      options.onRetry?.({ model, attempt: retry + 1, reason: `stream failed before any content (${error.kind})`, by: 'stream', delayMs });
      await backoff(delayMs, signal);
    }
  }

  return { send, pricing };
}
