/**
 * The mutants StrykerJS would make on the changed lines, listed without running anything: its
 * instrumenter, in this process, on the copy's files. Sampling picks among these, and the run
 * that follows is limited to the chosen ones.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { mutantId } from '../sample';
import type { ChangedLines, Mutant } from '../types';

interface InstrumenterModule {
  Instrumenter: new (logger: object) => {
    instrument(
      files: Array<{ name: string; content: string; mutate: unknown }>,
      options: object,
    ): Promise<{
      mutants: ReadonlyArray<{
        fileName: string;
        mutatorName: string;
        replacement: string;
        location: { start: { line: number; column: number }; end: { line: number; column: number } };
      }>;
    }>;
  };
}

const quiet = () => undefined;
const LOGGER = {
  isTraceEnabled: () => false,
  isDebugEnabled: () => false,
  isInfoEnabled: () => false,
  isWarnEnabled: () => false,
  isErrorEnabled: () => false,
  isFatalEnabled: () => false,
  trace: quiet,
  debug: quiet,
  info: quiet,
  warn: quiet,
  error: quiet,
  fatal: quiet,
};

/** Each mutant of `changed` under `root` (1-based lines and columns), with the text it replaces. */
export async function strykerMutants(
  instrumenterEntry: string,
  root: string,
  changed: readonly ChangedLines[],
): Promise<Mutant[]> {
  const { Instrumenter } = (await import(pathToFileURL(instrumenterEntry).href)) as InstrumenterModule;
  const out: Mutant[] = [];
  for (const file of changed) {
    const content = await readFile(join(root, file.path), 'utf8');
    const lines = content.split('\n');
    // The instrumenter counts lines from 0, columns from 0; a range ends past its last line's end.
    const mutate = file.ranges.map((r) => ({
      fileName: file.path,
      start: { line: r.start - 1, column: 0 },
      end: { line: r.end - 1, column: Number.MAX_SAFE_INTEGER },
    }));
    const { mutants } = await new Instrumenter(LOGGER).instrument([{ name: file.path, content, mutate }], {
      plugins: null,
      excludedMutations: [],
      ignorers: [],
    });
    for (const m of mutants) {
      const { start, end } = m.location;
      const original = firstLine(
        start.line === end.line
          ? lines[start.line]!.slice(start.column, end.column)
          : lines[start.line]!.slice(start.column),
      );
      const base = {
        path: file.path,
        line: start.line + 1,
        column: start.column + 1,
        operator: m.mutatorName,
        original,
      };
      // The id from the whole replacement (the report's names it so); shown, its first line. Two
      // mutators may make the same change at one place: it is one mutant.
      const id = mutantId({ ...base, replacement: m.replacement });
      if (!out.some((o) => o.id === id))
        out.push({
          id,
          ...base,
          replacement: firstLine(m.replacement),
          end: { line: end.line + 1, column: end.column + 1 },
        });
    }
  }
  return out;
}

function firstLine(text: string): string {
  const [first, ...rest] = text.split('\n');
  return rest.length > 0 ? `${first!.trimEnd()} …` : first!;
}
