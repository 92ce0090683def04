// A small lexer per language family: names, numbers, operators and literals with where they sit,
// comments dropped. Enough to find operators outside comments and strings and to see a line's
// statement shape; not a parser (a mutant that would not compile is avoided by caution instead).
import type { Language } from './languages';
import { literalEnd } from './literals';

export type TokenKind = 'name' | 'number' | 'op' | 'literal';

export interface Token {
  kind: TokenKind;
  text: string;
  /** Offsets in the file's text, end exclusive. */
  start: number;
  end: number;
  /** 1-based. */
  line: number;
  column: number;
  /** Parentheses and square brackets open before it (braces too in Python and Ruby). */
  depth: number;
}

// Longest first: a longer operator is never read as a shorter one (`<=>`, `<<`, `->` are not `<`).
const OPERATORS = [
  '<=>',
  '===',
  '!==',
  '**=',
  '//=',
  '<<=',
  '>>=',
  '...',
  '..=',
  '..<',
  '<<<',
  '&&=',
  '||=',
  '??=',
  '<<',
  '>>',
  '<=',
  '>=',
  '==',
  '!=',
  '&&',
  '||',
  '+=',
  '-=',
  '*=',
  '/=',
  '%=',
  '&=',
  '|=',
  '^=',
  '->',
  '=>',
  '::',
  '++',
  '--',
  '**',
  '//',
  '..',
  '?.',
  '?:',
  '??',
  '!!',
  '=~',
  '!~',
  '<-',
  ':=',
  '&^',
  '|>',
];

const NAME = /[A-Za-z_$@\u00c0-\uffff][\w$\u00c0-\uffff]*/y;
const NUMBER = /(?:0[xXbBoO][0-9a-fA-F_]+|[0-9][0-9_]*(?:\.[0-9][0-9_]*)?(?:[eE][+-]?[0-9_]+)?)[A-Za-z0-9_]*/y;
const VALUE_END = new Set(['name', 'number', 'literal']);
const RUBY_OPERATOR_WORDS = new Set([
  'if',
  'unless',
  'while',
  'until',
  'and',
  'or',
  'not',
  'return',
  'when',
  'then',
  'else',
  'elsif',
  'puts',
  'in',
]);

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

/** The 1-based line of an offset, by binary search over the line starts. */
function lineOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** Where a comment starting at `i` ends, or undefined when none starts there. */
function commentEnd(text: string, i: number, language: Language, lineStart: boolean): number | undefined {
  const eol = () => (text.indexOf('\n', i) < 0 ? text.length : text.indexOf('\n', i));
  const c = text[i];
  if (language.family !== 'c-like') {
    if (c === '#') return eol();
    if (language.family === 'ruby' && lineStart && text.startsWith('=begin', i)) {
      const end = /^=end\b.*$/m.exec(text.slice(i + 6));
      return end ? i + 6 + end.index + end[0].length : text.length;
    }
    return undefined;
  }
  if (text.startsWith('//', i) || (c === '#' && (language.name === 'php' || (language.directives && lineStart))))
    return eol();
  if (!text.startsWith('/*', i)) return undefined;
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    if (text.startsWith('/*', j) && (language.nestedComments || depth === 0)) {
      depth++;
      j++;
    } else if (text.startsWith('*/', j)) {
      depth--;
      j++;
      if (depth === 0) return j + 1;
    }
  }
  return text.length;
}

/**
 * Whether the code before `i` ends in a value, so that a Ruby `/` or `%` there divides. A Ruby
 * method name, a space, then `/x` with no space is a call given a regular expression (`split /,/`).
 */
function valueBefore(text: string, i: number, last: Token | undefined, language: Language): boolean {
  if (!last || !(VALUE_END.has(last.kind) || last.text === ')' || last.text === ']')) return false;
  if (language.family !== 'ruby') return true;
  if (RUBY_OPERATOR_WORDS.has(last.text)) return false;
  return !(last.kind === 'name' && last.end < i && !/\s/.test(text[i + 1] ?? ' '));
}

/** The file's tokens, comments left out. */
export function lex(text: string, language: Language): Token[] {
  const starts = lineStarts(text);
  const tokens: Token[] = [];
  const brackets: string[] = [];
  const deep = language.family !== 'c-like';
  let i = 0;
  let lineStart = true;
  const push = (kind: TokenKind, end: number) => {
    const line = lineOf(starts, i);
    const tokenText = text.slice(i, end);
    if (kind === 'op' && (tokenText === '(' || tokenText === '[' || (deep && tokenText === '{')))
      brackets.push(tokenText);
    else if (kind === 'op' && (tokenText === ')' || tokenText === ']' || (deep && tokenText === '}'))) brackets.pop();
    const depth = kind === 'op' && /^[([{]$/.test(tokenText) ? brackets.length - 1 : brackets.length;
    tokens.push({ kind, text: tokenText, start: i, end, line, column: i - starts[line - 1]! + 1, depth });
    i = end;
    lineStart = false;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n') {
      lineStart = true;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f') {
      i++;
      continue;
    }
    const comment = commentEnd(text, i, language, lineStart);
    if (comment !== undefined) {
      i = comment;
      continue;
    }
    const last = tokens.at(-1);
    const literal = literalEnd(text, i, language, valueBefore(text, i, last, language));
    if (literal !== undefined) {
      push('literal', literal);
      continue;
    }
    NAME.lastIndex = i;
    NUMBER.lastIndex = i;
    const name = /[0-9]/.test(c) ? null : NAME.exec(text);
    if (name) {
      // Ruby's predicate and bang methods (`empty?`, `save!`) end in their mark.
      const mark =
        language.family === 'ruby' &&
        /[?!]/.test(text[i + name[0].length] ?? '') &&
        text[i + name[0].length + 1] !== '='
          ? 1
          : 0;
      push('name', i + name[0].length + mark);
      continue;
    }
    const number = NUMBER.exec(text);
    if (number) {
      push('number', i + number[0].length);
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    push('op', i + (op?.length ?? 1));
  }
  return tokens;
}
