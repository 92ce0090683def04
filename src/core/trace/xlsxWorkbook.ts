/**
 * The `Traceability` workbook, written with write-excel-file (a maintained .xlsx writer).
 * Its own bundle, dist/xlsx.js (scripts/build.mjs): only an export loads it, so neither the
 * extension's activation nor the engine carries the writer.
 */
import type { Cell, Row } from 'write-excel-file/node' with { 'resolution-mode': 'import' };
import { DRIFT_SHEET, driftSheet } from '../drift/driftSheet';
import type { SpecDrift } from '../drift/types';
import type { TraceMatrix } from './matrix';
import { COLUMNS, SHEET_NAME, gapText, rowCells } from './renderMatrix';

const GAP_FILL = '#FFE0E0';
const HEADER_FILL = '#DDE7F0';

export async function matrixWorkbook(matrix: TraceMatrix): Promise<Buffer> {
  // An ES module: imported, not required (esbuild bundles it all the same).
  const { default: writeXlsxFile } = await import('write-excel-file/node');
  const sheet = traceabilitySheet(matrix);
  return writeXlsxFile(sheet.data, { sheet: SHEET_NAME, stickyRowsCount: 1, columns: sheet.columns }).toBuffer();
}

/** The matrix and, beside it, the `Drift` sheet of `verify --xlsx` (src/core/drift/driftSheet.ts). */
export async function driftWorkbook(matrix: TraceMatrix, drift: SpecDrift): Promise<Buffer> {
  const { default: writeXlsxFile } = await import('write-excel-file/node');
  const trace = traceabilitySheet(matrix);
  const sheet = driftSheet(drift);
  return writeXlsxFile([
    { data: trace.data, sheet: SHEET_NAME, stickyRowsCount: 1, columns: trace.columns },
    { data: sheet.data, sheet: DRIFT_SHEET, stickyRowsCount: 1, columns: sheet.columns },
  ]).toBuffer();
}

function traceabilitySheet(matrix: TraceMatrix): { data: Row[]; columns: { width: number }[] } {
  const header: Row = [...COLUMNS, 'Gaps'].map((value): Cell => ({ value, fontWeight: 'bold', backgroundColor: HEADER_FILL }));
  const rows: Row[] = matrix.rows.map((row) => {
    const cells = rowCells(row);
    // The cells a gap is about are highlighted: Files for a requirement with no file, Tests for a criterion with none.
    const gapColumns = new Set<number>([
      ...(row.gaps.includes('no-task') ? [2] : []),
      ...(row.gaps.includes('no-file') ? [3] : []),
      ...(row.gaps.includes('validation-failed') ? [4] : []),
      ...(row.gaps.includes('unmet') ? [5] : []),
      ...(row.gaps.includes('no-test') ? [6] : []),
    ]);
    return [
      ...cells.map((value, index): Cell => ({ value, wrap: true, ...(gapColumns.has(index) ? { backgroundColor: GAP_FILL } : {}) })),
      { value: gapText(row.gaps), wrap: true },
    ];
  });
  return { data: [header, ...rows], columns: [{ width: 28 }, { width: 48 }, { width: 48 }, { width: 40 }, { width: 30 }, { width: 30 }, { width: 36 }, { width: 24 }] };
}
