/**
 * Drift (issue 23): the selected completed spec checked against today's code after Verify —
 * each requirement holds, changed or broken, with its evidence (files changed since the spec
 * completed, the validate and test commands run again).
 */
import type { DriftView } from '../../src/shared/protocol.js';
import { badge, h } from '../dom.js';
import type { Section } from '../section.js';

export const drift: Section<DriftView | undefined> = {
  id: 'drift',
  select: (s) => (s.selectedDrift && s.selectedDrift.specId === s.selectedSpec?.id ? s.selectedDrift : undefined),
  render(d) {
    if (!d) return null;
    const body = d.running
      ? [h('p', { class: 'muted', 'data-testid': 'drift-running' }, ['Verifying against today\'s code…'])]
      : d.error
        ? [h('p', { class: 'error' }, [d.error])]
        : [
            h('p', { class: 'muted' }, [`Basis: ${d.basis ?? ''}`]),
            ...d.notes.map((note) => h('p', { class: 'muted' }, [note])),
            h('ul', { class: 'drift-list' }, d.requirements.map((r) =>
              h('li', { 'data-testid': 'drift-requirement', 'data-requirement': r.requirement, 'data-status': r.status }, [
                h('strong', {}, [`${r.requirement} ${r.title} `]),
                badge(r.status),
                h('ul', { class: 'cell-list' }, r.evidence.map((line) => h('li', {}, [line]))),
              ]),
            )),
          ];
    return h('section', { id: 'drift', 'data-testid': 'drift', 'data-status': d.status ?? '' }, [
      h('h2', {}, ['Drift ', d.status ? badge(d.status, { 'data-testid': 'drift-status' }) : null]),
      ...body,
    ]);
  },
};
