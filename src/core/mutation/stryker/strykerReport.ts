/**
 * StrykerJS's JSON report (the mutation-testing-report-schema), read back into our statuses: each
 * of its mutants named by the same id the listing gave it (file, place, mutator, replacement).
 */
import * as z from 'zod/mini';
import { mutantId } from '../sample';
import type { MutantStatus } from '../types';

const position = z.object({ line: z.number(), column: z.number() });
const report = z.object({
  files: z.record(
    z.string(),
    z.object({
      mutants: z.array(
        z.object({
          mutatorName: z.string(),
          replacement: z.optional(z.string()),
          status: z.string(),
          location: z.object({ start: position, end: position }),
        }),
      ),
    }),
  ),
});

/** Stryker's status in ours: a mutant no proof test reached survives it. */
const STATUS: Record<string, MutantStatus> = {
  Killed: 'killed',
  Survived: 'survived',
  NoCoverage: 'survived',
  Timeout: 'timeout',
  RuntimeError: 'error',
  CompileError: 'error',
};

/** Each reported mutant's status by id; throws when the text is not such a report. */
export function readStrykerReport(text: string): Map<string, MutantStatus> {
  const parsed = report.parse(JSON.parse(text));
  const statuses = new Map<string, MutantStatus>();
  for (const [path, file] of Object.entries(parsed.files)) {
    for (const m of file.mutants) {
      const id = mutantId({
        path,
        line: m.location.start.line,
        column: m.location.start.column,
        operator: m.mutatorName,
        replacement: m.replacement ?? '',
      });
      // Ignored (a `Stryker disable` comment) or pending: no verdict.
      const status = STATUS[m.status];
      if (status) statuses.set(id, status);
    }
  }
  return statuses;
}
