/**
 * The model layer's door: the provider-neutral ModelClient and its types, model ids, the
 * providers' registry and routing, pricing, the budget, the API's weather, and the demo's scripted
 * model.
 */
export { withApiWeather } from './apiWeather';
export { Budget, type SharedBudget } from './budget';
export { DEMO_PROOF, DEMO_REQUEST } from './demo/demoFeature';
export { DEMO_MODEL, DEMO_PROVIDER } from './demo/demoProvider';
export { DEMO_FILES } from './demo/demoFeature';
export { LlmError, type LlmErrorKind } from './llmError';
export { ANTHROPIC, type ModelRef, OPENAI, parseModelId } from './modelId';
export { createPricing, type Pricing } from './pricing';
export { type ModelProvider, ProviderError } from './provider';
export { builtInPrices, providerRegistry } from './providers';
export { routingClient } from './router';
export {
  addUsage,
  type AssistantPart,
  emptyUsage,
  type Message,
  type ModelClient,
  type ModelPrice,
  type ModelReply,
  type ModelRequest,
  promptTokens,
  type StopReason,
  type ToolCallPart,
  type ToolDefinition,
  type ToolResultPart,
  type Usage,
} from './types';
