/**
 * The `mermaid` check of a document: every ```mermaid block parses with Mermaid's own parser.
 * Blocks are found by a Markdown parser (fences of any length, ~~~, inside lists and quotes),
 * and a parser error is placed on the line of the document it is about: Mermaid numbers the
 * lines of the diagram after dropping its front matter, its `%%` comment lines and the blank
 * lines before the diagram's first keyword, so the same lines are dropped here to count back.
 */
import type { Code, Nodes } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { visibleLine } from '../text/terminalText';
import { parseDiagram } from './mermaidParser';

export interface MermaidProblem {
  /** 1-based line of the Markdown document: the line the parser names, else the block's opening fence. */
  line: number;
  /** The parser's message, on one line. */
  message: string;
  /** An unknown diagram type is only a warning: a newer Mermaid may know it. */
  severity: 'error' | 'warning';
}

/**
 * Every Mermaid block's parse problem, in document order. `required`: a document meant for
 * diagrams (`checks: [mermaid]` on it) with no Mermaid block at all is a problem too.
 */
export async function mermaidProblems(
  markdown: string,
  options: { required?: boolean } = {},
): Promise<MermaidProblem[]> {
  const problems: MermaidProblem[] = [];
  const blocks = mermaidBlocks(markdown);
  if (blocks.length === 0 && options.required)
    problems.push({ line: 1, severity: 'error', message: 'no Mermaid block (a ```mermaid fence) in the document' });
  for (const block of blocks) {
    const outcome = await parseDiagram(block.text);
    if (outcome.kind === 'ok') continue;
    const kind = diagramKeyword(block.text);
    const what = `Mermaid block${kind ? ` (${kind})` : ''} at line ${block.fence}`;
    if (outcome.kind === 'unknown') {
      problems.push({
        line: block.fence,
        severity: 'warning',
        message: `${what}: unknown diagram type${kind ? ` "${kind}"` : ''}, not checked (${oneLine(outcome.message)})`,
      });
      continue;
    }
    // The parser counts the diagram's lines: said so, since the problem is placed on the document's line.
    const message = oneLine(outcome.message).replace(/\bon line (\d+)/, 'on line $1 of the diagram');
    problems.push({
      line: documentLine(block, outcome.message),
      severity: 'error',
      message: `${what} does not parse: ${message}`,
    });
  }
  return problems;
}

interface Block {
  /** The opening fence's line. */
  fence: number;
  text: string;
}

export function mermaidBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const visit = (node: Nodes) => {
    if (node.type === 'code') {
      const code = node as Code;
      if (code.lang?.toLowerCase() === 'mermaid' && code.position)
        blocks.push({ fence: code.position.start.line, text: code.value });
      return;
    }
    if ('children' in node) node.children.forEach(visit);
  };
  visit(fromMarkdown(markdown));
  return blocks;
}

/** The document line an error is about: the parser's `line N` counted in the lines Mermaid kept. */
export function documentLine(block: Block, message: string): number {
  const said = /\bline (\d+)/.exec(message.split('\n')[0] ?? '');
  if (!said) return block.fence;
  const kept = keptLines(block.text);
  // Past the last line: the diagram ended too soon (an unclosed `state {`), said on its last line.
  const index = kept[Math.min(Number(said[1]), kept.length) - 1];
  return index === undefined ? block.fence : block.fence + 1 + index;
}

/** The 0-based lines of the block that reach Mermaid's parser (mermaid's preprocessing, in order). */
export function keptLines(text: string): number[] {
  const lines = text.split(/\r?\n/);
  let from = 0;
  // Front matter: `---` … `---` at the very start.
  if (/^-{3}\s*$/.test(lines[0] ?? '')) {
    const end = lines.findIndex((line, index) => index > 0 && /^-{3}\s*$/.test(line));
    if (end > 0) from = end + 1;
  }
  const kept: number[] = [];
  for (let index = from; index < lines.length; index++) {
    const line = lines[index]!;
    // A `%%` comment line goes with its line break; a `%%{…}%%` directive leaves its line empty.
    if (/^\s*%%(?!\{)./.test(line)) continue;
    const empty = line.replace(/%%\{.*?\}%%/g, '').trim() === '';
    if (kept.length === 0 && empty) continue;
    kept.push(index);
  }
  return kept;
}

/** The diagram's keyword (`sequenceDiagram`, `stateDiagram-v2`, `flowchart`), as written. */
function diagramKeyword(text: string): string | undefined {
  const first = keptLines(text).map((index) => text.split(/\r?\n/)[index]!.trim())[0];
  return first?.split(/\s+/)[0] || undefined;
}

/**
 * Mermaid's message on one line: the quoted context and its caret line dropped, jison's
 * end-of-input token ('1') named, at most 400 characters, control characters shown as escapes.
 */
export function oneLine(message: string): string {
  const lines = message.split('\n');
  const caret = lines.findIndex((line) => /^-*\^\s*$/.test(line));
  const kept = caret > 0 ? lines.filter((_, index) => index !== caret && index !== caret - 1) : lines;
  const text = kept
    .map((line) => line.trim())
    .filter(Boolean)
    .join(' ')
    .replace(/got '1'$/, 'got the end of the diagram');
  const short = text.length > 400 ? `${text.slice(0, 399)}…` : text;
  // The message quotes the document: its control characters are shown, never sent to a terminal.
  return visibleLine(short);
}
