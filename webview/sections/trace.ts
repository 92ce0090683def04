/**
 * The traceability matrix (seed 000): one row per acceptance criterion — requirement, criterion,
 * tasks, files, validation, review, tests, proof, strength — with its gaps highlighted: a requirement no file
 * implements, a criterion no test covers, an unmet criterion, a failed validation, a proof that
 * fails or proves nothing (docs/proof.md). The run's matrix while it runs (or was restored), else
 * the selected spec's. A file opens on click.
 */
import {
  markedStatus,
  proofLine,
  strengthCell,
  strengthPercent,
  type TraceProofView,
  type TraceRowView,
  type TraceView,
  type ViewState,
} from '../../src/shared/protocol.js';
import { badge, clickable, h } from '../dom.js';
import { collapsible, type Ctx, type Section } from '../section.js';

const GAP_LABEL: Record<string, string> = {
  'no-task': 'no task',
  'no-file': 'no file',
  'no-test': 'no test',
  unmet: 'unmet',
  'validation-failed': 'validation failed',
};

/** Which column a gap is about: that cell is the one highlighted. */
const GAP_COLUMN: Record<string, string> = {
  'no-task': 'tasks',
  'no-file': 'files',
  'no-test': 'tests',
  unmet: 'review',
  'validation-failed': 'validation',
};

function pick(state: ViewState): TraceView | undefined {
  const selected = state.selectedSpec?.id;
  const run = state.run?.trace;
  if (run && (!selected || run.specId === selected)) return run;
  return state.selectedTrace?.specId === selected ? state.selectedTrace : run;
}

/** A path as its file name; the whole path in the tooltip, and a click opens it. */
function files(items: string[], open: (path: string) => void): HTMLElement {
  if (items.length === 0) return h('span', { class: 'muted' }, ['—']);
  return h(
    'ul',
    { class: 'cell-list' },
    items.map((item) => {
      const path = item.replace(/ \(by hand\)$/, '');
      const name = `${path.split('/').pop() ?? path}${item === path ? '' : ' (by hand)'}`;
      return /^[\w@.+~$()[\]{}/-]+$/.test(path)
        ? clickable(h('li', { class: 'file-link', title: item }, [h('code', {}, [name])]), () => open(path))
        : h('li', {}, [item]);
    }),
  );
}

/** `1. Backend: …` → `1`; the tasks in the tooltip. */
function taskNumbers(tasks: string[]): HTMLElement {
  if (tasks.length === 0) return h('span', { class: 'muted' }, ['—']);
  return h('span', { title: tasks.join('\n') }, [
    tasks.map((t, i) => /^(\d+)\./.exec(t)?.[1] ?? String(i + 1)).join(', '),
  ]);
}

/** `backend: passed` → `backend ✓`, `failed (cmd)` → `✗` with the command in the tooltip. */
function validation(items: string[]): HTMLElement {
  if (items.length === 0) return h('span', { class: 'muted' }, ['—']);
  return h(
    'ul',
    { class: 'cell-list', title: items.join('\n') },
    items.map((v) =>
      h('li', { class: 'nowrap' }, [
        v
          .replace(/: passed$/, ' ✓')
          .replace(/: failed.*$/, ' ✗')
          .replace(/: not run$/, ' –'),
      ]),
    ),
  );
}

const NO_PROOF: TraceProofView = { status: 'unproven', green: 'not-run', tests: 0 };
/** A proof that fails or proves nothing is a gap of its own. */
const PROOF_GAP = new Set(['failing', 'broken', 'vacuous']);

/** The proof's mark and status; its test (the proof agent's words, as text) and its runs in the tooltip. */
function proof(row: TraceRowView): HTMLElement {
  const p = row.proof ?? NO_PROOF;
  const test = p.file
    ? `${p.file}${p.test ? ` › ${p.test}` : ''}${p.tests > 1 ? ` (+${p.tests - 1} more)` : ''}`
    : p.untestable
      ? `untestable: ${p.untestable}`
      : 'no proof test';
  const title = [test, p.red ? `red on base: ${p.red}` : '', p.file ? `green after: ${p.green}` : '']
    .filter(Boolean)
    .join('\n');
  return h(
    'td',
    { class: PROOF_GAP.has(p.status) ? 'gap' : undefined, 'data-column': 'proof', 'data-proof': p.status, title },
    [h('span', { class: 'nowrap' }, [markedStatus(p.status)])],
  );
}

/**
 * The score of its tests against mutants of the changed lines (docs/proof.md "Strength"); the
 * counts and each survivor (the code's words, as text) in the tooltip. `data-survived` for a test.
 */
function strength(row: TraceRowView): HTMLElement {
  const s = row.proof?.strength;
  const title = s ? strengthCell(s) : 'not measured';
  return h('td', { 'data-column': 'strength', 'data-survived': s ? String(s.survived) : undefined, title }, [
    h('span', { class: 'nowrap' }, [strengthPercent(s)]),
  ]);
}

function cell(row: TraceRowView, column: string, content: Node): HTMLElement {
  const gap = row.gaps.some((g) => GAP_COLUMN[g] === column);
  return h('td', { class: gap ? 'gap' : undefined, 'data-column': column }, [content]);
}

function rowOf(row: TraceRowView, ctx: Ctx): HTMLElement {
  const open = (path: string) => ctx.post({ type: 'openFile', path });
  return h('tr', { 'data-testid': 'trace-row', 'data-criterion': row.criterion, 'data-gaps': row.gaps.join(' ') }, [
    h('td', { title: `${row.requirement}: ${row.requirementTitle}` }, [
      h('strong', {}, [row.requirement]),
      // Amended by a change request: which version changed it, and when (in the tooltip).
      row.changes?.length
        ? badge(`changed ${row.changes.map((c) => c.split(' ')[0]).join(', ')}`, {
            'data-testid': 'trace-changed',
            'data-requirement': row.requirement,
            title: row.changes.join('\n'),
          })
        : null,
    ]),
    h('td', { title: row.criterionText }, [
      h('strong', {}, [row.criterion === row.requirement ? '—' : row.criterion]),
      h('div', { class: 'clamp' }, [row.criterionText]),
    ]),
    cell(row, 'tasks', taskNumbers(row.tasks)),
    cell(row, 'files', files(row.files, open)),
    cell(row, 'validation', validation(row.validation)),
    cell(row, 'review', h('span', { title: row.review }, [row.review.split(':')[0] ?? row.review])),
    cell(row, 'tests', files(row.tests, open)),
    proof(row),
    strength(row),
  ]);
}

export const trace: Section<{ trace?: TraceView }> = {
  id: 'trace',
  select: (s) => ({ trace: pick(s) }),
  render({ trace: t }, ctx) {
    if (!t || t.rows.length === 0) return null;
    const gaps = t.rows.filter((r) => r.gaps.length > 0 || PROOF_GAP.has(r.proof?.status ?? '')).length;
    const summary = [
      t.requirementsWithoutFile.length ? `no file: ${t.requirementsWithoutFile.join(', ')}` : '',
      t.criteriaWithoutTest.length ? `no test: ${t.criteriaWithoutTest.join(', ')}` : '',
    ].filter(Boolean);
    const table = h('table', { class: 'trace-table', 'data-testid': 'trace-table' }, [
      h('thead', {}, [
        h(
          'tr',
          {},
          ['Req.', 'Criterion', 'Tasks', 'Files', 'Validation', 'Review', 'Tests', 'Proof', 'Strength'].map((c) =>
            h('th', {}, [c]),
          ),
        ),
      ]),
      h(
        'tbody',
        {},
        t.rows.map((row) => rowOf(row, ctx)),
      ),
    ]);
    return h('section', { id: 'trace-panel', 'data-testid': 'trace-panel', 'data-spec': t.specId }, [
      collapsible(
        ctx,
        'trace',
        'Traceability',
        true,
        [
          summary.length ? h('p', { class: 'banner warn', 'data-testid': 'trace-gaps' }, [summary.join(' · ')]) : null,
          h('div', { class: 'trace-scroll' }, [table]),
          h('div', { class: 'toolbar small' }, [
            h('span', { class: 'muted' }, [`${t.rows.length} criteria`]),
            h('span', { class: 'muted', 'data-testid': 'trace-proof' }, [
              proofLine(t.rows.map((r) => (r.proof ?? NO_PROOF).status)),
            ]),
            ...[...new Set(t.rows.flatMap((r) => r.gaps))].map((g) => badge(GAP_LABEL[g] ?? g)),
          ]),
        ].filter((n): n is HTMLElement => n !== null),
        gaps ? `${gaps} with gaps` : 'complete',
      ),
    ]);
  },
};
