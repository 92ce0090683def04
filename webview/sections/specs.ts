/** The saved specs with their status, then Mustard, Kiro and Spec Kit folders; clicking one shows it. */
import type { SpecItem } from '../../src/shared/protocol.js';
import { badge, clickable, h } from '../dom.js';
import { collapsible, type Section } from '../section.js';

export const specs: Section<{ specs: SpecItem[]; selected?: string; pending?: string; hasWorkspace: boolean }> = {
  id: 'specs',
  select: (s) => ({
    specs: s.specs,
    selected: s.selectedSpec?.id,
    pending: s.pendingDecision?.id,
    hasWorkspace: s.hasWorkspace,
  }),
  render(s, ctx) {
    if (!s.hasWorkspace) return null;
    const items = s.specs.map((spec) =>
      clickable(
        h(
          'li',
          {
            class: `spec-item${spec.id === s.selected ? ' selected' : ''}`,
            'data-testid': 'spec-item',
            'data-spec-id': spec.id,
            'data-status': spec.status,
            'aria-current': spec.id === s.selected,
          },
          [
            h('span', { class: 'title' }, [spec.title]),
            spec.mustard || spec.foreign ? null : badge(spec.id === s.pending ? 'awaiting approval' : spec.status),
            spec.mustard
              ? badge(mustardLabel(spec.mustard), {
                  'data-testid': 'spec-mustard',
                  title:
                    spec.mustard.refusal ?? 'A Mustard spec folder: Approve imports it and implements its open waves',
                })
              : null,
            spec.foreign
              ? badge(foreignLabel(spec.foreign), {
                  'data-testid': 'spec-foreign',
                  title:
                    spec.foreign.refusal ??
                    `Not imported yet: Import makes it a spec awaiting approval. ${spec.foreign.next}`,
                })
              : null,
            spec.foreign?.warnings.length
              ? badge(`${spec.foreign.warnings.length} warning${spec.foreign.warnings.length === 1 ? '' : 's'}`, {
                  class: 'warn',
                  'data-testid': 'spec-warnings',
                  title: spec.foreign.warnings.join('\n'),
                })
              : null,
            spec.unowned?.length
              ? badge(`${spec.unowned.length} unowned`, {
                  class: 'warn',
                  'data-testid': 'spec-unowned',
                  title: 'Work no layer owns: approving asks first',
                })
              : null,
            h('span', { class: 'muted' }, [
              spec.mustard
                ? `Mustard folder · ${spec.created.slice(0, 10)}`
                : spec.foreign
                  ? `${FORMAT[spec.foreign.format]} folder · ${spec.id}`
                  : `${spec.kind} · ${spec.created.slice(0, 10)}`,
            ]),
          ],
        ),
        () => ctx.post({ type: 'selectSpec', id: spec.id }),
      ),
    );
    const body = items.length
      ? h('ul', { id: 'spec-list', 'data-testid': 'spec-list', class: 'list' }, items)
      : h('p', { class: 'muted' }, ['No specs yet. Start with New Feature.']);
    return collapsible(ctx, 'specs', 'Specs', true, [body], String(s.specs.length));
  },
};

const FORMAT = { kiro: 'Kiro', speckit: 'Spec Kit' } as const;
const STATE = {
  ready: 'ready to import',
  'no-tasks': 'no tasks.md yet',
  'no-readable-tasks': 'no task readable',
} as const;

/** `Kiro · ready to import · 2 req · 3 tasks (1 done)`: what importing it would bring. */
function foreignLabel(f: NonNullable<SpecItem['foreign']>): string {
  const parts: string[] = [FORMAT[f.format], STATE[f.state]];
  if (f.requirements !== undefined) parts.push(`${f.requirements} req`);
  if (f.tasks !== undefined)
    parts.push(`${f.tasks} task${f.tasks === 1 ? '' : 's'}${f.doneTasks ? ` (${f.doneTasks} done)` : ''}`);
  return parts.join(' · ');
}

/** `Execute · Active · wave 1/3 done`: Mustard's own words for where the folder is. */
function mustardLabel(m: NonNullable<SpecItem['mustard']>): string {
  const parts = [m.stage ?? 'no stage', m.outcome ?? 'no outcome'];
  if (m.waves > 0) parts.push(`${m.completedWaves}/${m.waves} waves done`);
  return `Mustard ${parts.join(' · ')}`;
}
