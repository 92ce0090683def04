/** What the engine asks the human through its host (host.ts): leaf types, so events can name them too. */
export interface SpecDecisionRequest {
  specId: string;
  specPath: string;
  markdown: string;
  /** The workflow phase whose human gate asks (issue 29); absent for the spec gate. */
  phase?: string;
  /** The phase's documents, workspace-relative. */
  documents?: string[];
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
