/** `orchestrator trace <specId>` and the sidebar's matrix: the matrix of a spec, optionally exported. */
import { resolve } from 'node:path';
import { loadConfig } from '../project/config';
import { SPEC_ID } from '../project/specs';
import { EngineUsageError } from '../errors';
import { writeMatrixMarkdown, writeMatrixXlsx } from './exportMatrix';
import type { TraceMatrix } from './matrix';
import type { LastProven } from '../traceMatrix';
import { matrixMarkdown, withLastProven } from './renderMatrix';
import { traceOfSpec } from './traceOfSpec';

export interface TraceExport {
  /** Workbook path (relative paths are taken from the workspace). */
  xlsx?: string;
  md?: string;
}

export interface TraceReport {
  matrix: TraceMatrix;
  markdown: string;
}

/** `lastProven`: each criterion's last proven commit, by id (the completed spec's record, read by a floor above). */
export async function traceSpecMatrix(
  workspace: string,
  specId: string,
  exports: TraceExport = {},
  lastProven?: () => Promise<ReadonlyMap<string, LastProven>>,
): Promise<TraceReport> {
  const root = resolve(workspace);
  if (!SPEC_ID.test(specId))
    throw new EngineUsageError(`invalid spec id "${specId}" (expected YYYY-MM-DD-slug; see \`orchestrator specs\`)`);
  const config = await loadConfig(root);
  const traced = await traceOfSpec(root, config, specId).catch((error: unknown) => {
    if (error instanceof Error && /^no spec /.test(error.message)) throw new EngineUsageError(error.message);
    throw error;
  });
  const matrix = lastProven ? withLastProven(traced, await lastProven()) : traced;
  if (exports.xlsx) await writeMatrixXlsx(matrix, resolve(root, exports.xlsx));
  if (exports.md) await writeMatrixMarkdown(matrix, resolve(root, exports.md));
  return { matrix, markdown: matrixMarkdown(matrix) };
}
