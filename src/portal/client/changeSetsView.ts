/**
 * The Specs page's change-sets (issue 73): each set of the served workspace as one run, its status,
 * its spend against its one budget and one row per member, producers first, in the words the
 * sidebar and the chat use (shared/changeSetView.ts). Read only: a set is approved with
 * `orchestrator approve <setId>` where it runs. Every text is a text node, never HTML.
 */
import { type ChangeSetView, memberMark, memberWords, setSpendWords, setStatusWords } from '../../shared/changeSetView';
import { call, ROUTES } from './api';
import { h } from './dom';
import { timeEl } from './format';

export async function changeSetsSection(): Promise<HTMLElement | null> {
  // A mistake in the workspace file is said here; the rest of the page still shows.
  const sets = await call(ROUTES.changeSets).catch((error: unknown) =>
    error instanceof Error ? error : new Error(String(error)),
  );
  if (sets instanceof Error)
    return h('p', { class: 'error', role: 'alert' }, `The change-sets could not be read: ${sets.message}`);
  if (sets.length === 0) return null;
  return h(
    'section',
    { class: 'change-sets', 'aria-labelledby': 'change-sets-title' },
    h('h2', { id: 'change-sets-title' }, 'Change-sets'),
    ...sets.map(setCard),
  );
}

/** One set: its request, status, spend and members (exported for its DOM test). */
export function setCard(set: ChangeSetView): HTMLElement {
  return h(
    'article',
    { class: 'spec change-set', 'data-set': set.setId, 'aria-labelledby': `set-${set.setId}` },
    h('h3', { id: `set-${set.setId}` }, set.request),
    h(
      'p',
      { class: 'muted' },
      `${set.setId} · ${setStatusWords(set)} · ${setSpendWords(set)} · updated `,
      timeEl(set.updated),
    ),
    h(
      'ol',
      { class: 'members' },
      ...set.members.map((m) =>
        h(
          'li',
          { 'data-member': m.name, 'data-status': m.status },
          `${memberMark(m)} ${memberWords(m)}`,
          m.reason ? h('div', { class: 'muted' }, m.reason) : null,
        ),
      ),
    ),
    set.status === 'spec-saved'
      ? h(
          'p',
          { class: 'muted' },
          "Approve the set (every member's part) where it runs: ",
          h('code', {}, `orchestrator approve ${set.setId}`),
        )
      : null,
  );
}
