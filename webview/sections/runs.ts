/** Past runs of the folder, with Show Changes / Resume / Rollback. */
import { isResumable, type RunItem } from '../../src/shared/protocol.js';
import { badge, button, h } from '../dom.js';
import { collapsible, type Section } from '../section.js';

export const runs: Section<{ runs: RunItem[]; busy: boolean }> = {
  id: 'runs',
  select: (s) => ({ runs: s.runs, busy: s.busy }),
  render(s, ctx) {
    if (s.runs.length === 0) return null;
    const items = s.runs.slice(0, 20).map((run) =>
      h('li', { class: 'run-item', 'data-testid': 'run-item', 'data-run-id': run.runId }, [
        h('span', { class: 'title', title: run.problem ?? run.request }, [
          run.problem ? `Unreadable journal: ${run.problem}` : run.request,
        ]),
        badge(run.worktree ? `${run.status} · worktree ${run.worktree.outcome}` : run.status),
        h('span', { class: 'muted' }, [
          `${run.kind ? `${run.kind} · ` : ''}${run.started.replace('T', ' ').slice(0, 16)} UTC`,
        ]),
        h('div', { class: 'toolbar small' }, [
          button(
            `btn-run-changes-${run.runId}`,
            'Changes',
            () => ctx.post({ type: 'runCommand', command: 'showChanges', arg: run.runId }),
            { secondary: true },
          ),
          isResumable(run.status)
            ? button(
                `btn-run-resume-${run.runId}`,
                'Resume',
                () => ctx.post({ type: 'runCommand', command: 'resumeRun', arg: run.runId }),
                { secondary: true, disabled: s.busy },
              )
            : null,
          button(
            `btn-run-rollback-${run.runId}`,
            'Rollback',
            () => ctx.post({ type: 'runCommand', command: 'rollbackRun', arg: run.runId }),
            { secondary: true, disabled: s.busy },
          ),
          // A run waiting in its own worktree (issue 22): bring it in, keep it as a branch, or drop it.
          ...(run.worktree?.outcome === 'pending' && run.status !== 'running'
            ? [
                run.status === 'completed'
                  ? button(
                      `btn-run-apply-${run.runId}`,
                      'Apply',
                      () => ctx.post({ type: 'runCommand', command: 'applyRun', arg: run.runId }),
                      { secondary: true },
                    )
                  : null,
                run.status === 'completed'
                  ? button(
                      `btn-run-branch-${run.runId}`,
                      'Branch',
                      () => ctx.post({ type: 'runCommand', command: 'branchRun', arg: run.runId }),
                      { secondary: true },
                    )
                  : null,
                button(
                  `btn-run-discard-${run.runId}`,
                  'Discard',
                  () => ctx.post({ type: 'runCommand', command: 'discardRun', arg: run.runId }),
                  { secondary: true },
                ),
              ]
            : []),
        ]),
      ]),
    );
    return collapsible(
      ctx,
      'runs',
      'Runs',
      false,
      [h('ul', { id: 'run-list', 'data-testid': 'run-list', class: 'list' }, items)],
      String(s.runs.length),
    );
  },
};
