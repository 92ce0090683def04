import type { EngineEvent } from './events';
import type { ConfirmationRequest, SpecDecision, SpecDecisionRequest } from './requests';

export type { ConfirmationRequest, SpecDecision, SpecDecisionRequest } from './requests';

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
