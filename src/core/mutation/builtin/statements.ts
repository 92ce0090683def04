// The mutants of a whole line: a simple statement dropped, or the function returning just before
// it. Only a line that is one whole expression statement (a call, an assignment to what exists, an
// increment) is touched, never a declaration, a `return`, a jump or a block's edge: dropping those
// would mostly stop the code compiling, and a mutant that does not compile says nothing of the tests.
import type { Language } from './languages';
import type { Token } from './lexer';
import type { Draft } from './operators';
import { mayReturnEarly } from './functions';

const KEYWORDS = new Set([
  'return',
  'break',
  'continue',
  'throw',
  'raise',
  'yield',
  'let',
  'var',
  'val',
  'const',
  'final',
  'static',
  'def',
  'fun',
  'func',
  'fn',
  'if',
  'else',
  'elif',
  'elsif',
  'for',
  'foreach',
  'while',
  'do',
  'switch',
  'case',
  'default',
  'try',
  'catch',
  'except',
  'finally',
  'import',
  'package',
  'use',
  'mod',
  'pub',
  'class',
  'struct',
  'enum',
  'interface',
  'trait',
  'impl',
  'type',
  'goto',
  'defer',
  'go',
  'select',
  'await',
  'async',
  'assert',
  'del',
  'pass',
  'global',
  'nonlocal',
  'new',
  'delete',
  'using',
  'namespace',
  'template',
  'typedef',
  'extern',
  'lambda',
  'with',
  'from',
  'end',
  'begin',
  'rescue',
  'ensure',
  'unless',
  'until',
  'module',
  'require',
  'include',
  'extend',
  'private',
  'protected',
  'public',
  'internal',
  'override',
  'abstract',
  'guard',
  'unsafe',
  'loop',
  'match',
  'when',
  'echo',
  'print',
  'unset',
  'not',
  'and',
  'or',
  'in',
  'is',
  'object',
  'init',
  'typealias',
  'where',
  'then',
]);
const ASSIGNMENTS = new Set([
  '=',
  '+=',
  '-=',
  '*=',
  '/=',
  '%=',
  '&=',
  '|=',
  '^=',
  '<<=',
  '>>=',
  '**=',
  '//=',
  '&&=',
  '||=',
  '??=',
]);
const MEMBER = new Set(['.', '?.', '::', '->', '&.']);
const CLOSES = new Set([')', ']']);
/** What the line before may end in, its statement over, beside a name, a number or a literal. */
const ENDS: Record<Language['family'], Set<string>> = {
  'c-like': new Set([';', '{', '}', ')', ']', '++', '--']),
  python: new Set([')', ']', '}', ':', ';']),
  ruby: new Set([')', ']', '}', '{', '|', ';']),
};
/** What the next line may not start with: it would continue this one's expression. */
const CONTINUES = new Set([
  '.',
  '?.',
  '&.',
  '&&',
  '||',
  '?:',
  '??',
  '+',
  '-',
  '*',
  '/',
  '|',
  '&',
  '?',
  ':',
  '..',
  '|>',
  '=',
  'else',
  'catch',
  'finally',
]);
const VALUE_BLOCKS = new Set(['kotlin', 'swift', 'scala', 'rust']);
const ENDS_LINE = new Set([')', ']', '}', '++', '--']);
const RUBY_BLOCKS = new Set(['do', 'begin', 'case', 'def', 'class', 'module', 'while', 'until', 'for']);

/** A Ruby word that opens a block ending in `end` (an `if` after an operator, `x = if …`; not a modifier `… if y`). */
function opensRubyBlock(t: Token, prev: Token | undefined): boolean {
  if (RUBY_BLOCKS.has(t.text)) return true;
  return (t.text === 'if' || t.text === 'unless') && !!prev && prev.kind === 'op' && !ENDS_LINE.has(prev.text);
}

const CONTROL = /^(\}\s*)?(if|else|for|foreach|while|do|switch|when|guard|catch|try|unless|until)\b/;

/** The line's tokens (one statement each) grouped by line, first line first. */
function byLine(tokens: Token[]): Map<number, { first: number; last: number }> {
  const lines = new Map<number, { first: number; last: number }>();
  tokens.forEach((t, k) => {
    const span = lines.get(t.line);
    if (span) span.last = k;
    else lines.set(t.line, { first: k, last: k });
  });
  return lines;
}

/** Index past a name followed by members, calls and indexes; whether it ended in a call. */
function chain(tokens: Token[], from: number, to: number, language: Language): { next: number; call: boolean } {
  let k = from + 1;
  let call = false;
  while (k <= to) {
    const t = tokens[k]!;
    if (MEMBER.has(t.text) && tokens[k + 1]?.kind === 'name' && k + 1 <= to) {
      k += 2;
      call = false;
    } else if (t.text === '(' || t.text === '[') {
      let close = k + 1;
      while (close <= to && !(CLOSES.has(tokens[close]!.text) && tokens[close]!.depth === t.depth)) close++;
      if (close > to) return { next: k, call: false };
      call = t.text === '(';
      k = close + 1;
    } else if (
      t.text === '!' &&
      language.name === 'rust' &&
      tokens[k + 1]?.text === '(' &&
      tokens[k - 1]!.end === t.start
    ) {
      k++;
    } else break;
  }
  return { next: k, call };
}

/** Whether tokens [first, last] are one expression statement: a call, an assignment to what exists, an increment. */
function expressionStatement(tokens: Token[], first: number, last: number, language: Language): boolean {
  const head = tokens[first]!;
  // `@` starts a Ruby instance variable, elsewhere a decorator or an annotation.
  if (head.kind !== 'name' || KEYWORDS.has(head.text) || (head.text.startsWith('@') && language.family !== 'ruby'))
    return false;
  const semicolon = tokens[last]!.text === ';';
  if (language.semicolons && !semicolon) return false;
  const end = semicolon ? last - 1 : last;
  // Without a semicolon the line must end as a statement can (not `x = a +`, nor a line continued by a backslash).
  if (!semicolon && tokens[end]!.kind === 'op' && !ENDS_LINE.has(tokens[end]!.text)) return false;
  let open = 0;
  for (let k = first; k <= end; k++) {
    const t = tokens[k]!;
    if (t.text === ';' || (language.family === 'c-like' && /^[{}]$/.test(t.text))) return false;
    if (language.family === 'ruby' && t.kind === 'name' && opensRubyBlock(t, tokens[k - 1])) return false;
    open += /^[([{]$/.test(t.text) ? 1 : /^[)\]}]$/.test(t.text) ? -1 : 0;
  }
  if (open !== 0) return false;
  const { next, call } = chain(tokens, first, end, language);
  if (next > end) return call;
  const after = tokens[next]!.text;
  if (ASSIGNMENTS.has(after)) return next < end;
  return (after === '++' || after === '--') && next === end;
}

/** Whether the line before ended its statement, so this line starts one. */
function startsStatement(
  tokens: Token[],
  first: number,
  language: Language,
  lines: Map<number, { first: number; last: number }>,
): boolean {
  const prev = tokens[first - 1];
  if (!prev) return true;
  const prevFirst = tokens[lines.get(prev.line)!.first]!;
  if (
    prev.kind === 'op'
      ? !ENDS[language.family].has(prev.text)
      : prev.kind === 'name' && language.family === 'ruby' && /^(and|or|not)$/.test(prev.text)
  ) {
    // A `case 1:` or `default:` label ends before the statements it guards.
    return prev.text === ':' && language.family === 'c-like' && /^(case|default)$/.test(prevFirst.text);
  }
  if (language.family !== 'c-like' || prev.text === ';' || prev.text === '{' || prev.text === '}') return true;
  if (language.semicolons && prev.text !== ';') return false;
  // Without semicolons, a header with no brace (`if (x)`) governs this line.
  const prevLine = tokens.slice(lines.get(prev.line)!.first, lines.get(prev.line)!.last + 1);
  return !prevLine.some((t) => t.kind === 'name' && CONTROL.test(t.text));
}

/** Python names a nested function declares `nonlocal`: the assignment that binds one cannot go (a SyntaxError, not a test's catch). */
function nonlocalNames(tokens: Token[], language: Language): Set<string> {
  const names = new Set<string>();
  if (language.family !== 'python') return names;
  tokens.forEach((t, k) => {
    if (t.text !== 'nonlocal') return;
    for (let n = k + 1; tokens[n]?.line === t.line; n++) if (tokens[n]!.kind === 'name') names.add(tokens[n]!.text);
  });
  return names;
}

/** The statement mutants of the lines `on` accepts: each simple statement dropped, and returned before where the function returns nothing. */
export function statementMutants(
  tokens: Token[],
  text: string,
  language: Language,
  on: (line: number) => boolean,
): Draft[] {
  const drafts: Draft[] = [];
  const lines = byLine(tokens);
  const bound = nonlocalNames(tokens, language);
  for (const [line, { first, last }] of lines) {
    if (!on(line)) continue;
    const head = tokens[first]!;
    const tail = tokens[last]!;
    if (
      head.depth !== 0 ||
      (first > 0 && !text.slice(tokens[first - 1]!.end, head.start).includes('\n')) ||
      text.slice(head.start, tail.end).includes('\n')
    )
      continue;
    if (!expressionStatement(tokens, first, last, language) || !startsStatement(tokens, first, language, lines))
      continue;
    const next = tokens[last + 1];
    if (
      !language.semicolons &&
      language.family !== 'python' &&
      next &&
      CONTINUES.has(next.text) &&
      (language.family === 'c-like' || next.kind === 'op')
    )
      continue;
    // Kotlin, Swift and Scala: a block's last expression may be its value (a lambda's, a Scala
    // body's); in Rust the last statement may be what makes a block diverge (`unreachable!(…);`).
    if (VALUE_BLOCKS.has(language.name) && next?.text === '}' && !mayReturnEarly(tokens, first, text, language))
      continue;
    const original = text.slice(head.start, tail.end);
    const binding = bound.has(head.text) && ASSIGNMENTS.has(tokens[first + 1]!.text);
    const at = { start: head.start, line, column: head.column, original };
    if (!binding)
      drafts.push({ ...at, operator: 'statement', replacement: language.family === 'python' ? 'pass' : '' });
    if (mayReturnEarly(tokens, first, text, language))
      drafts.push({ ...at, operator: 'return', replacement: `${language.returnEarly}${original}` });
  }
  return drafts;
}
