/**
 * Python read through a real parser (@lezer/python, the CodeMirror project's grammar): it is
 * error-tolerant and linear in the file's size, so an unclosed class or parenthesis never hangs
 * the check, and its first syntax error becomes a warning naming the file and line.
 */
import type { SyntaxNode, Tree } from '@lezer/common';
import { parser } from '@lezer/python';

export interface PythonSource {
  file: string;
  text: string;
  tree: Tree;
}

export interface CallArgs {
  positional: SyntaxNode[];
  keyword: Map<string, SyntaxNode>;
}

export function parsePython(file: string, text: string): PythonSource {
  return { file, text, tree: parser.parse(text) };
}

/** `file:line: …` for the first syntax error, or undefined when the parser understood it all. */
export function syntaxWarning(source: PythonSource): string | undefined {
  let at = -1;
  source.tree.iterate({
    enter: (node) => {
      if (at >= 0) return false;
      if (node.type.isError) at = node.from;
      return undefined;
    },
  });
  return at < 0
    ? undefined
    : `${source.file}:${lineOf(source.text, at)}: Python the parser could not fully read from here; the tables and columns past it may be incomplete`;
}

/** Where each line starts, computed once per text: line lookups stay logarithmic on a 5 MB file. */
const lineStarts = new Map<string, number[]>();

export function lineOf(text: string, index: number): number {
  let starts = lineStarts.get(text);
  if (!starts) {
    starts = [0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    // One text at a time is enough (a file's lines are looked up while it is read); keep memory flat.
    lineStarts.clear();
    lineStarts.set(text, starts);
  }
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((starts[mid] ?? 0) <= index) low = mid;
    else high = mid - 1;
  }
  return low + 1;
}

export const textOf = (source: PythonSource, node: SyntaxNode) => source.text.slice(node.from, node.to);

/** A plain string literal's value (`'x'`, `"x"`, `r"x"`); undefined for f-strings and anything else. */
export function stringValue(source: PythonSource, node: SyntaxNode | null | undefined): string | undefined {
  if (!node || node.name !== 'String') return undefined;
  const raw = textOf(source, node);
  const match = /^([rRuUbB]{0,2})('''|"""|'|")([\s\S]*)\2$/.exec(raw);
  return match ? (match[3] ?? '') : undefined;
}

/** The last name of a callee: `sa.Column` → Column, `models.ForeignKey` → ForeignKey, `Field` → Field. */
export function calleeName(source: PythonSource, call: SyntaxNode): string {
  const callee = call.firstChild;
  if (!callee) return '';
  if (callee.name === 'VariableName') return textOf(source, callee);
  if (callee.name === 'MemberExpression') {
    const last = callee.lastChild;
    return last?.name === 'PropertyName' ? textOf(source, last) : '';
  }
  return '';
}

/** The dotted text of a callee (`op.create_table`, `migrations.CreateModel`). */
export function calleeText(source: PythonSource, call: SyntaxNode): string {
  const callee = call.firstChild;
  return callee ? textOf(source, callee).replace(/\s+/g, '') : '';
}

/** A call's arguments: the positional ones, and the keyword ones by name (`*args` / `**kw` left out). */
export function callArgs(source: PythonSource, call: SyntaxNode): CallArgs {
  const positional: SyntaxNode[] = [];
  const keyword = new Map<string, SyntaxNode>();
  let group: SyntaxNode[] = [];
  const flush = () => {
    const [first, second, third] = group;
    if (group.length === 3 && first?.name === 'VariableName' && second?.name === 'AssignOp' && third)
      keyword.set(textOf(source, first), third);
    else if (group.length === 1 && first) positional.push(first);
    group = [];
  };
  for (let child = call.getChild('ArgList')?.firstChild ?? null; child; child = child.nextSibling) {
    if (child.name === '(' || child.name === ')' || child.type.isError || child.name === 'Comment') continue;
    if (child.name === ',') flush();
    else group.push(child);
  }
  flush();
  return { positional, keyword };
}

/** Every call under `node` (itself included), outermost first, in source order. */
export function callsUnder(node: SyntaxNode): SyntaxNode[] {
  const calls: SyntaxNode[] = [];
  const cursor = node.cursor();
  do {
    if (cursor.name === 'CallExpression') calls.push(cursor.node);
  } while (cursor.next() && cursor.from < node.to);
  return calls.filter((call) => call.from >= node.from && call.to <= node.to);
}
