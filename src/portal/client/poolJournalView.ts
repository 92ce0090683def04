/**
 * A pooled run's journal (`#/pool/<runId>`, `?before=<seq>` for an earlier page): read-only, the
 * newest page first as the workers mirrored it, each entry's time, type and text; above it, the
 * run's proof and strength per criterion (docs/proof.md) and its attempts, a line per layer
 * (docs/attempts.md). The page is kept in the address, so the live re-render on each `pool` event
 * stays where the reader paged to.
 */
import type { RunProof, RunProofCriterion } from '../../shared/portalApi';
import { markedStatus, strengthLine, strengthPercent, survivorLines } from '../../shared/reportViews';
import { call, ROUTES } from './api';
import { h, show } from './dom';
import { timeEl } from './format';

/** Each criterion's proof: its mark and status, its test (the proof agent's words, as text) and its runs. */
function proofSection(runId: string, proof: RunProof): HTMLElement {
  const table = h(
    'table',
    { class: 'proof', 'data-testid': 'run-proof' },
    h('caption', { class: 'visually-hidden' }, `Proof per criterion of pooled run ${runId}`),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['Criterion', 'Proof', 'Test', 'Red on base', 'Green after', 'Strength'].map((label) =>
          h('th', { scope: 'col' }, label),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      ...proof.criteria.map((c) =>
        h(
          'tr',
          { 'data-criterion': c.criterion, 'data-proof': c.status },
          h('th', { scope: 'row' }, h('code', {}, c.criterion)),
          h('td', {}, markedStatus(c.status)),
          h(
            'td',
            {},
            c.file ? h('code', {}, c.file) : '—',
            c.test ? h('div', { class: 'muted' }, c.test) : null,
            c.tests > 1 ? h('div', { class: 'muted' }, `and ${c.tests - 1} more`) : null,
          ),
          h('td', {}, c.file ? (c.red ?? '—') : '—'),
          h('td', {}, c.file ? c.green : '—'),
          strengthTd(c),
        ),
      ),
    ),
  );
  return h(
    'section',
    { 'aria-labelledby': 'proof-head' },
    h('h2', { id: 'proof-head' }, 'Proof'),
    h('p', { 'data-testid': 'run-proof-line' }, proof.line),
    h(
      'div',
      { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': `Proof of pooled run ${runId}` },
      table,
    ),
  );
}

/** The score of its tests against mutants of the changed lines; each survivor (the code's words, as text) below it. */
function strengthTd(c: RunProofCriterion): HTMLElement {
  const lines = c.strength ? survivorLines(c.strength) : [];
  return h(
    'td',
    { 'data-column': 'strength', title: c.strength ? strengthLine(c.strength) : 'not measured' },
    strengthPercent(c.strength),
    ...lines.map((line) => h('div', { class: 'muted' }, line)),
  );
}

export async function poolJournalView(main: HTMLElement, runId: string, before: string | null): Promise<void> {
  const earlierThan = before !== null && /^\d+$/.test(before) ? before : undefined;
  const page = await call(ROUTES.poolJournal, { params: { runId }, query: { before: earlierThan } });
  const base = `#/pool/${encodeURIComponent(runId)}`;
  const paging = h(
    'nav',
    { class: 'paging', 'aria-label': `Pages of the journal of pooled run ${runId}` },
    page.earlier !== undefined
      ? h(
          'a',
          {
            href: `${base}?before=${page.earlier}`,
            'data-testid': 'journal-earlier',
            'aria-label': `Earlier events of pooled run ${runId} (before #${page.earlier})`,
          },
          'Earlier events',
        )
      : h('span', { class: 'muted' }, "From the run's start"),
    ...(earlierThan
      ? [' · ', h('a', { href: base, 'aria-label': `Newest events of pooled run ${runId}` }, 'Newest events')]
      : []),
  );
  const table = h(
    'table',
    { class: 'journal', 'data-testid': 'pool-journal' },
    h('caption', { class: 'visually-hidden' }, `Journal of pooled run ${runId}, oldest of this page first`),
    h('thead', {}, h('tr', {}, ...['#', 'Time', 'Type', 'Event'].map((label) => h('th', { scope: 'col' }, label)))),
    h(
      'tbody',
      {},
      ...page.events.map((event) =>
        h(
          'tr',
          { 'data-seq': String(event.seq) },
          h('td', { class: 'num' }, String(event.seq)),
          h('td', { class: 'muted' }, timeEl(event.ts)),
          h('th', { scope: 'row' }, h('code', {}, event.type)),
          h('td', { class: 'event-text' }, event.text),
        ),
      ),
    ),
  );
  show(
    main,
    h('h1', {}, 'Journal of pooled run ', h('code', {}, runId)),
    h(
      'p',
      {},
      h('a', { href: '#/pool' }, 'Back to the Pool'),
      h('span', { class: 'muted' }, ' · read-only, as its workers mirrored it into the pool'),
    ),
    page.proof ? proofSection(runId, page.proof) : null,
    page.attempts
      ? h(
          'section',
          { 'aria-labelledby': 'attempts-head' },
          h('h2', { id: 'attempts-head' }, 'Attempts'),
          h('ul', { 'data-testid': 'run-attempts' }, ...page.attempts.map((line) => h('li', {}, line))),
        )
      : null,
    h('h2', {}, 'Journal'),
    paging,
    page.events.length
      ? h(
          'div',
          { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': `Journal of pooled run ${runId}` },
          table,
        )
      : h('p', { class: 'muted' }, 'No event yet: the run has not started on a worker.'),
  );
}
