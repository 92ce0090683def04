/**
 * The pool of workers (issue 28): every pooled run as the workers report it — status, phase,
 * wave, cost, and which worker runs it — and the team's spend today. A pooled spec waiting at
 * the gate has Approve (any free worker continues it); a run still going has Stop; a completed run has Apply (its branch
 * fetched and merged into the working tree); a run from a GitHub issue links to its issue, spec
 * comment, branch and pull request; Journal shows a run's journal in the run panel as the workers
 * mirrored it. Shown only when the workspace's queue is on PostgreSQL (and the workspace is trusted).
 */
import { waitingFor, type PoolRunView, type PoolView } from '../../src/shared/protocol.js';
import { badge, button, h } from '../dom.js';
import { githubLinks } from './githubLinks.js';
import { collapsible, type Ctx, type Section } from '../section.js';

const LABEL: Record<PoolRunView['status'], string> = {
  queued: 'queued',
  running: 'running',
  'awaiting-approval': 'waiting for approval',
  completed: 'completed',
  stopped: 'stopped',
  failed: 'failed',
};

const usd = (value: number, digits = 2): string => `$${value.toFixed(digits)}`;

/** A button whose accessible name says which run it acts on (several runs show the same label). */
function labelled(el: HTMLElement, name: string): HTMLElement {
  el.setAttribute('aria-label', name);
  return el;
}

function runItem(run: PoolRunView, pool: PoolView, trusted: boolean, ctx: Ctx): HTMLElement {
  const progress = [run.phase, run.wave ? `wave ${run.wave}` : null].filter(Boolean).join(' · ');
  const where = run.worker
    ? `${run.status === 'running' ? 'on' : 'by'} ${run.worker}`
    : (waitingFor(run) ?? 'no worker yet');
  const approve =
    run.status === 'awaiting-approval' && run.specId
      ? labelled(
          button(
            `btn-pool-approve-${run.runId}`,
            'Approve',
            () => ctx.post({ type: 'poolApprove', specId: run.specId! }),
            { title: `Approve the spec ${run.specId}: any free worker continues the run` },
          ),
          `Approve the spec of pooled run ${run.runId}`,
        )
      : null;
  const apply =
    run.status === 'completed' && run.resultBranch
      ? labelled(
          button(
            `btn-pool-apply-${run.runId}`,
            pool.applying === run.runId ? 'Applying…' : 'Apply',
            () => ctx.post({ type: 'poolApply', runId: run.runId }),
            {
              secondary: true,
              disabled: !trusted || pool.applying !== undefined,
              title: trusted
                ? `Fetch ${run.resultBranch} and merge it into your working tree (nothing staged or committed)`
                : 'Trust the workspace to apply',
            },
          ),
          `Apply pooled run ${run.runId} (${run.resultBranch})`,
        )
      : null;
  const stop =
    run.status === 'queued' || run.status === 'running' || run.status === 'awaiting-approval'
      ? labelled(
          button(`btn-pool-stop-${run.runId}`, 'Stop', () => ctx.post({ type: 'poolStop', runId: run.runId }), {
            secondary: true,
            title: 'Stop this run in the pool: a worker running it stops its agents and pushes nothing more',
          }),
          `Stop pooled run ${run.runId}`,
        )
      : null;
  // Its journal in the run panel, as the workers mirrored it (read-only; a queued run has none yet).
  const journal =
    run.status !== 'queued' || run.attempts > 0
      ? labelled(
          button(`btn-pool-journal-${run.runId}`, 'Journal', () => ctx.post({ type: 'poolShow', runId: run.runId }), {
            secondary: true,
            title: 'Show its journal in the run panel, as the workers mirror it',
          }),
          `Show the journal of pooled run ${run.runId}`,
        )
      : null;
  return h(
    'li',
    {
      class: `queue-task pool-run ${run.status}`,
      'data-testid': 'pool-run',
      'data-run-id': run.runId,
      'data-status': run.status,
    },
    [
      h('div', {}, [
        h('strong', { title: run.request }, [run.request]),
        ' ',
        badge(LABEL[run.status], { 'data-testid': 'pool-run-status' }),
      ]),
      h(
        'div',
        { class: 'muted', 'data-testid': 'pool-run-detail' },
        [
          run.runId,
          run.kind,
          run.workflow ? `workflow ${run.workflow}` : null,
          run.runner ? `on ${run.runner}` : null,
          run.allowUntested
            ? h(
                'span',
                {
                  'data-testid': 'pool-run-waiver',
                  title:
                    "Given --allow-untested: requirements with no test are waived at the workflow's trace gate (journaled as trace.waived)",
                },
                ['untested waived'],
              )
            : null,
          progress || null,
          h('span', { 'data-testid': 'pool-run-worker' }, [where]),
          usd(run.costUsd, 4),
          run.attempts > 1 ? `taken ${run.attempts} times` : null,
        ]
          .filter((part): part is string | HTMLElement => Boolean(part))
          .flatMap((part, i) => (i === 0 ? [part] : [' · ', part])),
      ),
      run.reason ? h('p', { class: 'queue-refusal', 'data-testid': 'pool-run-reason' }, [run.reason]) : null,
      run.resultBranch && run.status === 'completed'
        ? h('div', { class: 'muted' }, ['result on ', h('code', {}, [run.resultBranch])])
        : null,
      githubLinks(run.github, ctx),
      approve || apply || stop || journal
        ? h('div', { class: 'toolbar small' }, [approve, apply, stop, journal])
        : null,
    ],
  );
}

function spend(pool: PoolView): string | null {
  if (pool.spentTodayUsd === undefined) return null;
  const limit = pool.budgetUsdPerDay;
  const day = pool.day ? ` (${pool.day} UTC)` : '';
  if (limit === null || limit === undefined)
    return `Team spend today${day}: ${usd(pool.spentTodayUsd)}, no day budget set`;
  return `Team spend today${day}: ${usd(pool.spentTodayUsd)} of ${usd(limit)}${pool.spentTodayUsd >= limit ? ': spent, no model call starts on any worker' : ''}`;
}

export const pool: Section<{ pool?: PoolView; trusted: boolean; hasWorkspace: boolean }> = {
  id: 'pool',
  select: (s) => ({ pool: s.pool, trusted: s.trusted, hasWorkspace: s.hasWorkspace }),
  render({ pool: p, trusted, hasWorkspace }, ctx) {
    if (!hasWorkspace || !p) return null;
    const going = p.runs.filter((r) => r.status === 'running').length;
    const waiting = p.runs.filter((r) => r.status === 'awaiting-approval').length;
    const line = spend(p);
    const children: Node[] = [
      ...(p.error
        ? [h('p', { class: 'queue-error', 'data-testid': 'pool-error' }, [`The pool could not be read: ${p.error}`])]
        : []),
      ...(line ? [h('p', { class: 'muted', 'data-testid': 'pool-spend' }, [line])] : []),
      p.runs.length
        ? h(
            'ul',
            { class: 'list', 'data-testid': 'pool-runs', 'aria-label': 'Pooled runs' },
            [...p.runs].reverse().map((run) => runItem(run, p, trusted, ctx)),
          )
        : h('p', { class: 'muted' }, [
            'No run in the pool. Put one there with orchestrator feature "…" --pool; workers join with orchestrator worker.',
          ]),
    ];
    const description =
      [going ? `${going} running` : null, waiting ? `${waiting} to approve` : null].filter(Boolean).join(' · ') ||
      `${p.runs.length} run(s)`;
    return h('section', { id: 'pool-panel', 'data-testid': 'pool-panel' }, [
      collapsible(ctx, 'pool', 'Pool', true, children, description),
    ]);
  },
};
