/**
 * The Pool page (issue 28): every pooled run as the workers report it — status, phase, wave,
 * worker, cost, reason — and the team's spend today against `limits.poolBudgetUsdPerDay`. Live:
 * the server's `pool` events re-render it (main.ts). A run waiting at the spec gate links to the
 * Specs page, where supervisors approve it for the pool; supervisors and admins may stop a run still going.
 * Each run links to its journal as the workers mirrored it (poolJournalView.ts).
 */
import { waitingFor } from '../../shared/poolView';
import type { PoolBoard, PoolBoardRun } from '../../shared/portalApi';
import { call, ROUTES } from './api';
import { h, show } from './dom';
import { statusWords, timeEl } from './format';

const usd = (value: number, digits = 2) => `$${value.toFixed(digits)}`;

function spend(board: PoolBoard): HTMLElement {
  const { spentTodayUsd: spent, budgetUsdPerDay: limit } = board;
  const calls = `${board.requestsToday} model call(s)`;
  const going = board.runs.filter((r) => r.status === 'running').length;
  const cap =
    board.maxConcurrentRuns !== null
      ? ` · ${going} of at most ${board.maxConcurrentRuns} runs going at once (limits.poolMaxConcurrentRuns)`
      : ` · ${going} run(s) going`;
  if (limit === null) {
    return h(
      'section',
      { class: 'spend', 'aria-labelledby': 'spend-head' },
      h('h2', { id: 'spend-head' }, 'Team spend today'),
      h(
        'p',
        { 'data-testid': 'pool-spend' },
        `${usd(spent)} spent on ${board.day} (UTC), ${calls}; no day budget set (limits.poolBudgetUsdPerDay)${cap}.`,
      ),
    );
  }
  const spentOut = spent >= limit;
  return h(
    'section',
    { class: 'spend', 'aria-labelledby': 'spend-head' },
    h('h2', { id: 'spend-head' }, 'Team spend today'),
    h(
      'p',
      { 'data-testid': 'pool-spend', ...(spentOut ? { class: 'error' } : {}) },
      `${usd(spent)} of ${usd(limit)} spent on ${board.day} (UTC), ${calls}${spentOut ? ": the day's budget is spent, no model call starts on any worker" : `; ${usd(limit - spent)} left`}${cap}.`,
    ),
    h('progress', {
      max: String(limit),
      value: String(Math.min(spent, limit)),
      'aria-label': `Team spend today: ${usd(spent)} of ${usd(limit)}`,
    }),
  );
}

const GOING: ReadonlySet<string> = new Set(['queued', 'running', 'awaiting-approval']);

/** Stop for a run still going (supervisors and admins): stopped in the pool; a worker running it stops its agents. */
function stopButton(run: PoolBoardRun, notify: (text: string) => void): HTMLElement {
  const stop = () => {
    call(ROUTES.stopPooled, { params: { runId: run.runId } }).then(
      () => notify(`Stopped: pooled run ${run.runId}`),
      (e: Error) => notify(e.message),
    );
  };
  return h(
    'div',
    {},
    h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        'data-action': 'stop',
        'aria-label': `Stop pooled run ${run.runId}`,
        onclick: stop,
      },
      'Stop',
    ),
  );
}

function runRow(run: PoolBoardRun, stop?: (run: PoolBoardRun) => HTMLElement): HTMLElement {
  const phase = [run.phase, run.wave ? `wave ${run.wave}` : null].filter(Boolean).join(', ');
  return h(
    'tr',
    { 'data-run': run.runId, 'data-status': run.status },
    h(
      'th',
      { scope: 'row' },
      h('code', {}, run.runId),
      h('div', { class: 'muted request' }, `${run.kind}: ${run.request}`),
      h(
        'div',
        {},
        h(
          'a',
          {
            href: `#/pool/${encodeURIComponent(run.runId)}`,
            'data-testid': 'pool-journal-link',
            'aria-label': `Journal of pooled run ${run.runId}`,
          },
          'Journal',
        ),
      ),
      run.github?.length
        ? h(
            'div',
            { 'data-testid': 'pool-github' },
            ...run.github
              .filter((link) => /^https:\/\//.test(link.url))
              .flatMap((link, i) => [
                i ? ' · ' : '',
                h(
                  'a',
                  {
                    href: link.url,
                    target: '_blank',
                    rel: 'noopener noreferrer',
                    'aria-label': `${link.label} of run ${run.runId} on GitHub`,
                  },
                  link.label,
                ),
              ]),
          )
        : null,
      run.workflow || run.allowUntested || run.runner
        ? h(
            'div',
            { class: 'muted', 'data-testid': 'pool-flags' },
            [
              run.workflow ? `workflow ${run.workflow}` : '',
              run.runner ? `on ${run.runner}` : '',
              run.allowUntested ? 'untested requirements waived (--allow-untested)' : '',
            ]
              .filter(Boolean)
              .join(' · '),
          )
        : null,
    ),
    h(
      'td',
      {},
      h('span', { class: 'badge', 'data-status': run.status }, statusWords(run.status)),
      run.status === 'awaiting-approval' && run.specId
        ? h(
            'div',
            {},
            h(
              'a',
              { href: '#/specs', 'aria-label': `Approve the spec of run ${run.runId} on the Specs page` },
              'Decide on the Specs page',
            ),
          )
        : null,
      stop && GOING.has(run.status) ? stop(run) : null,
    ),
    h('td', {}, phase || '—'),
    h(
      'td',
      { 'data-testid': 'pool-worker' },
      run.worker ?? waitingFor(run) ?? '—',
      run.attempts > 1 ? h('div', { class: 'muted' }, `taken ${run.attempts} times`) : null,
    ),
    h('td', { class: 'num' }, usd(run.costUsd, 4)),
    h('td', {}, run.reason ?? (run.resultBranch ? h('span', {}, 'result on ', h('code', {}, run.resultBranch)) : '')),
    h('td', { class: 'muted' }, timeEl(run.updatedAt)),
  );
}

export async function poolView(main: HTMLElement, deciders: boolean, notify: (text: string) => void): Promise<void> {
  const page = await call(ROUTES.pool);
  const head = h('h1', {}, 'Pool');
  if (!page.configured) {
    return show(
      main,
      head,
      h(
        'p',
        { class: 'muted' },
        "No pool: the pool of workers runs on the queue's PostgreSQL (queue.url). See docs/pool.md.",
      ),
    );
  }
  if ('error' in page)
    return show(main, head, h('p', { class: 'error', role: 'alert' }, `The pool could not be read: ${page.error}`));
  const { board } = page;
  const table = h(
    'table',
    { class: 'pool-runs' },
    h('caption', { class: 'visually-hidden' }, 'Pooled runs, oldest first'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['Run', 'Status', 'Phase', 'Worker', 'Cost', 'Reason or result', 'Changed'].map((label) =>
          h('th', { scope: 'col' }, label),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      ...board.runs.map((run) => runRow(run, deciders ? (going) => stopButton(going, notify) : undefined)),
    ),
  );
  show(
    main,
    head,
    h(
      'p',
      { class: 'muted' },
      'Runs put in the pool (',
      h('code', {}, 'orchestrator feature … --pool'),
      ') and the worker that runs each, as they change. Apply a completed run with ',
      h('code', {}, 'orchestrator apply <run>'),
      ' or from VS Code.',
    ),
    spend(board),
    h('h2', {}, `Runs (${board.runs.length})`),
    board.runs.length
      ? h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Pooled runs' }, table)
      : h('p', { class: 'muted' }, 'No run in the pool yet.'),
  );
}
