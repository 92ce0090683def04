/**
 * StrykerJS's JSON report (the mutation-testing-report-schema), read back into our statuses: each
 * of its mutants named by the same id the listing gave it (file, place, mutator, replacement);
 * for a run over several criteria's test files, each mutant judged by each one's tests alone
 * (which tests killed it, which ran against it).
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
          killedBy: z.optional(z.array(z.string())),
          coveredBy: z.optional(z.array(z.string())),
        }),
      ),
    }),
  ),
  testFiles: z.optional(z.record(z.string(), z.object({ tests: z.array(z.object({ id: z.string() })) }))),
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

type Reported = z.infer<typeof report>['files'][string]['mutants'][number];

function eachMutant(text: string): { parsed: z.infer<typeof report>; mutants: Array<[string, Reported]> } {
  const parsed = report.parse(JSON.parse(text));
  const mutants: Array<[string, Reported]> = [];
  for (const [path, file] of Object.entries(parsed.files))
    for (const m of file.mutants)
      mutants.push([
        mutantId({
          path,
          line: m.location.start.line,
          column: m.location.start.column,
          operator: m.mutatorName,
          replacement: m.replacement ?? '',
        }),
        m,
      ]);
  return { parsed, mutants };
}

/** Each reported mutant's status by id; throws when the text is not such a report. */
export function readStrykerReport(text: string): Map<string, MutantStatus> {
  const statuses = new Map<string, MutantStatus>();
  for (const [id, m] of eachMutant(text).mutants) {
    // Ignored (a `Stryker disable` comment) or pending: no verdict.
    const status = STATUS[m.status];
    if (status) statuses.set(id, status);
  }
  return statuses;
}

/**
 * Each suite's statuses (its test files' tests alone) from a run over all of them that did not
 * stop at a mutant's first failing test (`disableBail`): killed by a test of the suite; a timeout
 * when only this suite's tests ran against it (with another suite's too, which test hung is not
 * known: no verdict, never a kill it may not have made); else it survived the suite's tests.
 */
export function readStrykerSuites(text: string, suites: ReadonlyArray<readonly string[]>): Map<string, MutantStatus>[] {
  const { parsed, mutants } = eachMutant(text);
  const idsOf = (files: readonly string[]) =>
    new Set(files.flatMap((file) => parsed.testFiles?.[file]?.tests.map((t) => t.id) ?? []));
  const suiteIds = suites.map(idsOf);
  return suiteIds.map((ids) => {
    const statuses = new Map<string, MutantStatus>();
    for (const [id, m] of mutants) {
      const status = STATUS[m.status];
      if (!status) continue;
      const ran = (m.coveredBy ?? []).filter((t) => ids.has(t)).length > 0;
      if (status === 'killed') statuses.set(id, (m.killedBy ?? []).some((t) => ids.has(t)) ? 'killed' : 'survived');
      else if (status === 'timeout') {
        const others = (m.coveredBy ?? []).some((t) => !ids.has(t));
        statuses.set(id, !ran ? 'survived' : others ? 'error' : 'timeout');
      } else statuses.set(id, status);
    }
    return statuses;
  });
}
