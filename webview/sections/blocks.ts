/**
 * Blocks across layers (seed 003): while a layer waits on another layer's work, an arrow from
 * the blocked layer to the one resolving it, with the request on it.
 */
import type { BlockView } from '../../src/shared/protocol.js';
import { h } from '../dom.js';
import type { Section } from '../section.js';

function arrow(b: BlockView): HTMLElement {
  return h(
    'div',
    {
      class: 'block-arrow',
      'data-testid': 'block-arrow',
      'data-from': b.from,
      'data-to': b.to,
      role: 'img',
      'aria-label': `${b.from} is blocked on ${b.to}: ${b.request}`,
    },
    [
      h('span', { class: 'block-layer from' }, [b.from]),
      h('span', { class: 'block-line' }, [h('span', { class: 'block-label' }, [`needs #${b.block}`])]),
      h('span', { class: 'block-head', 'aria-hidden': 'true' }),
      h('span', { class: 'block-layer to' }, [b.to]),
      h('div', { class: 'block-request muted' }, [b.request]),
    ],
  );
}

export const blocks: Section<{ open: BlockView[] }> = {
  id: 'blocks',
  select: (s) => ({ open: (s.run?.blocks ?? []).filter((b) => b.status === 'open') }),
  render({ open }) {
    if (open.length === 0) return null;
    return h('section', { id: 'blocks-panel', 'data-testid': 'blocks-panel' }, [
      h('h2', {}, ['Blocked layers']),
      ...open.map(arrow),
    ]);
  },
};
