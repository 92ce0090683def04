/**
 * The run's workflow as steps (issue 29): each phase with its title and role, its state, its
 * gate (human / check / none: passed, failed with the report's first lines, waiting) and its
 * documents as links that open the file. A phase's human gate waiting now carries the spec
 * gate's three actions on its step: approve, request changes (with feedback), save for later.
 * Used for the in-place run (its own section) and inside each worktree lane.
 */
import {
  stepLabel,
  type GateDecisionView,
  type RunView,
  type WorkflowRunView,
  type WorkflowStepView,
} from '../../src/shared/protocol.js';
import { badge, button, h } from '../dom.js';
import type { Ctx, Section } from '../section.js';

const STATE_TEXT: Record<WorkflowStepView['state'], string> = {
  pending: 'pending',
  running: 'running',
  waiting: 'waiting for you',
  closed: 'closed',
  failed: 'failed',
  stopped: 'stopped',
  skipped: 'skipped',
};

const baseName = (path: string): string => path.split('/').pop() || path;

/** A document as a link that opens it (a closed phase's, or one a gate asks about); a template path still to be written as text. */
function documentItem(path: string, linked: boolean, lane: string | undefined, ctx: Ctx): HTMLElement {
  if (!linked || /[{}]/.test(path))
    return h('li', { class: 'muted', 'data-testid': 'step-document-pending', title: path }, [baseName(path)]);
  const link = h(
    'a',
    {
      href: '#',
      class: 'doc-link',
      'data-testid': 'step-document',
      'data-path': path,
      title: path,
      'aria-label': `Open ${path}`,
    },
    [baseName(path)],
    {
      click: (event) => {
        event.preventDefault();
        ctx.post({ type: 'openFile', path, ...(lane ? { lane } : {}) });
      },
    },
  );
  return h('li', {}, [link]);
}

function gateLine(step: WorkflowStepView): HTMLElement | null {
  const gate = step.gate;
  if (gate.kind === 'none') return null;
  const state =
    gate.state === 'waiting'
      ? 'waiting for you'
      : gate.state === 'saved'
        ? 'saved for later (Approve on the spec, or Resume, asks again)'
        : gate.state;
  return h(
    'div',
    {
      class: `gate gate-${gate.state}`,
      'data-testid': 'step-gate',
      'data-gate': gate.kind,
      'data-gate-state': gate.state,
    },
    [
      h('span', {
        class: `dot ${gate.state === 'passed' ? 'passed' : gate.state === 'failed' ? 'failed' : gate.state === 'waiting' || gate.state === 'saved' ? 'asking' : ''}`,
        'aria-hidden': 'true',
      }),
      ` ${gate.kind} gate${gate.detail ? ` (${gate.detail})` : ''}: ${state}${step.retry && gate.state === 'failed' ? `, the role writes again (retry ${step.retry.attempt}/${step.retry.max})` : ''}`,
      gate.state === 'failed' && gate.report
        ? h('pre', { class: 'gate-report', 'data-testid': 'step-gate-report' }, [gate.report])
        : null,
    ],
  );
}

/**
 * A check gate that failed only for requirements with no test (slice's F): which, and the waiver
 * (`--allow-untested`) the host confirms before it resumes the run. Not while the run is live.
 */
function untestedControls(
  step: WorkflowStepView,
  run: Pick<RunView, 'runId' | 'live' | 'pooled'>,
  trusted: boolean,
  ctx: Ctx,
): HTMLElement | null {
  const untested = step.gate.untested;
  // A pooled run is resumed by a worker, not here.
  if (step.gate.state !== 'failed' || !untested?.length || !run.runId || run.live || run.pooled) return null;
  const runId = run.runId;
  const waive = button(
    `btn-allow-untested-${step.phase}`,
    'Allow untested…',
    () => ctx.post({ type: 'allowUntested', runId, phase: step.phase }),
    {
      secondary: true,
      disabled: !trusted,
      title: trusted
        ? `Waive ${untested.join(', ')} (recorded in the journal and the matrix), then resume the run`
        : 'Trust the workspace to resume the run',
    },
  );
  waive.setAttribute(
    'aria-label',
    `Allow untested requirements ${untested.join(', ')} at phase ${step.phase} and resume the run`,
  );
  return h(
    'div',
    {
      class: 'untested',
      'data-testid': `step-untested-${step.phase}`,
      role: 'group',
      'aria-label': `Requirements with no test at phase ${step.phase}`,
    },
    [
      h('p', { class: 'muted' }, [
        `No test for ${untested.join(', ')}. Add a test citing each and Resume, or waive them:`,
      ]),
      h('div', { class: 'toolbar small' }, [waive]),
      trusted
        ? null
        : h('p', { class: 'muted' }, ['Resuming needs a trusted workspace (the phases after it run its commands).']),
    ],
  );
}

/** The three actions of a phase's human gate, named by spec and phase so a stale view cannot answer another gate. */
function gateControls(decision: GateDecisionView, trusted: boolean, ctx: Ctx): HTMLElement {
  const { specId, phase } = decision;
  const key = `${specId}#${phase}`;
  const textarea = h('vscode-textarea', {
    'data-testid': `gate-feedback-${phase}`,
    placeholder: `What should phase ${phase} change?`,
    'aria-label': `Feedback for phase ${phase}`,
    rows: 2,
    resize: 'vertical',
  }) as HTMLElement & { value: string; invalid: boolean };
  textarea.value = ctx.ui.feedback[key] ?? '';
  textarea.addEventListener('input', () => {
    ctx.ui.feedback[key] = textarea.value;
    textarea.invalid = false;
    ctx.saveUi();
  });
  const requestChanges = () => {
    const feedback = (ctx.ui.feedback[key] ?? '').trim();
    if (!feedback) {
      textarea.invalid = true;
      textarea.focus();
      return;
    }
    delete ctx.ui.feedback[key];
    ctx.saveUi();
    ctx.post({ type: 'requestChanges', specId, phase, feedback });
  };
  return h(
    'div',
    {
      class: 'decision gate-decision',
      'data-testid': `gate-decision-${phase}`,
      role: 'group',
      'aria-label': `Decision on phase ${phase}`,
    },
    [
      h('div', { class: 'toolbar small' }, [
        button(`btn-gate-approve-${phase}`, 'Approve', () => ctx.post({ type: 'approve', specId, phase }), {
          title: `Approve phase ${phase}: the run goes on`,
        }),
        button(`btn-gate-save-${phase}`, 'Save for later', () => ctx.post({ type: 'save', specId, phase }), {
          secondary: true,
          title: 'Stop here; Resume asks again',
        }),
      ]),
      trusted
        ? null
        : h('p', { class: 'muted' }, ['Approving needs a trusted workspace (the phases after it run its commands).']),
      textarea,
      h('div', { class: 'toolbar small' }, [
        button(`btn-gate-changes-${phase}`, 'Request changes', requestChanges, { secondary: true }),
      ]),
    ],
  );
}

function stepItem(
  step: WorkflowStepView,
  workflow: WorkflowRunView,
  run: Pick<RunView, 'runId' | 'live' | 'lane' | 'pooled'>,
  trusted: boolean,
  ctx: Ctx,
): HTMLElement {
  const live = run.live;
  const decision = live && workflow.decision?.phase === step.phase ? workflow.decision : undefined;
  const documents = step.documents.filter((d) => d !== 'code');
  const linked = step.closedDocuments === true;
  const specWaits = live && !workflow.decision && step.state === 'waiting';
  return h(
    'li',
    {
      class: `step step-${step.state}`,
      'data-testid': 'workflow-step',
      'data-phase': step.phase,
      'data-state': step.state,
      'aria-label': stepLabel(step),
    },
    [
      h('div', { class: 'step-line' }, [
        live && step.state === 'running'
          ? h('vscode-progress-ring', { class: 'ring', 'aria-hidden': 'true' })
          : h('span', {
              class: `dot ${step.state === 'closed' ? 'passed' : step.state === 'waiting' ? 'asking' : step.state}`,
              'aria-hidden': 'true',
            }),
        h('span', { class: 'step-name' }, [step.phase]),
        step.title ? h('span', { class: 'step-title', title: step.title }, [step.title]) : null,
        h('span', { class: 'step-state', 'data-testid': 'step-state' }, [STATE_TEXT[step.state]]),
      ]),
      step.role || step.ms !== undefined
        ? h('div', { class: 'muted step-meta' }, [
            [step.role ? `role ${step.role}` : '', step.ms !== undefined ? `${(step.ms / 1000).toFixed(1)} s` : '']
              .filter(Boolean)
              .join(' · '),
          ])
        : null,
      gateLine(step),
      untestedControls(step, run, trusted, ctx),
      documents.length
        ? h(
            'ul',
            { class: 'step-documents', 'aria-label': `Documents of phase ${step.phase}` },
            documents.map((d) => documentItem(d, linked, run.lane, ctx)),
          )
        : null,
      specWaits
        ? h('p', { class: 'muted', 'data-testid': 'step-spec-gate' }, [
            'Decide on the spec above: approve, request changes or save for later.',
          ])
        : null,
      decision ? gateControls(decision, trusted, ctx) : null,
    ],
  );
}

/** The steps of a run that follows a workflow; null for a run without one (a bugfix's or audit's own pipeline). */
export function renderSteps(
  run: Pick<RunView, 'runId' | 'workflow' | 'live' | 'lane' | 'pooled'>,
  trusted: boolean,
  ctx: Ctx,
): HTMLElement | null {
  const workflow = run.workflow;
  if (!workflow || (workflow.steps.length === 0 && !workflow.problem)) return null;
  const closed = workflow.steps.filter((s) => s.state === 'closed').length;
  return h('div', { class: 'workflow', 'data-testid': 'workflow-steps', 'data-workflow': workflow.name }, [
    h('div', { class: 'workflow-head' }, [
      h('span', { class: 'wave-title' }, [`Workflow ${workflow.name}`]),
      ' ',
      badge(`${closed}/${workflow.steps.length} closed`, { 'data-testid': 'workflow-progress' }),
    ]),
    workflow.problem
      ? h('p', { class: 'banner warn', 'data-testid': 'workflow-problem' }, [
          `The workflow file could not be read: ${workflow.problem}`,
        ])
      : null,
    h(
      'ol',
      { class: 'steps', 'aria-label': `Phases of workflow ${workflow.name}` },
      workflow.steps.map((step) => stepItem(step, workflow, run, trusted, ctx)),
    ),
  ]);
}

export const workflowSteps: Section<{
  run?: Pick<RunView, 'runId' | 'workflow' | 'live' | 'pooled'>;
  trusted: boolean;
}> = {
  id: 'workflow',
  select: (s) => ({
    ...(s.run?.workflow
      ? {
          run: {
            workflow: s.run.workflow,
            live: s.run.live,
            ...(s.run.runId ? { runId: s.run.runId } : {}),
            ...(s.run.pooled ? { pooled: true as const } : {}),
          },
        }
      : {}),
    trusted: s.trusted,
  }),
  render({ run, trusted }, ctx) {
    const steps = run ? renderSteps(run, trusted, ctx) : null;
    return steps ? h('section', { id: 'workflow-panel', 'data-testid': 'workflow-panel' }, [steps]) : null;
  },
};
