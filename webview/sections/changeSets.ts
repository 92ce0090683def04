/**
 * The folder's change-sets (issue 73): each one run with one status per member, producers first,
 * its status on the combined heads and its spend against its one budget, as the engine gives them
 * (engine.changeSets); the words are shared with the chat and the portal. Text only: a request or a
 * reason is shown as text, never HTML.
 */
import {
  type ChangeSetView,
  memberMark,
  memberWords,
  setSpendWords,
  setStatusWords,
} from '../../src/shared/protocol.js';
import { badge, h } from '../dom.js';
import { collapsible, type Section } from '../section.js';

export const changeSets: Section<ChangeSetView[] | undefined> = {
  id: 'changeSets',
  select: (s) => s.changeSets,
  render(sets, ctx) {
    if (!sets?.length) return null;
    const items = sets.slice(0, 10).map((set) =>
      h('li', { class: 'run-item', 'data-testid': 'change-set', 'data-set-id': set.setId }, [
        h('span', { class: 'title', title: set.request }, [set.request]),
        badge(setStatusWords(set)),
        h('span', { class: 'muted' }, [`${set.setId} · ${setSpendWords(set)}`]),
        h(
          'ol',
          { class: 'list', 'data-testid': 'change-set-members' },
          set.members.map((m) =>
            h('li', { 'data-testid': 'change-set-member', 'data-member': m.name, 'data-status': m.status }, [
              `${memberMark(m)} ${memberWords(m)}`,
              m.reason ? h('div', { class: 'muted' }, [m.reason]) : null,
            ]),
          ),
        ),
      ]),
    );
    return collapsible(
      ctx,
      'changeSets',
      'Change-Sets',
      true,
      [h('ul', { class: 'list', 'data-testid': 'change-set-list' }, items)],
      String(sets.length),
    );
  },
};
