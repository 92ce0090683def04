/**
 * The `Traceability` workbook, written with write-excel-file (a maintained .xlsx writer).
 * Its own bundle, dist/xlsx.js (scripts/build.mjs): only an export loads it, so neither the
 * extension's activation nor the engine carries the writer.
 */
import type { Cell, Row } from 'write-excel-file/node' with { 'resolution-mode': 'import' };
import type { Gap, MatrixTable, TraceMatrix } from '../traceMatrix';
import { SHEET_NAME, defaultTable, gapText } from './renderMatrix';

const GAP_FILL = '#FFE0E0';
const HEADER_FILL = '#DDE7F0';
/** The Proof cell by its status: green when proven, red when the proof fails or proves nothing; unproven is left plain. */
const PROOF_FILL: Record<string, string> = {
  proven: '#DFF0D8',
  failing: GAP_FILL,
  broken: GAP_FILL,
  vacuous: GAP_FILL,
};

/** The matrix's workbook: docs/traceability.md's columns, or `table`'s (a workflow's matrix beside its spec). */
export async function matrixWorkbook(matrix: TraceMatrix, table?: MatrixTable): Promise<Buffer> {
  // An ES module: imported, not required (esbuild bundles it all the same).
  const { default: writeXlsxFile } = await import('write-excel-file/node');
  const sheet = traceabilitySheet(table ?? defaultTable(matrix));
  return writeXlsxFile(sheet.data, { sheet: SHEET_NAME, stickyRowsCount: 1, columns: sheet.columns }).toBuffer();
}

/** A sheet another room puts beside the matrix (the `Drift` sheet of `verify --xlsx`, src/core/drift/driftSheet.ts). */
export interface ExtraSheet {
  name: string;
  data: Row[];
  columns: { width: number }[];
}

/** The matrix and, beside it, `extra`. */
export async function workbookWith(matrix: TraceMatrix, extra: ExtraSheet): Promise<Buffer> {
  const { default: writeXlsxFile } = await import('write-excel-file/node');
  const trace = traceabilitySheet(defaultTable(matrix));
  return writeXlsxFile([
    { data: trace.data, sheet: SHEET_NAME, stickyRowsCount: 1, columns: trace.columns },
    { data: extra.data, sheet: extra.name, stickyRowsCount: 1, columns: extra.columns },
  ]).toBuffer();
}

/** The column a gap is about, highlighted: Files for a requirement with no file, Tests for a criterion with none. */
const GAP_HEADER: Record<Gap, string> = {
  'no-task': 'Tasks',
  'no-file': 'Files',
  'validation-failed': 'Validation',
  unmet: 'Review',
  'no-test': 'Tests',
};
const WIDTHS: Record<string, number> = {
  Requirement: 28,
  Criterion: 48,
  Design: 40,
  Tasks: 48,
  Files: 40,
  Validation: 30,
  Review: 30,
  Tests: 36,
  Proof: 44,
  'Red on base': 12,
  'Green after': 12,
  Strength: 36,
  'Last proven': 40,
  UAT: 36,
  Gaps: 24,
};

function traceabilitySheet(table: MatrixTable): { data: Row[]; columns: { width: number }[] } {
  const headers = [...table.headers, 'Gaps'];
  const header: Row = headers.map((value): Cell => ({ value, fontWeight: 'bold', backgroundColor: HEADER_FILL }));
  const proofColumn = table.headers.indexOf('Proof');
  const rows: Row[] = table.cells.map((cells, index) => {
    const gaps = table.gaps[index] ?? [];
    const gapColumns = new Set(
      gaps.map((gap) => table.headers.indexOf(GAP_HEADER[gap])).filter((column) => column >= 0),
    );
    const fill = (value: string, column: number) =>
      gapColumns.has(column)
        ? GAP_FILL
        : column === proofColumn
          ? PROOF_FILL[/^\w+/.exec(value)?.[0] ?? '']
          : undefined;
    return [
      ...cells.map((value, column): Cell => {
        const backgroundColor = fill(value, column);
        return { value, wrap: true, ...(backgroundColor ? { backgroundColor } : {}) };
      }),
      { value: gapText(gaps), wrap: true },
    ];
  });
  return { data: [header, ...rows], columns: headers.map((name) => ({ width: WIDTHS[name] ?? 30 })) };
}
