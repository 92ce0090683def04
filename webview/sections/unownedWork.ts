/**
 * Above the selected spec: its tasks and files that no configured layer owns (a spec a human
 * edited). No agent would do them; approving asks first.
 */
import type { UnownedItemView } from '../../src/shared/protocol.js';
import { button, h } from '../dom.js';
import type { Section } from '../section.js';

export const unownedWork: Section<{ specId?: string; path?: string; items: UnownedItemView[] }> = {
  id: 'unowned-work',
  select: (s) => {
    const listed = s.selectedSpec && s.specs.find((x) => x.id === s.selectedSpec?.id);
    return { specId: listed?.id, path: listed?.path, items: listed?.unowned ?? [] };
  },
  render(s, ctx) {
    if (!s.specId || s.items.length === 0) return null;
    const count = s.items.length === 1 ? 'This item has' : `These ${s.items.length} items have`;
    return h('section', { id: 'unowned-work', 'data-testid': 'unowned-work', class: 'banner warn', role: 'alert' }, [
      h('p', {}, [h('strong', {}, ['Work no layer owns. ']), `${count} no owning layer in .claude/orchestrator.yaml, so no agent would do it; approving asks first.`]),
      h(
        'ul',
        { class: 'list', 'data-testid': 'unowned-items' },
        s.items.map((item) => h('li', { 'data-testid': 'unowned-item', 'data-line': item.line }, [`${s.path}:${item.line} — ${item.kind} “${item.text}”`])),
      ),
      h('div', { class: 'toolbar' }, [button('btn-open-unowned', 'Open spec.md', () => ctx.post({ type: 'runCommand', command: 'openSpec', arg: s.specId }), { secondary: true })]),
    ]);
  },
};
