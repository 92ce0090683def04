/**
 * A pooled run's journal (`#/pool/<runId>`, `?before=<seq>` for an earlier page): read-only, the
 * newest page first as the workers mirrored it, each entry's time, type and text. The page is
 * kept in the address, so the live re-render on each `pool` event stays where the reader paged to.
 */
import { call, ROUTES } from './api';
import { h, show } from './dom';
import { timeEl } from './format';

export async function poolJournalView(main: HTMLElement, runId: string, before: string | null): Promise<void> {
  const earlierThan = before !== null && /^\d+$/.test(before) ? before : undefined;
  const page = await call(ROUTES.poolJournal, { params: { runId }, query: { before: earlierThan } });
  const base = `#/pool/${encodeURIComponent(runId)}`;
  const paging = h('nav', { class: 'paging', 'aria-label': `Pages of the journal of pooled run ${runId}` },
    page.earlier !== undefined ? h('a', { href: `${base}?before=${page.earlier}`, 'data-testid': 'journal-earlier', 'aria-label': `Earlier events of pooled run ${runId} (before #${page.earlier})` }, 'Earlier events') : h('span', { class: 'muted' }, 'From the run\'s start'),
    ...(earlierThan ? [' · ', h('a', { href: base, 'aria-label': `Newest events of pooled run ${runId}` }, 'Newest events')] : []));
  const table = h('table', { class: 'journal', 'data-testid': 'pool-journal' },
    h('caption', { class: 'visually-hidden' }, `Journal of pooled run ${runId}, oldest of this page first`),
    h('thead', {}, h('tr', {}, ...['#', 'Time', 'Type', 'Event'].map((label) => h('th', { scope: 'col' }, label)))),
    h('tbody', {}, ...page.events.map((event) => h('tr', { 'data-seq': String(event.seq) },
      h('td', { class: 'num' }, String(event.seq)), h('td', { class: 'muted' }, timeEl(event.ts)),
      h('th', { scope: 'row' }, h('code', {}, event.type)), h('td', { class: 'event-text' }, event.text)))));
  show(main, h('h1', {}, 'Journal of pooled run ', h('code', {}, runId)),
    h('p', {}, h('a', { href: '#/pool' }, 'Back to the Pool'), h('span', { class: 'muted' }, ' · read-only, as its workers mirrored it into the pool')),
    paging,
    page.events.length ? h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': `Journal of pooled run ${runId}` }, table) : h('p', { class: 'muted' }, 'No event yet: the run has not started on a worker.'));
}
