/** The demo's door: the workspace orchestrator demo runs in (its model is llm's). */
export { type DemoWorkspace, prepareDemoWorkspace } from './demoWorkspace';
