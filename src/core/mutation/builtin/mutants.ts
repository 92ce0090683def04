// The built-in mutator's mutants of one file's changed lines, and one mutant applied to a text.
import { mutantId } from '../sample';
import type { ChangedLines, Mutant } from '../types';
import { languageOf } from './languages';
import { lex } from './lexer';
import { operatorMutants, type Draft } from './operators';
import { statementMutants } from './statements';

export interface BuiltinInput {
  /** Path relative to the work tree, forward slashes (the mutant's `path`). */
  path: string;
  /** The file's text as the run left it. */
  text: string;
  changed: ChangedLines;
  /** The language (`go`, `python`, …, or an extension); by default from the path's extension. */
  language?: string;
}

/**
 * The mutants of a file's changed lines, never inside a comment or a literal, in the order of the
 * file (line, column, then operator and replacement). Empty for a language we do not mutate.
 */
export function builtinMutants(input: BuiltinInput): Mutant[] {
  const language = languageOf(input.path, input.language);
  if (!language || input.changed.ranges.length === 0) return [];
  const on = (line: number) => input.changed.ranges.some((r) => line >= r.start && line <= r.end);
  const tokens = lex(input.text, language);
  const drafts: Draft[] = [
    ...operatorMutants(tokens, input.text, language, on),
    ...statementMutants(tokens, input.text, language, on),
  ];
  const key = (d: Draft) => `${d.operator}\0${d.replacement}`;
  drafts.sort((a, b) => a.start - b.start || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return drafts.map(({ line, column, operator, original, replacement }) => ({
    id: mutantId({ path: input.path, line, column, operator, replacement }),
    path: input.path,
    line,
    column,
    operator,
    original,
    replacement,
  }));
}

const OPERATOR_CHARS = /[<>=!&|+\-*/%^]/;

/** The text goes on where the original ended, as one token (`<` found where `<=` now is, `1` where `10` is). */
function runsOn(original: string, after: string | undefined): boolean {
  const last = original.at(-1);
  if (!last || after === undefined) return false;
  return (/\w/.test(last) && /\w/.test(after)) || (OPERATOR_CHARS.test(last) && OPERATOR_CHARS.test(after));
}

/** The text with the mutant's change made; throws when the text there is not the mutant's original (the file changed since). */
export function applyMutant(text: string, mutant: Mutant): string {
  let offset = 0;
  for (let line = 1; line < mutant.line; line++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) throw new Error(`mutant ${mutant.id}: ${mutant.path} has no line ${mutant.line}`);
    offset = next + 1;
  }
  offset += mutant.column - 1;
  if (
    text.slice(offset, offset + mutant.original.length) !== mutant.original ||
    runsOn(mutant.original, text[offset + mutant.original.length])
  ) {
    throw new Error(
      `mutant ${mutant.id}: ${mutant.path}:${mutant.line}:${mutant.column} no longer reads as the mutant's original (the file changed since it was made)`,
    );
  }
  return text.slice(0, offset) + mutant.replacement + text.slice(offset + mutant.original.length);
}
