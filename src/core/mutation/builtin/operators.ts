// The mutants of one token: a comparison flipped or its boundary moved, a boolean operator or
// literal swapped, a negation dropped, a constant changed, an arithmetic operator swapped. Where
// a token's role is ambiguous without a parser, it is left alone (a `<` without spaces around it
// may open a generic type; a `+` beside a string may join strings).
import type { Language } from './languages';
import type { Token } from './lexer';

/** A mutant before its id: where it starts (offset, line, column) and what it changes. */
export interface Draft {
  start: number;
  line: number;
  column: number;
  operator: string;
  original: string;
  replacement: string;
}

// Maps, not objects: a name such as `constructor` is no key of theirs.
const FLIP = new Map([
  ['<', '>='],
  ['>=', '<'],
  ['<=', '>'],
  ['>', '<='],
  ['==', '!='],
  ['!=', '=='],
]);
const BOUNDARY = new Map([
  ['<', '<='],
  ['<=', '<'],
  ['>', '>='],
  ['>=', '>'],
]);
const IDENTITY = new Map([
  ['===', '!=='],
  ['!==', '==='],
]);
const ARITHMETIC = new Map([
  ['+', '-'],
  ['-', '+'],
  ['*', '/'],
  ['/', '*'],
  ['+=', '-='],
  ['-=', '+='],
  ['*=', '/='],
  ['/=', '*='],
]);
const BOOLEAN_WORDS = new Map([
  ['and', 'or'],
  ['or', 'and'],
]);
const TRUTH = new Map([
  ['True', 'False'],
  ['False', 'True'],
  ['true', 'false'],
  ['false', 'true'],
]);
/** Words after which an operator is unary or not one at all (`import *`, `return -x`). */
const NOT_OPERANDS = new Set([
  'import',
  'return',
  'yield',
  'in',
  'not',
  'and',
  'or',
  'is',
  'if',
  'elif',
  'else',
  'lambda',
  'await',
  'case',
  'when',
  'then',
  'print',
  'puts',
  'echo',
  'throw',
  'raise',
  'new',
  'typeof',
  'sizeof',
  'move',
]);

const isSpace = (c: string | undefined) => c === undefined || /\s/.test(c);
const isValue = (t: Token | undefined) => !!t && (t.kind !== 'op' || t.text === ')' || t.text === ']');
const camel = (t: Token | undefined) => !!t && t.kind === 'name' && /^[A-Z][A-Za-z0-9]*[a-z]/.test(t.text);

function constant(text: string): string | undefined {
  if (!/^(0|[1-9][0-9_]*)$/.test(text)) return undefined;
  const n = BigInt(text.replaceAll('_', ''));
  return n === 1n ? '0' : String(n + 1n);
}

/** The token mutants on the lines `on` accepts, in the order of the tokens. */
export function operatorMutants(
  tokens: Token[],
  text: string,
  language: Language,
  on: (line: number) => boolean,
): Draft[] {
  const drafts: Draft[] = [];
  const family = language.family;
  let loopsAwaitingIn = 0;
  const add = (t: Token, operator: string, replacement: string, end = t.end) => {
    if (on(t.line))
      drafts.push({
        start: t.start,
        line: t.line,
        column: t.column,
        operator,
        original: text.slice(t.start, end),
        replacement,
      });
  };
  const inPattern = patterns(tokens, language);
  const attributes = new Set(
    language.name === 'rust'
      ? tokens
          .filter(
            (t, k) => t.text === '#' && /^!?\[/.test(text.slice(t.end, t.end + 2)) && tokens[k - 1]?.line !== t.line,
          )
          .map((t) => t.line)
      : [],
  );
  tokens.forEach((t, k) => {
    const prev = tokens[k - 1];
    const next = tokens[k + 1];
    // Rust's `#[repr(align(8))]` is read by the compiler, not run.
    if (inPattern.has(k) || attributes.has(t.line)) return;
    const spaced = isSpace(text[t.start - 1]) && isSpace(text[t.end]);
    if (t.kind === 'number') {
      const changed =
        text[t.start - 1] !== '.' &&
        !(text[t.end] === '.' && text[t.end + 1] !== '.') &&
        !arrayLength(prev, next, text, language)
          ? constant(t.text)
          : undefined;
      if (changed) add(t, 'constant', changed);
      return;
    }
    if (t.kind === 'name') {
      wordMutants(t, prev, next, family, add, () => {
        if (loopsAwaitingIn === 0) return false;
        loopsAwaitingIn--;
        return true;
      });
      if (t.text === 'for' && family === 'python') loopsAwaitingIn++;
      return;
    }
    if (t.kind !== 'op') return;
    const op = t.text;
    if (BOUNDARY.has(op)) {
      // In C-like code a comparison is spaced (formatters keep it so); a generic's `<T>` is not.
      let first = k;
      while (first > 0 && tokens[first - 1]!.line === t.line) first--;
      const rubySuperclass = family === 'ruby' && tokens[first]!.text === 'class';
      if ((family !== 'c-like' || spaced) && !rubySuperclass) {
        add(t, 'comparison', FLIP.get(op)!);
        add(t, 'boundary', BOUNDARY.get(op)!);
      }
    } else if (op === '==' || op === '!=') add(t, 'comparison', FLIP.get(op)!);
    else if (IDENTITY.has(op) && (language.name === 'php' || language.name === 'swift'))
      add(t, 'comparison', IDENTITY.get(op)!);
    // After a value only: Rust's `|| x` and `move ||` are closures, `&&x` a reference.
    else if ((op === '&&' || op === '||') && isValue(prev) && !NOT_OPERANDS.has(prev!.text))
      add(t, 'boolean', op === '&&' ? '||' : '&&');
    else if (
      op === '!' &&
      family !== 'python' &&
      !/[\w)\]?!]/.test(text[t.start - 1] ?? ' ') &&
      /[\w$@(!]/.test(text[t.end] ?? ' ')
    )
      add(t, 'boolean', '');
    else if (ARITHMETIC.has(op) && arithmetic(t, prev, next, spaced, language))
      add(t, 'arithmetic', ARITHMETIC.get(op)!);
  });
  return drafts;
}

const ARMS: Record<string, string> = { rust: '=>', scala: '=>', csharp: '=>', php: '=>', kotlin: '->', java: '->' };
const PATTERN_STOPS = new Set(['if', '=', 'return']);

/**
 * The literals of a `case` label or a match arm's pattern (`0 =>`, `(true, false) =>`, `1 ->`):
 * changing one leaves a match that is no longer exhaustive or a duplicate label, which does not
 * compile. A guard's literal (`n if n > 5 =>`) is code.
 */
function patterns(tokens: Token[], language: Language): Set<number> {
  const found = new Set<number>();
  const arm = ARMS[language.name];
  let lineStart = 0;
  for (let k = 0; k < tokens.length; k++) {
    if (k > 0 && tokens[k]!.line !== tokens[k - 1]!.line) lineStart = k;
    const t = tokens[k]!;
    if (t.kind !== 'number' && !/^(true|false|True|False)$/.test(t.text)) continue;
    if (tokens[lineStart]!.text === 'case') {
      // The label's literals, before its `:` or arrow; the statement after it is code.
      if (!tokens.slice(lineStart, k).some((b) => b.text === ':' || b.text === '->' || b.text === '=>')) found.add(k);
      continue;
    }
    if (!arm || tokens.slice(lineStart, k).some((b) => PATTERN_STOPS.has(b.text))) continue;
    for (let n = k + 1; tokens[n]?.line === t.line; n++) {
      if (tokens[n]!.text === arm) found.add(k);
      if (tokens[n]!.text === arm || PATTERN_STOPS.has(tokens[n]!.text)) break;
    }
  }
  return found;
}

/** An array type's length (Go's `[4]byte`, Rust's `[u8; 4]`): changing it stops the code compiling rather than testing it. */
function arrayLength(prev: Token | undefined, next: Token | undefined, text: string, language: Language): boolean {
  if (next?.text !== ']') return false;
  if (language.name === 'go') return prev?.text === '[' && /[\w*[]/.test(text[next.end] ?? ' ');
  return language.name === 'rust' && prev?.text === ';';
}

function arithmetic(
  t: Token,
  prev: Token | undefined,
  next: Token | undefined,
  spaced: boolean,
  language: Language,
): boolean {
  if (!isValue(prev) || prev!.kind === 'literal' || NOT_OPERANDS.has(prev!.text)) return false;
  // The right operand follows on the line: a name, a number or a bracket (not a string).
  if (!next || next.line !== t.line || !(next.kind === 'name' || next.kind === 'number' || /^[([{]$/.test(next.text)))
    return false;
  if (t.text.endsWith('=')) return true;
  // Binary and spaced (`*args`, `*ptr`, `-1` are not); in Rust, `Display + Send` is a bound.
  return spaced && !(language.name === 'rust' && t.text === '+' && camel(prev) && camel(next));
}

type Add = (t: Token, operator: string, replacement: string, end?: number) => void;

function wordMutants(
  t: Token,
  prev: Token | undefined,
  next: Token | undefined,
  family: Language['family'],
  add: Add,
  loopIn: () => boolean,
): void {
  const word = t.text;
  if (family === 'python' ? word === 'True' || word === 'False' : word === 'true' || word === 'false') {
    add(t, 'boolean', TRUTH.get(word)!);
  } else if (family !== 'c-like' && BOOLEAN_WORDS.has(word)) {
    add(t, 'boolean', BOOLEAN_WORDS.get(word)!);
  } else if (family !== 'c-like' && word === 'not' && prev?.text !== 'is') {
    if (family === 'python' && next?.text === 'in') add(t, 'comparison', 'in', next.end);
    else if (next && next.line === t.line) add(t, 'boolean', '', next.start);
  } else if (family === 'python' && word === 'is') {
    if (next?.text === 'not') add(t, 'comparison', 'is', next.end);
    else add(t, 'comparison', 'is not');
  } else if (family === 'python' && word === 'in' && prev?.text !== 'not' && !loopIn()) {
    add(t, 'comparison', 'not in');
  }
}
