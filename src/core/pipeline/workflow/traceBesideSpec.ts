/**
 * The matrix at every phase close (seed 000: "at the close of every phase, the documenter updates
 * the traceability matrix"): brought up to date from the journal and written beside the spec, as
 * `trace.md` and the `trace.xlsx` workbook (its Traceability sheet), so it travels with the spec
 * to spec/completed/. A failure only warns, like the run folder's copy.
 */
import { join } from 'node:path';
import { writeMatrixMarkdown, writeMatrixXlsx } from '../../trace/exportMatrix';
import { updateTrace } from '../feature/traceability';
import type { RunContext } from '../run/runContext';
import { specFolder } from './documents';

export async function traceBesideSpec(ctx: RunContext): Promise<void> {
  const folder = specFolder(ctx);
  if (!folder) return;
  const matrix = await updateTrace(ctx);
  if (!matrix || matrix.rows.length === 0) return;
  try {
    await writeMatrixMarkdown(matrix, join(ctx.workspace, folder, 'trace.md'));
    await writeMatrixXlsx(matrix, join(ctx.workspace, folder, 'trace.xlsx'));
  } catch (error) {
    ctx.warn(`The traceability matrix could not be written beside the spec (${folder}): ${error instanceof Error ? error.message : String(error)}`);
  }
}
