// Where a string, character or regular-expression literal that starts at a given offset ends, per
// language: the mutator never changes a literal's text (an operator inside a string is data), and
// an interpolation's code is skipped with its string (never mutated, but never mistaken for the
// string's end either).
import type { Language } from './languages';

interface Quoted {
  close: string;
  escape: boolean;
  multiline: boolean;
  interpolation?: Language['interpolation'];
  /** The close doubled is the close character itself (C#'s verbatim `""`). */
  doubled?: boolean;
}

const BRACKETS: Record<string, string> = { '(': ')', '[': ']', '{': '}', '<': '>' };

/** The end (exclusive) of the quoted text whose body starts at `from`; at the end of the line or file when unterminated. */
function quoted(text: string, from: number, q: Quoted, language: Language): number {
  let i = from;
  while (i < text.length) {
    const c = text[i]!;
    if (q.escape && c === '\\') {
      i += 2;
      continue;
    }
    if (text.startsWith(q.close, i)) {
      if (q.doubled && text[i + 1] === q.close) {
        i += 2;
        continue;
      }
      return i + q.close.length;
    }
    if (c === '\n' && !q.multiline) return i;
    if (q.interpolation && text.startsWith(q.interpolation, i)) {
      if (q.interpolation === '{' && text[i + 1] === '{') {
        i += 2;
        continue;
      }
      i = balanced(text, i + q.interpolation.length, q.interpolation.endsWith('(') ? '(' : '{', language);
      continue;
    }
    i++;
  }
  return i;
}

/** The end of an interpolation's code: past the bracket that closes the one already opened, nested strings skipped. */
function balanced(text: string, from: number, open: string, language: Language): number {
  const close = BRACKETS[open]!;
  let depth = 1;
  let i = from;
  while (i < text.length && depth > 0) {
    const c = text[i]!;
    const end = c === '"' || c === "'" ? literalEnd(text, i, language, true) : undefined;
    if (end !== undefined) {
      i = end;
      continue;
    }
    if (c === open) depth++;
    else if (c === close) depth--;
    i++;
  }
  return i;
}

const triple = (text: string, i: number, language: Language): string | undefined =>
  language.tripleQuotes ? ['"""', "'''"].find((t) => text.startsWith(t, i)) : undefined;

/**
 * The end (exclusive) of the literal starting at `i`, or undefined when none starts there.
 * `valueBefore`: the code before `i` ends in a value (a name, a number, a closing bracket), so a
 * `/` or `%` there is an operator, not a Ruby literal.
 */
export function literalEnd(text: string, i: number, language: Language, valueBefore: boolean): number | undefined {
  const c = text[i]!;
  const identBefore = i > 0 && /[\w$]/.test(text[i - 1]!);
  if (language.family === 'python') {
    const m = /^([rRbBuUfF]{1,2})?('''|"""|'|")/.exec(text.slice(i, i + 6));
    if (!m || (identBefore && !m[1]) || (m[1] && identBefore)) return undefined;
    const prefix = (m[1] ?? '').toLowerCase();
    const q = m[2]!;
    return quoted(
      text,
      i + m[0].length,
      { close: q, escape: true, multiline: q.length === 3, interpolation: prefix.includes('f') ? '{' : undefined },
      language,
    );
  }
  if (language.family === 'ruby') return rubyLiteral(text, i, language, valueBefore);
  if (language.name === 'php' && text.startsWith('<<<', i)) return heredoc(text, i, /^<<<\s*(["']?)([A-Za-z_]\w*)\1/);
  const long = triple(text, i, language);
  if (long)
    return quoted(
      text,
      i + 3,
      {
        close: long,
        escape: language.name !== 'kotlin' && language.name !== 'scala',
        multiline: true,
        interpolation: language.interpolation,
      },
      language,
    );
  if (c === '"')
    return quoted(
      text,
      i + 1,
      {
        close: '"',
        escape: true,
        multiline: ['rust', 'php'].includes(language.name),
        interpolation: language.name === 'csharp' ? undefined : language.interpolation,
      },
      language,
    );
  if (c === "'") {
    if (!language.charQuote)
      return quoted(text, i + 1, { close: "'", escape: true, multiline: language.name === 'php' }, language);
    // A character ('x', '\n', '\u{1F600}'); otherwise a Rust lifetime or a Scala symbol, which is code.
    const m =
      /^'(?:\\(?:u\{[0-9a-fA-F]{1,6}\}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|x[0-9a-fA-F]{2}|[0-7]{1,3}|.)|[^'\\\n])'/u.exec(
        text.slice(i, i + 14),
      );
    return m ? i + m[0].length : undefined;
  }
  if (c === '`' && language.name === 'go')
    return quoted(text, i + 1, { close: '`', escape: false, multiline: true }, language);
  return identBefore ? undefined : rawString(text, i, language);
}

function rawString(text: string, i: number, language: Language): number | undefined {
  const head = text.slice(i, i + 24);
  if (language.name === 'rust') {
    const m = /^(?:b?r(#*)"|b")/.exec(head);
    if (!m) return undefined;
    if (m[0] === 'b"') return quoted(text, i + 2, { close: '"', escape: true, multiline: true }, language);
    return quoted(text, i + m[0].length, { close: `"${m[1]}`, escape: false, multiline: true }, language);
  }
  if (language.name === 'cpp') {
    const m = /^(?:u8|u|U|L)?R"([^()\\\s]{0,16})\(/.exec(head);
    return m
      ? quoted(text, i + m[0].length, { close: `)${m[1]}"`, escape: false, multiline: true }, language)
      : undefined;
  }
  if (language.name === 'csharp') {
    const m = /^(?:\$@|@\$|@|\$)"/.exec(head);
    if (!m) return undefined;
    const verbatim = m[0].includes('@');
    return quoted(
      text,
      i + m[0].length,
      {
        close: '"',
        escape: !verbatim,
        doubled: verbatim,
        multiline: verbatim,
        interpolation: m[0].includes('$') ? '{' : undefined,
      },
      language,
    );
  }
  if (language.name === 'swift') {
    const m = /^(#+)("""|")/.exec(head);
    return m
      ? quoted(text, i + m[0].length, { close: `${m[2]}${m[1]}`, escape: false, multiline: m[2] === '"""' }, language)
      : undefined;
  }
  return undefined;
}

/** A heredoc: its opener and every line up to the one holding only its identifier. */
function heredoc(text: string, i: number, opener: RegExp): number | undefined {
  const m = opener.exec(text.slice(i, i + 80));
  if (!m) return undefined;
  const id = m[2]!;
  const bodyStart = text.indexOf('\n', i);
  if (bodyStart < 0) return text.length;
  const end = new RegExp(`^[ \\t]*${id}\\b.*$`, 'm');
  const rest = text.slice(bodyStart + 1);
  const found = end.exec(rest);
  return found ? bodyStart + 1 + found.index + found[0].length : text.length;
}

const RUBY_PERCENT = /^%[qQwWiIrsx]?[([{<|!/]/;

function rubyLiteral(text: string, i: number, language: Language, valueBefore: boolean): number | undefined {
  const c = text[i]!;
  if (c === '"' || c === '`')
    return quoted(text, i + 1, { close: c, escape: true, multiline: true, interpolation: '#{' }, language);
  if (c === "'") return quoted(text, i + 1, { close: "'", escape: true, multiline: true }, language);
  if (valueBefore) return undefined;
  if (c === '<' && /^<<[~-]?(["']?)[A-Z_][A-Z0-9_]*\1/.test(text.slice(i, i + 40)))
    return heredoc(text, i, /^<<[~-]?(["']?)([A-Z_][A-Z0-9_]*)\1/);
  if (c === '/' && !/[\s=]/.test(text[i + 1] ?? ' ')) {
    const end = quoted(text, i + 1, { close: '/', escape: true, multiline: false, interpolation: '#{' }, language);
    return end + (/^[imxounse]*/.exec(text.slice(end))?.[0].length ?? 0);
  }
  const percent = RUBY_PERCENT.exec(text.slice(i, i + 3));
  if (c === '%' && percent) {
    const open = percent[0].at(-1)!;
    const close = BRACKETS[open];
    if (!close) return quoted(text, i + percent[0].length, { close: open, escape: true, multiline: true }, language);
    let depth = 1;
    let j = i + percent[0].length;
    for (; j < text.length && depth > 0; j++) {
      if (text[j] === '\\') j++;
      else if (text[j] === open) depth++;
      else if (text[j] === close) depth--;
    }
    return j;
  }
  return undefined;
}
