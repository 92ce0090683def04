/**
 * The matrix at every phase close (seed 000: "at the close of every phase, the documenter updates
 * the traceability matrix"): brought up to date from the journal and written beside the spec, as
 * `trace.md` and the `trace.xlsx` workbook (its Traceability sheet), so it travels with the spec
 * to spec/completed/. Each closed phase adds its columns (trace/matrixTable.ts): its `trace:` list,
 * or its step's (implement/fix: code and validation; review; complete: tests); design, validation
 * and UAT cells name the phase's documents that cite the requirement, UAT the gate's sign-off.
 * A failure only warns, like the run folder's copy.
 */
import { join } from 'node:path';
import { readOptionalText } from '../../project/sources';
import type { TraceColumn, WorkflowPhase } from '../../project/workflows';
import { type ClosedPhase, phasedTable, writeMatrixMarkdown, writeMatrixXlsx } from '../../trace';
import { updateTrace } from '../feature';
import type { RunContext } from '../kernel';
import { specFolder } from './documents';

/** The columns an engine step adds when its phase closes. */
const STEP_COLUMNS: Partial<Record<NonNullable<WorkflowPhase['uses']>, TraceColumn[]>> = {
  implement: ['code', 'validation'],
  fix: ['code', 'validation'],
  review: ['review'],
  complete: ['tests'],
};

export async function traceBesideSpec(ctx: RunContext): Promise<void> {
  const folder = specFolder(ctx);
  if (!folder) return;
  const matrix = await updateTrace(ctx);
  if (!matrix || matrix.rows.length === 0) return;
  try {
    const table = phasedTable(matrix, await closedPhases(ctx, folder));
    await writeMatrixMarkdown(matrix, join(ctx.workspace, folder, 'trace.md'), table);
    await writeMatrixXlsx(matrix, join(ctx.workspace, folder, 'trace.xlsx'), table);
  } catch (error) {
    ctx.warn(
      `The traceability matrix could not be written beside the spec (${folder}): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** The workflow's phases closed so far (journal), with the columns they add and their documents. */
async function closedPhases(ctx: RunContext, folder: string): Promise<ClosedPhase[]> {
  const specId = ctx.facts().specId;
  const closed: ClosedPhase[] = [];
  for (const phase of ctx.workflow?.phases ?? []) {
    // The last close: a change request may run a phase again.
    const close = [...ctx.events]
      .reverse()
      .find((event) => event.type === 'phase.closed' && event.phase === phase.name);
    if (close?.type !== 'phase.closed') continue;
    const columns = phase.trace ?? (phase.uses ? (STEP_COLUMNS[phase.uses] ?? []) : []);
    if (columns.length === 0) continue;
    const documents: ClosedPhase['documents'] = [];
    for (const path of close.documents) {
      // COMPLETE moves the spec's folder (and the documents in it) to spec/completed/.
      const now =
        specId && path.startsWith(`spec/active/${specId}/`)
          ? `${folder}/${path.slice(`spec/active/${specId}/`.length)}`
          : path;
      const text = await readOptionalText(join(ctx.workspace, now));
      if (text !== undefined) documents.push({ path: now, text });
    }
    const approved = ctx.events.some((event) => event.type === 'phase.approved' && event.phase === phase.name);
    closed.push({ phase: phase.name, columns, documents, approved, ...(close.ts ? { closedAt: close.ts } : {}) });
  }
  return closed;
}
