/**
 * Folds what engine events mean (the catalogue's facets) into the run's workflow steps (issue 29).
 * Pure, like runReducer.ts: the same fold replays journals after a reload. The steps come from two
 * sources that may arrive in either order: the phase events (`phase.started`, `phase.completed`,
 * `phase.closed`, the spec gate's events, `run.stopped`) and the workflow's definition (titles,
 * roles, gates, every phase in order), which the host reads from the workflow file (`workflow.defined`).
 */
import type { Meaning } from '../../core/catalogue';
import type { RunView } from '../../shared/viewState';
import {
  parseGateText,
  type GateDecisionView,
  type StepState,
  type WorkflowDefinition,
  type WorkflowRunView,
  type WorkflowStepView,
} from '../../shared/workflowView';

const DEFAULT_WORKFLOW = 'feature';
/** Lines of a stop report shown under a failed gate (the rest is in the run's report). */
const REPORT_LINES = 4;

/** The workflow a run's start names: its `workflow`, else `feature` for a feature run (a bugfix or audit runs its own pipeline). */
function workflowOfStart(start: NonNullable<Meaning['start']>): string | undefined {
  return start.workflow ?? (start.kind === 'feature' ? DEFAULT_WORKFLOW : undefined);
}

const newStep = (phase: string): WorkflowStepView => ({
  phase,
  state: 'pending',
  gate: { kind: 'none', state: 'pending' },
  documents: [],
});

/**
 * The engine's own phases a workflow file does not list that are still shown as steps: PROVE
 * (docs/proof.md) runs inside the step that implements or fixes, before it, when the config has a
 * proof section; without a step of its own the sidebar would show nothing at work while the proof
 * agent writes and RED runs. It closes when it completes (no phase.closed). CHECKPOINT stays hidden.
 */
const ENGINE_STEPS: Readonly<Record<string, { title: string; role: string; before: readonly string[] }>> = {
  PROVE: {
    title: 'A test per criterion before the code, red on the base',
    role: 'proof',
    before: ['implement', 'fix'],
  },
};

const engineStep = (phase: string): WorkflowStepView | undefined => {
  const known = ENGINE_STEPS[phase];
  return known ? { ...newStep(phase), title: known.title, role: known.role } : undefined;
};

/** `steps` with the engine's step placed before the step it runs in (the first that `uses` one of its `before`), else last. */
function withEngineStep(steps: WorkflowStepView[], step: WorkflowStepView): WorkflowStepView[] {
  const before = ENGINE_STEPS[step.phase]?.before ?? [];
  const at = steps.findIndex((s) => s.uses !== undefined && before.includes(s.uses));
  return at < 0 ? [...steps, step] : [...steps.slice(0, at), step, ...steps.slice(at)];
}

function withSteps(run: RunView, change: (steps: WorkflowStepView[]) => WorkflowStepView[]): RunView {
  if (!run.workflow) return run;
  return { ...run, workflow: { ...run.workflow, steps: change(run.workflow.steps) } };
}

/**
 * One step changed. A phase the steps do not have yet is appended while the workflow file is not
 * read; once it is, a phase it does not list is the engine's own (CHECKPOINT) and is no step,
 * except the ones shown as steps (ENGINE_STEPS: PROVE), placed before the step they run in.
 */
function patchStep(run: RunView, phase: string, change: (step: WorkflowStepView) => WorkflowStepView): RunView {
  const known = run.workflow?.steps.some((s) => s.phase === phase);
  if (known) return withSteps(run, (steps) => steps.map((s) => (s.phase === phase ? change(s) : s)));
  const engine = engineStep(phase);
  if (run.workflow?.defined) return engine ? withSteps(run, (steps) => withEngineStep(steps, change(engine))) : run;
  return withSteps(run, (steps) => [...steps, change(engine ?? newStep(phase))]);
}

/** The step whose gate a spec decision is about: the one that `uses: spec`, else the one at work. */
function specStep(run: RunView): string | undefined {
  const steps = run.workflow?.steps ?? [];
  return (steps.find((s) => s.uses === 'spec') ?? lastOpen(steps))?.phase;
}

/** The last step that started and did not close (where a run that stops stopped). */
const lastOpen = (steps: WorkflowStepView[]): WorkflowStepView | undefined =>
  [...steps].reverse().find((s) => s.state === 'running' || s.state === 'waiting');
const openStep = (run: RunView): WorkflowStepView | undefined => lastOpen(run.workflow?.steps ?? []);

function firstLines(report: string): string {
  return report
    .split('\n')
    .map((line) => line.replace(/^#+\s*/, '').trim())
    .filter(Boolean)
    .slice(0, REPORT_LINES)
    .join('\n');
}

export function applyWorkflowMeaning(run: RunView, meaning: Meaning): RunView {
  if (meaning.start) {
    const name = workflowOfStart(meaning.start);
    if (name === undefined) return run;
    return run.workflow?.name === name ? run : { ...run, workflow: { name, defined: false, steps: [] } };
  }
  if (!run.workflow) return run;
  let next = run;
  for (const facet of Object.keys(meaning) as (keyof Meaning)[]) {
    const step = STEPS[facet];
    const value = meaning[facet];
    if (step && value !== undefined) next = (step as (r: RunView, v: typeof value) => RunView)(next, value);
  }
  return next;
}

/** What the facets a workflow's steps show do to them; the others leave the steps as they are. */
const STEPS: { [F in keyof Meaning]?: (run: RunView, facet: NonNullable<Meaning[F]>) => RunView } = {
  phase: (run, phase) => {
    // An engine's step (PROVE) has no phase.closed: done, it is closed.
    if (phase.ms !== undefined)
      return patchStep(run, phase.name, (s) => ({
        ...s,
        ms: phase.ms,
        ...(ENGINE_STEPS[s.phase] && s.uses === undefined ? { state: 'closed' as const } : {}),
      }));
    // The engine starts no phase it closed, except to redo it (a change request amended its inputs): its gate asks again.
    // A retry keeps the failed gate's report in view while the role writes again; a resume after a stop checks afresh.
    const fresh = { kind: 'none' as const, state: 'pending' as const };
    return patchStep(run, phase.name, (s) => ({
      ...s,
      state: 'running',
      gate:
        (s.gate.state === 'failed' && !s.retry) || s.state === 'closed'
          ? { ...fresh, kind: s.gate.kind, ...(s.gate.detail ? { detail: s.gate.detail } : {}) }
          : s.gate,
    }));
  },
  phaseRetry: (run, retry) =>
    patchStep(run, retry.phase, (s) => ({
      ...s,
      state: 'running',
      gate: { ...s.gate, state: 'failed', report: firstLines(retry.report) },
      retry: { attempt: retry.attempt, max: retry.max },
    })),
  phaseClosed: (run, closed) =>
    patchStep(run, closed.phase, ({ retry: _done, ...s }) => ({
      ...s,
      state: 'closed',
      gate: {
        kind: s.gate.kind,
        ...(s.gate.detail ? { detail: s.gate.detail } : {}),
        state: s.gate.kind === 'none' ? 'pending' : 'passed',
      },
      documents: [...closed.documents],
      closedDocuments: true,
    })),
  // A phase's human gate (issue 29): approved (it closes next), saved for later (the run ends
  // waiting there), or sent back with feedback (the phase's role runs again).
  gate: (run, gate) => {
    if (gate.decision === 'approved')
      return patchStep(run, gate.phase, (s) => ({
        ...s,
        state: s.state === 'closed' ? 'closed' : 'running',
        gate: { ...s.gate, state: 'passed' },
      }));
    if (gate.decision === 'saved')
      return patchStep(run, gate.phase, (s) => ({
        ...s,
        state: 'waiting',
        gate: { ...s.gate, state: 'saved' },
        documents: [...gate.documents],
        closedDocuments: true,
      }));
    return patchStep(run, gate.phase, (s) => ({ ...s, state: 'running', gate: { ...s.gate, state: 'pending' } }));
  },
  specApproved: (run) => {
    const phase = specStep(run);
    return phase
      ? patchStep(run, phase, (s) => ({
          ...s,
          state: s.state === 'waiting' ? 'running' : s.state,
          gate: { ...s.gate, state: 'passed' },
        }))
      : run;
  },
  specChangesRequested: (run) => {
    const phase = specStep(run);
    return phase
      ? patchStep(run, phase, (s) => ({ ...s, state: 'running', gate: { ...s.gate, state: 'pending' } }))
      : run;
  },
  specMoved: (run, moved) => {
    // COMPLETE moved the spec's folder (<root>/active/<id> → <root>/completed/<id>): its documents are linked where they are now.
    const marker = `active/${moved.id}/`;
    const to = moved.path.slice(0, moved.path.lastIndexOf('/') + 1);
    const relinked = (d: string): string => {
      const at = d.indexOf(marker);
      return to && at >= 0 && (at === 0 || d[at - 1] === '/') ? to + d.slice(at + marker.length) : d;
    };
    return withSteps(run, (steps) =>
      steps.map((s) =>
        s.closedDocuments && s.documents.some((d) => relinked(d) !== d)
          ? { ...s, documents: s.documents.map(relinked) }
          : s,
      ),
    );
  },
  stopped: (run, stopped) => {
    const step = openStep(run);
    if (!step) return run;
    // A gate that failed only for requirements with no test names them: its step offers the waiver.
    const untested = stopped.untested?.phase === step.phase ? { untested: [...stopped.untested.requirements] } : {};
    return patchStep(run, step.phase, (s) => ({
      ...s,
      state: 'failed',
      // Before the definition said the gate's kind (a journal replayed after a reload), the failure is kept for it.
      gate:
        s.gate.kind === 'check' || !run.workflow?.defined
          ? { ...s.gate, state: 'failed', report: firstLines(stopped.report || stopped.reason), ...untested }
          : s.gate,
    }));
  },
  completed: (run, completed) => {
    const status = (completed.summary as { status?: unknown } | null)?.status;
    if (status !== undefined && status !== 'completed') return run;
    return withSteps(run, (steps) =>
      steps.map((s) => (s.state === 'pending' ? { ...s, state: 'skipped' as const } : s)),
    );
  },
};

/** The run ended (or was restored from its journal): a step still at work stopped with it. */
export function settleSteps(run: RunView): RunView {
  if (!run.workflow) return run;
  const { decision: _unanswered, ...workflow } = run.workflow;
  const stopped = (state: StepState): StepState => (state === 'running' || state === 'waiting' ? 'stopped' : state);
  return {
    ...run,
    workflow: {
      ...workflow,
      // A gate saved for later still waits (Approve on its spec, or Resume, asks it again).
      steps: workflow.steps.map((s) =>
        (s.state === 'running' || s.state === 'waiting') && s.gate.state !== 'saved'
          ? {
              ...s,
              state: stopped(s.state),
              gate: s.gate.state === 'waiting' ? { ...s.gate, state: 'pending' } : s.gate,
            }
          : s,
      ),
    },
  };
}

/** The workflow file's phases merged with what the events said so far: the file's order, the events' states. */
export function defineWorkflow(run: RunView, definition: WorkflowDefinition): RunView {
  const current = run.workflow;
  if (!current || current.name !== definition.name) return run;
  if (definition.problem) return { ...run, workflow: { ...current, problem: definition.problem } };
  const known = new Map(current.steps.map((s) => [s.phase, s]));
  const steps = definition.phases.map((phase): WorkflowStepView => {
    const seen = known.get(phase.name) ?? newStep(phase.name);
    const gate = parseGateText(phase.gate);
    // A gate the events passed before the definition said what kind it is.
    // A failure the events set before it is the failure of a check gate only.
    const state =
      seen.state === 'closed'
        ? 'passed'
        : seen.gate.state === 'failed' && gate.kind !== 'check'
          ? 'pending'
          : seen.gate.state;
    return {
      ...seen,
      ...(phase.title ? { title: phase.title } : {}),
      ...(phase.role ? { role: phase.role } : {}),
      ...(phase.uses ? { uses: phase.uses } : {}),
      gate: {
        ...gate,
        state: gate.kind === 'none' ? 'pending' : state,
        ...(seen.gate.report && gate.kind === 'check' ? { report: seen.gate.report } : {}),
        ...(seen.gate.untested && gate.kind === 'check' ? { untested: seen.gate.untested } : {}),
      },
      documents: seen.closedDocuments ? seen.documents : phase.documents.filter((d) => d !== 'code'),
    };
  });
  // Phases the events named that the file does not list are the engine's own (CHECKPOINT): no steps,
  // but for those shown as steps (PROVE), before the step they run in.
  const listed = new Set(definition.phases.map((phase) => phase.name));
  const engine = current.steps.filter((s) => !listed.has(s.phase) && ENGINE_STEPS[s.phase]);
  const { problem: _old, ...rest } = current;
  const defined: WorkflowRunView = { ...rest, defined: true, steps: engine.reduce(withEngineStep, steps) };
  // A spec decision shown before the definition told which step is the spec's.
  return withDecisionStep({ ...run, workflow: defined });
}

/** The engine asks the human at a gate: a phase's (`decision` set) or the spec's (none). */
export function gateWaiting(run: RunView, decision: GateDecisionView | undefined): RunView {
  if (!run.workflow) return run;
  const waiting = { ...run, workflow: { ...run.workflow, ...(decision ? { decision } : {}) } };
  if (!decision) delete waiting.workflow.decision;
  return withDecisionStep(waiting, decision?.phase ?? specStep(run));
}

function withDecisionStep(
  run: RunView,
  phase = run.workflow?.decision?.phase ?? (run.status === 'awaiting-approval' ? specStep(run) : undefined),
): RunView {
  if (!phase || run.status !== 'awaiting-approval') return run;
  const documents = run.workflow?.decision?.phase === phase ? run.workflow.decision.documents : undefined;
  return patchStep(run, phase, (s) => ({
    ...s,
    state: 'waiting',
    gate: { ...s.gate, state: 'waiting' },
    ...(documents ? { documents: [...documents], closedDocuments: true } : {}),
  }));
}

/** The human answered the gate: the step is at work again (phase.closed or spec.approved says passed). */
export function gateAnswered(run: RunView): RunView {
  if (!run.workflow) return run;
  const { decision: _answered, ...workflow } = run.workflow;
  return {
    ...run,
    workflow: {
      ...workflow,
      steps: workflow.steps.map((s) =>
        s.state === 'waiting'
          ? {
              ...s,
              state: 'running' as const,
              gate: s.gate.state === 'waiting' ? { ...s.gate, state: 'pending' as const } : s.gate,
            }
          : s,
      ),
    },
  };
}
