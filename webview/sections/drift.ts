/**
 * Drift (issue 23): the selected completed spec checked against today's code after Verify —
 * each requirement holds, changed or broken, with its evidence (files changed since the spec
 * completed, the validate and test commands run again) and its criteria's proof tests run again.
 */
import { PROOF_MARKS, type DriftView } from '../../src/shared/protocol.js';

/** A proof run again: proven or failing now (its mark), not run. */
const NOW_MARK = { proven: PROOF_MARKS.proven, failing: PROOF_MARKS.failing, flaky: '~', 'not-run': '–' } as const;
import { badge, h } from '../dom.js';
import type { Section } from '../section.js';

export const drift: Section<DriftView | undefined> = {
  id: 'drift',
  select: (s) => (s.selectedDrift && s.selectedDrift.specId === s.selectedSpec?.id ? s.selectedDrift : undefined),
  render(d) {
    if (!d) return null;
    const body = d.running
      ? [
          h('p', { class: 'muted', 'data-testid': 'drift-running' }, [
            d.measuring
              ? "Verifying against today's code and measuring the proof's strength (mutants: this takes a while)…"
              : "Verifying against today's code…",
          ]),
        ]
      : d.error
        ? [h('p', { class: 'error' }, [d.error])]
        : [
            h('p', { class: 'muted' }, [`Basis: ${d.basis ?? ''}`]),
            ...d.notes.map((note) => h('p', { class: 'muted' }, [note])),
            h(
              'ul',
              { class: 'drift-list' },
              d.requirements.map((r) =>
                h(
                  'li',
                  { 'data-testid': 'drift-requirement', 'data-requirement': r.requirement, 'data-status': r.status },
                  [
                    h('strong', {}, [`${r.requirement} ${r.title} `]),
                    badge(r.status),
                    r.proof?.length
                      ? h('p', { class: 'small', 'data-testid': 'drift-proof' }, [
                          'Proof now: ',
                          ...r.proof.flatMap((p, i) => [
                            i > 0 ? ' · ' : '',
                            h(
                              'span',
                              {
                                'data-criterion': p.criterion,
                                'data-now': p.now,
                                title: `was ${p.then}${p.lastProven ? `; last proven at ${p.lastProven.commit} on ${p.lastProven.at}` : ''}`,
                              },
                              [
                                `${NOW_MARK[p.now]} ${p.criterion} ${p.now === 'not-run' ? 'not run' : p.now}`,
                                p.lastProven ? ` (last proven at ${p.lastProven.commit.slice(0, 12)})` : '',
                              ],
                            ),
                          ]),
                        ])
                      : null,
                    h(
                      'ul',
                      { class: 'cell-list' },
                      r.evidence.map((line) => h('li', {}, [line])),
                    ),
                  ],
                ),
              ),
            ),
            d.strength ? strengthList(d.strength) : null,
          ];
    return h('section', { id: 'drift', 'data-testid': 'drift', 'data-status': d.status ?? '' }, [
      h('h2', {}, ['Drift ', d.status ? badge(d.status, { 'data-testid': 'drift-status' }) : null]),
      ...body,
    ]);
  },
};

/** `verify --strength`: each criterion's score line, its survivors under it. */
function strengthList(strength: NonNullable<DriftView['strength']>) {
  return h('div', { 'data-testid': 'drift-strength' }, [
    h('h3', {}, ['Strength now']),
    strength.error ? h('p', { class: 'muted' }, [strength.error]) : null,
    h(
      'ul',
      { class: 'drift-list' },
      strength.criteria.map((c) =>
        h('li', { 'data-criterion': c.criterion }, [
          h('strong', {}, [`${c.criterion} `]),
          c.line,
          c.survivors.length
            ? h(
                'ul',
                { class: 'cell-list' },
                c.survivors.map((line) => h('li', {}, [line])),
              )
            : null,
        ]),
      ),
    ),
  ]);
}
