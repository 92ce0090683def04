/**
 * How a model provider plugs into the engine. The engine ships `anthropic` (the reference)
 * and `openai` (any OpenAI-compatible endpoint); a host contributes more through
 * RunOptions.providers, e.g. the VS Code extension's `vscode-lm` (the editor's Language Model
 * API). A provider is chosen by the prefix of a configured model id (modelId.ts).
 */
import type { Host } from '../host';
import type { Pricing } from './pricing';
import type { BuiltInPrices, ModelClient } from './types';

/** What of the run's configuration a provider reads (the whole config is project/config's, a floor above). */
export interface ProviderConfig {
  providers: { openai: { baseURL?: string } };
  limits: { maxRequests?: number };
}

export interface ProviderSetup {
  host: Host;
  config: ProviderConfig;
  /** The run's prices (config `pricing` over the built-in lists), by configured id. */
  pricing: Pricing;
  /** RunOptions.baseURL: the Messages API endpoint (the Anthropic provider's). */
  baseURL?: string;
  signal?: AbortSignal;
}

export interface OpenedProvider {
  /**
   * Sends requests whose `model` is the provider's own name (the part after the prefix).
   * Replies are unpriced (the engine prices them), failures are LlmErrors of the neutral
   * kinds (llmError.ts) so that API weather and compaction apply, and SDK-level retries are
   * off: the engine waits out transient errors itself for every provider alike.
   */
  client: ModelClient;
  /** Credentials the provider read: the journal redacts them wherever they would appear. */
  secrets: string[];
}

/**
 * A problem found before any model call: a missing key, an unknown model, a model without
 * tool calls. `model` (the provider's name for it) when it concerns one model only; the
 * engine adds the roles and the config key that chose it.
 */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly model?: string,
    /** The provider has no key: the stop names the other ways to run the agents (providerKeys.ts WAYS_IN). */
    readonly noKey = false,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

export interface ModelProvider {
  /** The model-id prefix: `anthropic`, `openai`, `vscode-lm`, … */
  readonly id: string;
  /** For messages: "the Anthropic API", "the OpenAI-compatible endpoint", "the editor's language models". */
  readonly label: string;
  /** false: never offered in messages that list the providers (the demo's scripted model). */
  readonly listed?: false;
  /** The provider's own price list, if it has one (the config's `pricing` wins). */
  readonly prices?: BuiltInPrices;
  /**
   * Prepares the provider for one run that may use `models` (the provider's names): reads
   * credentials and checks everything that can be checked without a model call. Throws
   * ProviderError. Called once per run, before any model call, only when some role uses it.
   */
  open(models: readonly string[], setup: ProviderSetup): Promise<OpenedProvider>;
}
