/**
 * The matrix as Markdown (`orchestrator trace --md`, the run folder's trace.md) and as the
 * rows of the `Traceability` sheet (columns of docs/traceability.md).
 */
import { proofCells, proofLine, strengthCell, UNPROVEN } from '../text/proofWords';
import type { Gap, LastProven, MatrixTable, TraceMatrix, TraceRow } from '../traceMatrix';

export const SHEET_NAME = 'Traceability';
export const COLUMNS = [
  'Requirement',
  'Criterion',
  'Tasks',
  'Files',
  'Validation',
  'Review',
  'Tests',
  'Proof',
  'Red on base',
  'Green after',
  'Strength',
] as const;
/** The proof agent names its tests, the layers' code fills a survivor's change: in Markdown shown as written, never as markup. */
const AGENT_WORDS: ReadonlySet<string> = new Set(['Proof', 'Strength']);

const GAP_TEXT: Record<Gap, string> = {
  'no-task': 'not linked in the source',
  'no-file': 'no implementing file',
  'no-test': 'no test',
  unmet: 'criterion unmet',
  'validation-failed': 'validation failed',
};

/** One row's cells, in COLUMNS order; list cells joined by new lines. */
export function rowCells(row: TraceRow): string[] {
  return [
    `${row.requirement}: ${row.requirementTitle}${row.changes.length > 0 ? ` (changed: ${row.changes.join(', ')})` : ''}`,
    row.criterion === row.requirement ? '(no criterion)' : `${row.criterion}: ${row.criterionText}`,
    row.tasks.join('\n') || (row.source === 'not-linked' ? '(none: not linked in the source)' : '(none)'),
    row.files.join('\n') || (row.source === 'done-before-import' ? '(none: done before import)' : '(none)'),
    row.validation.join('\n') || '(none)',
    row.review,
    row.tests.join('\n') || (row.testWaiver ? `(none: ${row.testWaiver})` : '(none)'),
    ...proofCells(row.proof),
    strengthCell(row.proof?.strength),
  ];
}

/** `Proof: 3 proven, 1 failing, 1 unproven` over the matrix's criteria (a row journaled before proof counts as unproven). */
export function matrixProofLine(matrix: TraceMatrix): string {
  return proofLine(matrix.rows.map((row) => (row.proof ?? UNPROVEN).status));
}

/**
 * docs/traceability.md's columns, every gap shown; a completed spec the sweep proved on main
 * (issue 74) also shows Last proven: the commit each criterion was last proven at, and when.
 */
export function defaultTable(matrix: TraceMatrix): MatrixTable {
  const swept = matrix.rows.some((row) => row.lastProven);
  return {
    headers: [...COLUMNS, ...(swept ? [LAST_PROVEN] : [])],
    cells: matrix.rows.map((row) => [...rowCells(row), ...(swept ? [lastProvenCell(row)] : [])]),
    gaps: matrix.rows.map((row) => row.gaps),
  };
}

export const LAST_PROVEN = 'Last proven';

/** `3f2a9c8d1e2b (2026-11-28T03:04:05.000Z)`; `—` for a criterion no sweep proved yet. */
export function lastProvenCell(row: TraceRow): string {
  return row.lastProven ? `${row.lastProven.commit.slice(0, 12)} (${row.lastProven.at})` : '—';
}

/** The matrix with each criterion's `lastProven` (by criterion id) on its row. */
export function withLastProven(matrix: TraceMatrix, proven: ReadonlyMap<string, LastProven>): TraceMatrix {
  if (proven.size === 0) return matrix;
  return {
    ...matrix,
    rows: matrix.rows.map((row) => {
      const lastProven = proven.get(row.criterion);
      return lastProven ? { ...row, lastProven } : row;
    }),
  };
}

export function gapText(gaps: readonly Gap[]): string {
  return gaps.map((g) => GAP_TEXT[g]).join(', ');
}

export function matrixMarkdown(matrix: TraceMatrix, table: MatrixTable = defaultTable(matrix)): string {
  // A summary line speaks of a column: it is there once its column is (a workflow's matrix grows phase by phase).
  const shows = (column: string) => table.columns === undefined || table.columns.includes(column);
  const cell = (text: string, column: number) =>
    (AGENT_WORDS.has(table.headers[column] ?? '') ? markdownText(text) : text)
      .replace(/\|/g, '\\|')
      .replace(/\n/g, '<br>');
  const lines = [
    `# Traceability: ${matrix.title}`,
    '',
    `Spec \`${matrix.specId}\`; runs: ${matrix.runIds.join(', ') || 'none yet'}.`,
    '',
  ];
  if (matrix.rows.length === 0) {
    lines.push('The spec has no requirements (it was written before traceability): nothing to trace.');
    return `${lines.join('\n')}\n`;
  }
  lines.push(`| ${table.headers.join(' | ')} | Gaps |`, `|${' --- |'.repeat(table.headers.length + 1)}`);
  table.cells.forEach((cells, index) =>
    lines.push(`| ${cells.map(cell).join(' | ')} | ${gapText(table.gaps[index] ?? []) || '—'} |`),
  );
  const notes: string[] = [];
  if (table.headers.includes('Proof')) notes.push(matrixProofLine(matrix).replace(/^Proof:/, '**Proof:**'));
  if (shows('code'))
    notes.push(
      matrix.requirementsWithoutFile.length
        ? `**Requirements with no implementing file:** ${matrix.requirementsWithoutFile.join(', ')}`
        : 'Every requirement with work has an implementing file.',
    );
  if (matrix.notLinked.length)
    notes.push(
      `**Not linked in the source** (no task cites them; the review judges them): ${matrix.notLinked.join(', ')}`,
    );
  if (matrix.doneBeforeImport.length)
    notes.push(
      `**Done before import** (every task citing them was ticked in the source): ${matrix.doneBeforeImport.join(', ')}`,
    );
  if (matrix.unlinkedTasks.length) notes.push(`**Tasks citing no requirement:** ${matrix.unlinkedTasks.join('; ')}`);
  if (matrix.taskGroups?.length) notes.push(`**Groups of sub-tasks:** ${matrix.taskGroups.join('; ')}`);
  if (shows('tests'))
    notes.push(
      matrix.criteriaWithoutTest.length
        ? `**Criteria with no test:** ${matrix.criteriaWithoutTest.join(', ')}`
        : 'Every criterion has a test.',
    );
  const waived = [
    ...new Set(matrix.rows.filter((row) => row.testWaiver).map((row) => `${row.requirement} (${row.testWaiver})`)),
  ];
  if (waived.length) notes.push(`**Untested, waived:** ${waived.join(', ')}`);
  // Each note a paragraph of its own.
  for (const note of notes) lines.push('', note);
  return `${lines.join('\n')}\n`;
}

/** Plain text that Markdown shows as written: markup (links, images, HTML, emphasis) escaped, GFM's bare links broken. */
function markdownText(text: string): string {
  return text
    .replace(/[\\`*_[\]<>&!~]/g, (c) => `\\${c}`)
    .replace(/\b([a-z][\w+.-]*):(?=\/\/)/gi, '$1\\:')
    .replace(/\bwww\./gi, 'www\\.');
}
