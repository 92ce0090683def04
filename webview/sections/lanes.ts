/**
 * Runs in their own worktrees (issue 22), side by side: each with its phase, waves and
 * layers, their attempts (issue 47), cost and Cancel; a finished one with Apply, Create branch, Discard and Show Changes.
 */
import { runSpendLabel, type RunView } from '../../src/shared/protocol.js';
import { badge, button, h } from '../dom.js';
import type { Ctx, Section } from '../section.js';
import { renderAttempts } from './attempts.js';
import { renderAgents } from './layers.js';
import { askingBanner, runStatusLabel } from './run.js';
import { renderSteps } from './workflow.js';

type Lane = Omit<RunView, 'activity' | 'review' | 'trace'>;

function actions(run: Lane, ctx: Ctx): HTMLElement | null {
  const id = run.runId;
  if (run.live || !id)
    return run.live && run.lane
      ? h('div', { class: 'toolbar small' }, [
          button(`btn-lane-cancel-${run.lane}`, 'Cancel', () => ctx.post({ type: 'cancel', lane: run.lane }), {
            secondary: true,
          }),
        ])
      : null;
  if (run.worktree?.outcome !== 'pending') return null;
  const finished = run.status === 'completed';
  return h('div', { class: 'toolbar small' }, [
    finished
      ? button(`btn-lane-apply-${id}`, 'Apply', () => ctx.post({ type: 'runCommand', command: 'applyRun', arg: id }))
      : null,
    finished
      ? button(
          `btn-lane-branch-${id}`,
          'Create branch',
          () => ctx.post({ type: 'runCommand', command: 'branchRun', arg: id }),
          { secondary: true },
        )
      : null,
    button(
      `btn-lane-discard-${id}`,
      'Discard',
      () => ctx.post({ type: 'runCommand', command: 'discardRun', arg: id }),
      { secondary: true },
    ),
    run.filesChanged.length > 0
      ? button(
          `btn-lane-changes-${id}`,
          `Show Changes (${run.filesChanged.length})`,
          () => ctx.post({ type: 'runCommand', command: 'showChanges', arg: id }),
          { secondary: true },
        )
      : null,
  ]);
}

function lane(run: Lane, trusted: boolean, ctx: Ctx): HTMLElement {
  return h(
    'div',
    {
      class: 'lane',
      'data-testid': 'lane',
      'data-lane': run.lane,
      'data-run-id': run.runId,
      'data-status': run.status,
    },
    [
      h('div', { class: 'lane-head' }, [
        h('span', { class: 'title', title: run.request }, [run.request || run.kind]),
        ' ',
        badge(runStatusLabel(run), { 'data-testid': 'lane-status' }),
      ]),
      run.live && run.asking ? askingBanner(run.asking) : null,
      run.live && run.status === 'running' && !run.asking
        ? h('div', { class: 'current-phase' }, [
            h('vscode-progress-ring', { class: 'ring' }),
            (run.phase ?? 'starting').toUpperCase(),
          ])
        : null,
      renderSteps(run, trusted, ctx),
      renderAgents(run),
      renderAttempts(run, ctx),
      h('div', { class: 'usage' }, [h('span', { class: 'cost', 'data-testid': 'lane-cost' }, [runSpendLabel(run)])]),
      run.error ? h('p', { class: 'banner error' }, [run.error]) : null,
      run.stop ? h('p', { class: 'banner error' }, [`Stopped: ${run.stop.reason}`]) : null,
      run.worktree
        ? h('div', { class: 'muted', title: run.worktree.path }, [`worktree · ${run.worktree.outcome}`])
        : null,
      actions(run, ctx),
    ],
  );
}

export const lanes: Section<{ lanes: Lane[]; trusted: boolean }> = {
  id: 'lanes',
  select: (s) => ({
    lanes: (s.lanes ?? []).map(({ activity: _a, review: _r, trace: _t, ...core }) => core),
    trusted: s.trusted,
  }),
  render({ lanes: list, trusted }, ctx) {
    if (list.length === 0) return null;
    return h('section', { id: 'lanes', 'data-testid': 'lanes' }, [
      h('h2', {}, ['Runs in worktrees']),
      h(
        'div',
        { class: 'lanes' },
        list.map((run) => lane(run, trusted, ctx)),
      ),
    ]);
  },
};
