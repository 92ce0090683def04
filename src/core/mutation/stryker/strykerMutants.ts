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

/** One of StrykerJS's mutants with its whole replacement and where it sits (lines and columns from 0). */
interface Instrumented {
  mutant: Mutant;
  start: { line: number; column: number };
  end: { line: number; column: number };
  replacement: string;
}

/** StrykerJS's mutants of the given lines (1-based, inclusive) of one file. */
async function instrument(
  instrumenterEntry: string,
  root: string,
  path: string,
  ranges: ChangedLines['ranges'],
): Promise<Instrumented[]> {
  const { Instrumenter } = (await import(pathToFileURL(instrumenterEntry).href)) as InstrumenterModule;
  const content = await readFile(join(root, path), 'utf8');
  const lines = content.split('\n');
  // The instrumenter counts lines from 0, columns from 0; a range ends past its last line's end.
  const mutate = ranges.map((r) => ({
    fileName: path,
    start: { line: r.start - 1, column: 0 },
    end: { line: r.end - 1, column: Number.MAX_SAFE_INTEGER },
  }));
  const { mutants } = await new Instrumenter(LOGGER).instrument([{ name: path, content, mutate }], {
    plugins: null,
    excludedMutations: [],
    ignorers: [],
  });
  const out: Instrumented[] = [];
  for (const m of mutants) {
    const { start, end } = m.location;
    const original = firstLine(
      start.line === end.line
        ? lines[start.line]!.slice(start.column, end.column)
        : lines[start.line]!.slice(start.column),
    );
    const base = { path, line: start.line + 1, column: start.column + 1, operator: m.mutatorName, original };
    // The id from the whole replacement (the report's names it so); shown, its first line. Two
    // mutators may make the same change at one place: it is one mutant.
    const id = mutantId({ ...base, replacement: m.replacement });
    if (out.some((o) => o.mutant.id === id)) continue;
    out.push({
      mutant: {
        id,
        ...base,
        replacement: firstLine(m.replacement),
        end: { line: end.line + 1, column: end.column + 1 },
      },
      start,
      end,
      replacement: m.replacement,
    });
  }
  return out;
}

/** Each mutant of `changed` under `root` (1-based lines and columns), with the text it replaces. */
export async function strykerMutants(
  instrumenterEntry: string,
  root: string,
  changed: readonly ChangedLines[],
): Promise<Mutant[]> {
  const out: Mutant[] = [];
  for (const file of changed)
    out.push(...(await instrument(instrumenterEntry, root, file.path, file.ranges)).map((i) => i.mutant));
  return out;
}

/**
 * How to write each of these mutants into its file (the list keeps only a replacement's first
 * line): their lines instrumented again under `root`, each found by its id.
 */
export async function strykerApply(
  instrumenterEntry: string,
  root: string,
  mutants: readonly Mutant[],
): Promise<(text: string, mutant: Mutant) => string> {
  const found = new Map<string, Instrumented>();
  for (const path of new Set(mutants.map((m) => m.path))) {
    const ranges = mutants.filter((m) => m.path === path).map((m) => ({ start: m.line, end: m.end?.line ?? m.line }));
    for (const i of await instrument(instrumenterEntry, root, path, ranges)) found.set(i.mutant.id, i);
  }
  return (text, mutant) => {
    const edit = found.get(mutant.id);
    if (!edit) throw new Error(`mutant ${mutant.id}: StrykerJS no longer makes it in ${mutant.path}`);
    const mutated = text.slice(0, offsetOf(text, edit.start)) + edit.replacement + text.slice(offsetOf(text, edit.end));
    return TYPESCRIPT.test(mutant.path) ? withoutTypeChecks(mutated) : mutated;
  };
}

const TYPESCRIPT = /\.[cm]?tsx?$/;

/**
 * As StrykerJS's `disableTypeChecks` has it: a mutant that is valid code but not valid types
 * (a string where a number is due) says nothing of the tests, yet a proof command that type-checks
 * (`tsc && node --test dist/…`) would count it as caught. `// @ts-nocheck` goes first (after a `#!`).
 */
function withoutTypeChecks(text: string): string {
  const shebang = text.startsWith('#!') ? text.indexOf('\n') + 1 || text.length : 0;
  return `${text.slice(0, shebang)}// @ts-nocheck\n${text.slice(shebang)}`;
}

/** The offset of a line and column counted from 0. */
function offsetOf(text: string, at: { line: number; column: number }): number {
  let offset = 0;
  for (let line = 0; line < at.line; line++) {
    offset = text.indexOf('\n', offset) + 1;
    if (offset === 0) throw new Error(`no line ${at.line + 1}`);
  }
  return offset + at.column;
}

function firstLine(text: string): string {
  const [first, ...rest] = text.split('\n');
  return rest.length > 0 ? `${first!.trimEnd()} …` : first!;
}
