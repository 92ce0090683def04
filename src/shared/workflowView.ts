/**
 * A run's workflow as the sidebar shows it (issue 29): each phase a step with its title, role,
 * state, documents and gate. Part of the run's view (viewState.ts), so it crosses the webview
 * boundary checked by zod/mini like the rest; no VS Code or Node imports (the webview bundles it).
 */
import * as z from 'zod/mini';

/**
 * `waiting`: its human gate waits for the human now; `failed`: the run stopped in it (its check
 * gate failed, retries ran out…); `stopped`: it was at work when its run ended otherwise (a
 * cancel, the window closed: Resume continues it); `skipped`: the run completed without the phase
 * doing anything (a DEPLOY with no deploy commands).
 */
export const stepStateSchema = z.enum(['pending', 'running', 'waiting', 'closed', 'failed', 'stopped', 'skipped']);
export type StepState = z.infer<typeof stepStateSchema>;

/**
 * `none` has no state worth showing; a human or check gate is pending, waiting, passed or failed;
 * a human gate `saved` for later (the run ended there: Approve on its spec or Resume asks it again).
 */
export const gateStateSchema = z.enum(['pending', 'waiting', 'saved', 'passed', 'failed']);
export type GateState = z.infer<typeof gateStateSchema>;

export const stepGateSchema = z.object({
  kind: z.enum(['none', 'human', 'check']),
  /** Who signs off (`pm`) or what is checked (`sections, adr, mermaid`), as the workflow file says. */
  detail: z.optional(z.string()),
  state: gateStateSchema,
  /** A failed gate: the first lines of the run's stop report. */
  report: z.optional(z.string()),
  /**
   * A `trace` gate that failed only for these requirements with no test (`run.stopped`'s
   * `untested`): the step offers the waiver (`--allow-untested`) and resume.
   */
  untested: z.optional(z.array(z.string())),
});
export type StepGateView = z.infer<typeof stepGateSchema>;

export const workflowStepSchema = z.object({
  phase: z.string(),
  title: z.optional(z.string()),
  /** The role doing the phase's work (its agent name). */
  role: z.optional(z.string()),
  /** The engine's own step it runs (`spec`, `implement`…), when it is one. */
  uses: z.optional(z.string()),
  state: stepStateSchema,
  gate: stepGateSchema,
  /** Workspace-relative documents the phase left (from phase.closed), or will leave (the definition's paths). */
  documents: z.array(z.string()),
  /** True once the documents are the ones phase.closed named (real paths, not the file's templates). */
  closedDocuments: z.optional(z.boolean()),
  ms: z.optional(z.number()),
  /** Its check gate failed and the role writes again with the report (phase.retry): which try of how many. */
  retry: z.optional(z.object({ attempt: z.number(), max: z.number() })),
});
export type WorkflowStepView = z.infer<typeof workflowStepSchema>;

/** A phase's human gate waiting now (Host.decideSpec with `phase`): decisions name the spec and the phase. */
export const gateDecisionSchema = z.object({
  phase: z.string(),
  specId: z.string(),
  documents: z.array(z.string()),
});
export type GateDecisionView = z.infer<typeof gateDecisionSchema>;

export const workflowRunViewSchema = z.object({
  name: z.string(),
  /** The workflow file was read (titles, roles, gates and every phase in order); false: only the phases the events named. */
  defined: z.boolean(),
  /** Why the file could not be read for the view (the run itself may still go on). */
  problem: z.optional(z.string()),
  steps: z.array(workflowStepSchema),
  decision: z.optional(gateDecisionSchema),
});
export type WorkflowRunView = z.infer<typeof workflowRunViewSchema>;

/** What the host reads from a workflow listing (`orchestrator workflows --json`) to define the steps. */
export interface WorkflowDefinition {
  name: string;
  problem?: string;
  phases: { name: string; title?: string; role?: string; uses?: string; gate: string; documents: string[] }[];
}

/** `human (pm)` → human, `pm`; `check (sections, adr)` → check, `sections, adr`; `none`. */
export function parseGateText(text: string): { kind: StepGateView['kind']; detail?: string } {
  const match = /^(human|check)(?:\s*\((.*)\))?$/.exec(text.trim());
  if (!match) return { kind: 'none' };
  return { kind: match[1] as 'human' | 'check', ...(match[2] ? { detail: match[2] } : {}) };
}

/** The step's one-line accessible label: "Phase A, Analysis, closed; human gate (pm) passed". */
export function stepLabel(step: WorkflowStepView): string {
  const gate =
    step.gate.kind === 'none'
      ? 'no gate'
      : `${step.gate.kind} gate${step.gate.detail ? ` (${step.gate.detail})` : ''} ${step.gate.state}`;
  return `Phase ${step.phase}${step.title ? `, ${step.title}` : ''}, ${step.state}; ${gate}`;
}
