/**
 * The CLI runners as the engine loads them: on first use by a run that chooses one, never at
 * start (scripts/build.mjs makes this dist/runners.js; load.ts require()s it). Add a new CLI
 * runner's export here and its name in registry.ts.
 */
export { claudeCodeRunner } from './claudeCode/claudeCodeRunner';
export { codexRunner } from './codex/codexAdapter';
export { copilotRunner } from './copilot/copilotRunner';
export { geminiRunner } from './gemini/geminiRunner';
export { opencodeRunner } from './opencode/opencodeAdapter';
