/** The current (or last) run: status, phase, waves and layers, live tokens and cost, Cancel. */
import { budgetLabel, isResumable, runSpendLabel, type RunView } from '../../src/shared/protocol.js';
import { badge, button, h } from '../dom.js';
import type { Ctx, Section } from '../section.js';
import { githubLinks } from './githubLinks.js';
import { renderAgents } from './layers.js';

type RunCore = Omit<RunView, 'activity' | 'review' | 'stop'>;

const title = (run: RunCore): string =>
  ({
    feature: 'Feature',
    bugfix: 'Bugfix',
    audit: 'Audit',
    approve: 'Implement spec',
    resume: 'Resume',
    sync: 'Sync registry',
  })[run.kind] + (run.request ? `: ${run.request}` : '');

function afterRun(run: RunCore, busy: boolean, ctx: Ctx): HTMLElement | null {
  // Another process's run is neither resumed nor rolled back from here while it goes; a pooled run is the pool's (its Pool section acts on it).
  if (run.live || run.elsewhere || run.pooled || !run.runId) return null;
  const touched = run.filesChanged.length > 0 || run.checkpoint !== undefined;
  return h('div', { class: 'toolbar' }, [
    touched &&
      button(
        'btn-show-changes',
        `Show Changes (${run.filesChanged.length})`,
        () => ctx.post({ type: 'runCommand', command: 'showChanges', arg: run.runId }),
        { secondary: true },
      ),
    isResumable(run.status)
      ? button('btn-resume', 'Resume', () => ctx.post({ type: 'runCommand', command: 'resumeRun', arg: run.runId }), {
          disabled: busy,
        })
      : null,
    touched &&
      button(
        'btn-rollback',
        'Rollback',
        () => ctx.post({ type: 'runCommand', command: 'rollbackRun', arg: run.runId }),
        { secondary: true, disabled: busy },
      ),
  ]);
}

/** What a run's badge says: a question waiting is "waiting for you"; a run its window's closing cut short is "stopped". */
export function runStatusLabel(run: Pick<RunCore, 'live' | 'asking' | 'status'>): string {
  if (run.live && run.asking) return 'waiting for you';
  return run.status === 'interrupted' ? 'stopped' : run.status.replace('-', ' ');
}

/** The run waits on the human: the question, and where to answer it. */
export function askingBanner(asking: NonNullable<RunCore['asking']>): HTMLElement {
  return h('div', { class: 'banner asking', role: 'status', 'data-testid': 'run-asking' }, [
    h('strong', {}, ['Waiting for you: ']),
    asking.question,
    h('div', { class: 'muted' }, [`${asking.agent} asks; answer in the dialog. The run waits until you do.`]),
  ]);
}

/** The deploy step after COMPLETE: deployed, then the smoke tests' verdict. */
function deployLine(deploy: NonNullable<RunCore['deploy']>): HTMLElement {
  return h('div', { class: 'deploy', 'data-testid': 'run-deploy', 'data-smoke': deploy.smoke ?? '' }, [
    deploy.deployed ? badge('deployed') : null,
    deploy.smoke ? badge(`smoke tests ${deploy.smoke}`, deploy.smoke === 'failed' ? { class: 'warn' } : {}) : null,
    deploy.detail ? h('span', { class: 'muted' }, [` ${deploy.detail}`]) : null,
  ]);
}

export const runPanel: Section<{ run?: RunCore; busy: boolean }> = {
  id: 'run',
  select: (s) => {
    if (!s.run) return { busy: s.busy };
    const { activity: _a, review: _r, stop: _s, ...core } = s.run;
    return { run: core, busy: s.busy };
  },
  render({ run, busy }, ctx) {
    if (!run) return null;
    const u = run.usage;
    const phases = run.phases.map((p) =>
      h('span', { class: `phase ${p.state}`, 'data-phase': p.name }, [
        p.name.toUpperCase(),
        p.ms !== undefined ? ` ${(p.ms / 1000).toFixed(1)}s` : '',
      ]),
    );
    return h(
      'section',
      { id: 'run-panel', 'data-testid': 'run-panel', 'data-status': run.status, 'data-run-id': run.runId },
      [
        h('h2', {}, [
          h('span', { class: 'title' }, [title(run)]),
          ' ',
          badge(runStatusLabel(run), { id: 'run-status', 'data-testid': 'run-status' }),
        ]),
        githubLinks(run.github, ctx),
        run.live && run.asking ? askingBanner(run.asking) : null,
        run.live && run.status === 'running' && !run.asking
          ? h('div', { id: 'run-phase', 'data-testid': 'run-phase', class: 'current-phase' }, [
              h('vscode-progress-ring', { class: 'ring' }),
              (run.phase ?? 'starting').toUpperCase(),
            ])
          : null,
        // A run that follows a workflow shows its phases as steps (workflow.ts) instead.
        phases.length && !run.workflow?.steps.length ? h('div', { class: 'phases' }, phases) : null,
        run.deploy ? deployLine(run.deploy) : null,
        renderAgents(run),
        h('div', { class: 'usage' }, [
          h('span', { id: 'run-tokens', 'data-testid': 'run-tokens' }, [
            `in ${u.input.toLocaleString('en-US')} · out ${u.output.toLocaleString('en-US')} · cache ${u.cacheRead.toLocaleString('en-US')}r/${u.cacheWrite.toLocaleString('en-US')}w`,
          ]),
          h('span', { id: 'run-cost', 'data-testid': 'run-cost', class: 'cost' }, [runSpendLabel(run)]),
        ]),
        run.budget ? h('p', { class: 'banner error' }, [budgetLabel(run.budget)]) : null,
        run.error ? h('p', { class: 'banner error', 'data-testid': 'run-error' }, [run.error]) : null,
        run.status === 'interrupted'
          ? h('p', { class: 'banner warn', 'data-testid': 'run-interrupted' }, [
              'Stopped when its window closed. Resume continues where it stopped; finished layers are kept.',
            ])
          : null,
        run.pooled
          ? h('p', { class: 'banner', role: 'status', 'data-testid': 'run-pooled' }, [
              `Run on the pool of workers: its journal as they mirrored it${run.elsewhere ? ', shown here as it grows' : ''}. Approve, Stop or Apply it in the Pool section.`,
            ])
          : null,
        run.elsewhere && !run.pooled
          ? h('p', { class: 'banner', role: 'status', 'data-testid': 'run-elsewhere' }, [
              `Run by another process (orchestrator serve, from a GitHub issue, or a CLI run): shown here as its journal grows. ${run.github?.some((l) => l.kind === 'issue') ? 'Decide or cancel it on its issue.' : 'Cancel it where it runs.'}`,
            ])
          : null,
        run.live && busy
          ? h('div', { class: 'toolbar' }, [
              button('btn-cancel', 'Cancel', () => ctx.post({ type: 'cancel' }), { secondary: true }),
            ])
          : null,
        afterRun(run, busy, ctx),
      ],
    );
  },
};
