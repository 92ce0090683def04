import type { EngineEvent } from './events';

/**
 * The one interface through which the editor-independent engine reaches its host:
 * the VS Code extension, the CLI, or an in-memory test host.
 */
export interface Host {
  /** The human's decision on a freshly written spec. */
  decideSpec(request: SpecDecisionRequest): Promise<SpecDecision>;
  /** A critical operation (large deletion, many files, schema change, new module…). No human → false. */
  confirm(request: ConfirmationRequest): Promise<boolean>;
  /** Every engine event, in order; the host renders progress from them. */
  onEvent(event: EngineEvent): void;
  /** The Anthropic API key, from SecretStorage or ANTHROPIC_API_KEY; never logged. */
  getApiKey(): Promise<string | undefined>;
  /**
   * Another provider's key, e.g. `openai` (OPENAI_API_KEY, or the editor's SecretStorage); never
   * logged. Optional: a host without it offers no keys beyond Anthropic's.
   */
  getProviderKey?(provider: string): Promise<string | undefined>;
  /** Commands from the workspace (validate, sync) run only when this is true. */
  isTrusted(): boolean;
}

export interface SpecDecisionRequest {
  specId: string;
  specPath: string;
  markdown: string;
}

export type SpecDecision =
  | { action: 'approve' }
  | { action: 'save' }
  | { action: 'changes'; feedback: string };

export interface ConfirmationRequest {
  /**
   * `unowned-work`: approving a spec with tasks or files no layer owns (`paths` lists them).
   * The audit loop also asks before `new-module` (a new top-level folder, package or module),
   * `migration` and `core-file` (`audit.core` globs) changes.
   */
  kind: 'delete-lines' | 'many-files' | 'schema-change' | 'validator-change' | 'unowned-work' | 'new-module' | 'migration' | 'core-file';
  agent: string;
  question: string;
  paths: string[];
}
