/**
 * Above the selected spec: its tasks and files that no configured layer owns (a spec a human
 * edited), and the layers the model proposed for imported tasks naming no file. No agent would
 * do the first; approving asks first, and asks to accept the proposals.
 */
import type { UnownedItemView } from '../../src/shared/protocol.js';
import { button, h } from '../dom.js';
import type { Ctx, Section } from '../section.js';

/** A task of an imported spec that names no file: the human gives it a layer here (like `approve --assign`). */
function layerPicker(specId: string, pick: NonNullable<UnownedItemView['pick']>, ctx: Ctx): HTMLElement {
  const id = `layer-pick-${pick.task}`;
  const select = h(
    'select',
    { 'data-testid': 'layer-pick', 'data-task': pick.task, 'aria-label': `Layer for task ${pick.task}` },
    [
      h('option', { value: '' }, ['Pick a layer…']),
      ...pick.layers.map((layer) =>
        h('option', layer === pick.proposed ? { value: layer, selected: true } : { value: layer }, [layer]),
      ),
    ],
  ) as HTMLSelectElement;
  return h('div', { class: 'toolbar' }, [
    select,
    button(`${id}-assign`, 'Assign', () => {
      if (select.value) ctx.post({ type: 'assignLayer', specId, task: pick.task, layer: select.value });
    }),
  ]);
}

export const unownedWork: Section<{ specId?: string; path?: string; items: UnownedItemView[] }> = {
  id: 'unowned-work',
  select: (s) => {
    const listed = s.selectedSpec && s.specs.find((x) => x.id === s.selectedSpec?.id);
    return { specId: listed?.id, path: listed?.path, items: listed?.unowned ?? [] };
  },
  render(s, ctx) {
    if (!s.specId || s.items.length === 0) return null;
    const proposals = s.items.filter((item) => item.pick?.proposed !== undefined);
    const rest = s.items.length - proposals.length;
    const count = rest === 1 ? 'This item has' : `These ${rest} items have`;
    return h('section', { id: 'unowned-work', 'data-testid': 'unowned-work', class: 'banner warn', role: 'alert' }, [
      rest > 0
        ? h('p', {}, [
            h('strong', {}, ['Work no layer owns. ']),
            `${count} no owning layer in .claude/orchestrator.yaml, so no agent would do it; approving asks first.`,
          ])
        : null,
      proposals.length > 0
        ? h('p', { 'data-testid': 'layer-proposals' }, [
            h('strong', {}, ['Layers the model proposed. ']),
            `${proposals.length === 1 ? 'A task names' : `${proposals.length} tasks name`} no file: approving asks you to accept the proposal; Assign another layer here to change one.`,
          ])
        : null,
      h(
        'ul',
        { class: 'list', 'data-testid': 'unowned-items' },
        s.items.map((item) =>
          h('li', { 'data-testid': 'unowned-item', 'data-line': item.line }, [
            `${s.path}:${item.line} — ${item.kind} “${item.text}”`,
            item.pick && s.specId ? layerPicker(s.specId, item.pick, ctx) : null,
          ]),
        ),
      ),
      h('div', { class: 'toolbar' }, [
        button(
          'btn-open-unowned',
          'Open spec.md',
          () => ctx.post({ type: 'runCommand', command: 'openSpec', arg: s.specId }),
          { secondary: true },
        ),
      ]),
    ]);
  },
};
