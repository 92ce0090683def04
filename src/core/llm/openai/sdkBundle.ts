/**
 * Entry of dist/openai.js (scripts/build.mjs): everything that needs the `openai` package.
 * The engine bundle leaves it out and require()s it the first time a run uses an `openai:`
 * model (provider.ts), so runs on other providers never load the SDK's ~400 kB.
 */
export { createOpenAIClient } from './client';
export { listModels } from './modelList';
