// Whether a bare `return` inserted before a statement is valid code: in C-like languages when the
// function around it returns nothing, decided from its header (no result type, `void`, `Unit`); in
// Python and Ruby when a `def` is around it (found by indentation), whatever it returns. Anything else (a lambda, a class
// body, a function with a result) is left without an early return: returning a zero value would
// need the type, and a guessed one would mostly not compile.
import type { Language } from './languages';
import type { Token } from './lexer';

const CONTROL_HEADER =
  /^(if|else|for|foreach|while|do|switch|try|catch|finally|loop|unsafe|match|when|synchronized|using|lock|fixed|checked|unchecked|select|case|default|guard|repeat|elseif)\b/;

const afterParams = (header: string) => header.slice(header.lastIndexOf(')'));

/** The header is a function that returns nothing, in this language. */
function voidFunction(header: string, language: Language): boolean {
  switch (language.name) {
    case 'go':
      return /\bfunc\b(\s*\([^()]*\))?\s*\w*\s*(\[[^\]]*\])?\s*\([^()]*\)$/.test(header);
    case 'rust':
      return /\bfn\s+\w+/.test(header) && !header.includes('->');
    case 'kotlin':
      return /\bfun\b/.test(header) && /^\)\s*(:\s*Unit)?$/.test(afterParams(header));
    case 'swift':
      return /\bfunc\b/.test(header) && /^\)\s*(async)?\s*(throws|rethrows)?$/.test(afterParams(header));
    case 'scala':
      return /\bdef\b/.test(header) && /^\)\s*:\s*Unit\s*=$/.test(afterParams(header));
    case 'php':
      return /\bfunction\b/.test(header) && /^\)\s*(:\s*\??void)?$/.test(afterParams(header));
    default:
      return /\bvoid\s+[\w:~]+\s*\(/.test(header) && !/->|=>|=/.test(header);
  }
}

/** A block that is not a function but inside one (a branch, a loop, a match arm); `outer` is the header of the block around it. */
function controlBlock(header: string, outer: string | undefined): boolean {
  if (header === '' || CONTROL_HEADER.test(header) || /\bmatch$/.test(header)) return true;
  // A Rust match arm (`Some(x) => {`) or a Kotlin `when` branch (`1 -> {`).
  return /(=>|->)$/.test(header) && !!outer && /^(match|when)\b/.test(outer);
}

/** The text before the brace at `brace`, from the end of the previous statement or block edge. */
function headerOf(tokens: Token[], brace: number, text: string): string {
  let k = brace - 1;
  while (k >= 0 && !/^[;{}]$/.test(tokens[k]!.text)) k--;
  if (k + 1 >= brace) return '';
  return text
    .slice(tokens[k + 1]!.start, tokens[brace]!.start)
    .replace(/\s+/g, ' ')
    .trim();
}

function braced(tokens: Token[], at: number, text: string, language: Language): boolean {
  const open: number[] = [];
  for (let k = 0; k < at; k++) {
    if (tokens[k]!.text === '{') open.push(k);
    else if (tokens[k]!.text === '}') open.pop();
  }
  const headers = open.map((k) => headerOf(tokens, k, text));
  for (let b = headers.length - 1; b >= 0; b--) {
    if (voidFunction(headers[b]!, language)) return true;
    if (!controlBlock(headers[b]!, headers[b - 1])) return false;
  }
  return false;
}

/** Python and Ruby: the nearest line indented less than the statement, and so on out, is a `def` before a `class`. */
function indented(tokens: Token[], at: number, text: string): boolean {
  let limit = tokens[at]!.column;
  for (let k = at - 1; k >= 0 && limit > 1; k--) {
    const t = tokens[k]!;
    const startsLine = k === 0 || text.slice(tokens[k - 1]!.end, t.start).includes('\n');
    if (!startsLine || t.depth !== 0 || t.column >= limit) continue;
    const word = t.text === 'async' ? tokens[k + 1]?.text : t.text;
    if (word === 'def') return true;
    if (word === 'class' || word === 'module') return false;
    limit = t.column;
  }
  return false;
}

/**
 * Whether a bare `return` may come before the token at `at`: inside a function that returns
 * nothing, or any function in Python and Ruby (where it returns None or nil).
 */
export function mayReturnEarly(tokens: Token[], at: number, text: string, language: Language): boolean {
  return language.family === 'c-like' ? braced(tokens, at, text, language) : indented(tokens, at, text);
}
