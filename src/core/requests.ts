/** What the engine asks the human through its host (host.ts): leaf types, so events can name them too. */
/**
 * The spec gate's question, and a workflow phase's human gate (issue 29, `gate: human` on a phase
 * other than SPEC: slice's PRD and UAT sign-offs). The same three answers decide both: approve,
 * save for later (the run waits; `approve <specId>` or `resume` continues at that gate), or
 * request changes (the feedback goes back to the phase's role, which writes its documents again,
 * and the gate asks again).
 */
export interface SpecDecisionRequest {
  specId: string;
  /** The spec's file, workspace-relative (the run's spec, also for a phase's gate). */
  specPath: string;
  /** The spec's Markdown; for a phase's gate, the phase's documents, each under an `<!-- document: path -->` line. */
  markdown: string;
  /** The workflow phase whose gate asks (e.g. `E`); absent for the spec gate. */
  phase?: string;
  /** Workspace-relative paths of the phase's documents (absent for the spec gate). */
  documents?: string[];
  /** An imported spec's tasks that name no file: the layer the model proposed for each (the approval accepts them), and what nothing could place. */
  placement?: GatePlacement;
  /** The journaled question's id (`question.asked`). */
  questionId?: string;
}

export interface GatePlacement {
  /** `layer` is a layer's name or `not-implementable`. */
  proposed: { task: string; layer: string; reason: string }[];
  /** The one sentence naming the tasks no layer could be told for, and the layers (absent when every task has one). */
  unplaced?: string;
}

export type SpecDecision = { action: 'approve' } | { action: 'save' } | { action: 'changes'; feedback: string };

/** What a confirmation asks: declared once, with its zod schema, in questions.ts. */
export type { ConfirmationRequest } from './questions';
