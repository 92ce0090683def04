/**
 * Writing the matrix out: Markdown, and the .xlsx workbook through dist/xlsx.js, a bundle of
 * its own that only an export loads (scripts/build.mjs turns the require below into
 * `require("./xlsx.js")`; from source it loads the TypeScript module).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { TraceMatrix } from './matrix';
import type { MatrixTable } from '../traceMatrix';
import { matrixMarkdown } from './renderMatrix';
import type * as Workbook from './xlsxWorkbook';

/** `table`: other columns than docs/traceability.md's (a workflow's matrix beside its spec, trace/matrixTable.ts). */
export async function writeMatrixXlsx(matrix: TraceMatrix, file: string, table?: MatrixTable): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { matrixWorkbook } = require('./xlsxWorkbook') as typeof Workbook;
  await writeOut(file, await matrixWorkbook(matrix, table));
}

/** The matrix with another room's sheet beside it (`verify --xlsx`: the `Drift` sheet). */
export async function writeMatrixXlsxWith(
  matrix: TraceMatrix,
  extra: Workbook.ExtraSheet,
  file: string,
): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { workbookWith } = require('./xlsxWorkbook') as typeof Workbook;
  await writeOut(file, await workbookWith(matrix, extra));
}

export async function writeMatrixMarkdown(matrix: TraceMatrix, file: string, table?: MatrixTable): Promise<void> {
  await writeOut(file, matrixMarkdown(matrix, table));
}

async function writeOut(file: string, data: string | Buffer): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, data);
}
