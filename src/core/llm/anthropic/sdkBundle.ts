/**
 * Entry of dist/anthropic.js (scripts/build.mjs): everything that needs `@anthropic-ai/sdk`.
 * The engine bundle leaves it out and require()s it when a run first opens the Anthropic
 * provider (provider.ts), so listing specs, runs and diffs never loads the SDK. Its errors
 * reach the engine as LlmErrors of this bundle's own copy: the provider makes them the
 * engine's own by their shape (llmError.ts sameRealm), never by `instanceof` across bundles.
 */
export { createAnthropicClient } from './client';
