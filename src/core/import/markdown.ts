/**
 * The one place the importers read markdown: `mdast-util-from-markdown` with GFM (task lists,
 * tables) turns a file into blocks — headings, list items, paragraphs — each with its line and
 * its source text as written. Wrapped lines, code spans, fences and emphasis are handled by
 * the parser; text is taken from the source (never re-rendered), so a path like
 * `lib/__tests__/cost.test.ts` or `app/[locale]/page.tsx` reaches the spec unchanged.
 */
import type { Nodes, PhrasingContent, RootContent } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';

/**
 * A checkbox's state: `[ ]`, `[x]`, Kiro's `[-]` and `[/]` (in progress, started), `[~]`
 * (deferred: kept and shown, not run) and `[ ]*` (optional).
 */
export type CheckState = 'open' | 'done' | 'in-progress' | 'deferred' | 'optional';

export interface MdBlock {
  kind: 'heading' | 'item' | 'text';
  /** 1-based line in the file (front matter included). */
  line: number;
  /** Heading level (1–6); for items and text, how many list items enclose the block. */
  level: number;
  /** The source lines of the block, indentation and the list marker/checkbox removed. */
  lines: string[];
  /** `lines` joined with single spaces (a wrapped title made whole). */
  text: string;
  /** Items with a checkbox. */
  state?: CheckState;
  /** The enclosing list item's index in the block list. */
  parent?: number;
  /** The number of an ordered list item (`2.` → 2). */
  ordinal?: number;
}

export interface MdDocument {
  blocks: MdBlock[];
}

const CHECKBOX = /^\[([ xX/~-])\](\*?)(?:\s+|$)/;
const BOX_STATE: Record<string, CheckState> = { '-': 'in-progress', '/': 'in-progress', '~': 'deferred', ' ': 'open' };

export function readMarkdown(text: string): MdDocument {
  const source = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const body = blankFrontMatter(source);
  const tree = fromMarkdown(body, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  const blocks: MdBlock[] = [];
  const visit = (nodes: readonly RootContent[], level: number, parent: number | undefined) => {
    for (const node of nodes) {
      if (node.type === 'heading') {
        blocks.push({
          kind: 'heading',
          line: lineOf(node),
          level: node.depth,
          lines: [inlineText(node.children, body)],
          text: inlineText(node.children, body),
        });
      } else if (node.type === 'paragraph') {
        const lines = sourceLines(body, node);
        blocks.push({
          kind: 'text',
          line: lineOf(node),
          level,
          lines,
          text: joinLines(lines),
          ...(parent !== undefined ? { parent } : {}),
        });
      } else if (node.type === 'list') {
        node.children.forEach((item, index) => {
          const [first, ...rest] = item.children;
          let lines = first?.type === 'paragraph' ? sourceLines(body, first) : [];
          let state: CheckState | undefined =
            item.checked === true ? 'done' : item.checked === false ? 'open' : undefined;
          // GFM knows `[ ]` and `[x]` only: `[-]`, `[/]`, `[~]` and `[ ]*` are read from the source here.
          const box = state === undefined ? CHECKBOX.exec(lines[0] ?? '') : null;
          if (box) {
            state = box[2] && box[1] === ' ' ? 'optional' : (BOX_STATE[box[1]!] ?? 'done');
            lines = [lines[0]!.slice(box[0].length), ...lines.slice(1)].filter((l, i) => i > 0 || l !== '');
          } else if (state === 'open' && /^\*\s/.test(lines[0] ?? '')) {
            state = 'optional';
            lines = [lines[0]!.replace(/^\*\s+/, ''), ...lines.slice(1)];
          }
          const at = blocks.length;
          blocks.push({
            kind: 'item',
            line: lineOf(item),
            level,
            lines,
            text: joinLines(lines),
            ...(state ? { state } : {}),
            ...(parent !== undefined ? { parent } : {}),
            ...(node.ordered ? { ordinal: (node.start ?? 1) + index } : {}),
          });
          visit(first?.type === 'paragraph' ? rest : item.children, level + 1, at);
        });
      } else if (node.type === 'blockquote') {
        visit(node.children, level, parent);
      }
      // Code, tables, HTML and rules are not structure the importers read; design text is kept whole elsewhere.
    }
  };
  visit(tree.children, 0, undefined);
  return { blocks };
}

/** Front matter replaced by blank lines, so the parser does not see a rule and a setext heading, and lines keep their numbers. */
function blankFrontMatter(source: string): string {
  const lines = source.split('\n');
  if (lines[0]?.trim() !== '---') return source;
  const close = lines.findIndex((l, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(l));
  if (close < 0) return source;
  return [...lines.slice(0, close + 1).map(() => ''), ...lines.slice(close + 1)].join('\n');
}

function lineOf(node: Nodes): number {
  return node.position?.start.line ?? 0;
}

/** A block's source, line by line, without indentation (a lazy continuation line is its own line). */
function sourceLines(source: string, node: Nodes): string[] {
  const start = node.position?.start.offset ?? 0;
  const end = node.position?.end.offset ?? start;
  return source
    .slice(start, end)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}，。、；：！？（）「」]/u;

/** Wrapped lines made one: joined by a space, or directly between CJK characters (which have none between them). */
export function joinLines(lines: readonly string[]): string {
  let out = '';
  for (const line of lines) {
    const text = line.trim();
    if (!text) continue;
    out += out && !(CJK.test(out.at(-1)!) && CJK.test(text[0]!)) ? ` ${text}` : text;
  }
  return out.replace(/\s+/g, ' ');
}

/**
 * A heading's text: `**bold**` and `*italic*` unwrapped, code spans' content kept, but any
 * emphasis the parser found inside a word or path (`__tests__`, `src/**` `/*.ts`) kept as written.
 */
function inlineText(nodes: readonly PhrasingContent[], source: string): string {
  let out = '';
  for (const node of nodes) {
    const raw = source.slice(node.position?.start.offset ?? 0, node.position?.end.offset ?? 0);
    if (node.type === 'text') out += node.value;
    else if (node.type === 'inlineCode') out += node.value;
    else if (
      (node.type === 'strong' || node.type === 'emphasis' || node.type === 'delete') &&
      standsAlone(source, node)
    )
      out += inlineText(node.children, source);
    else if (node.type === 'link' || node.type === 'linkReference') out += inlineText(node.children, source);
    else out += raw;
  }
  return out.replace(/\s+/g, ' ').trim();
}

/** Emphasis set off by spaces or punctuation, not glued into a word or a path. */
function standsAlone(source: string, node: Nodes): boolean {
  const before = source[(node.position?.start.offset ?? 0) - 1] ?? ' ';
  const after = source[node.position?.end.offset ?? 0] ?? ' ';
  return (
    /[\s([{"'“‘（「]/.test(before) &&
    /[\s)\]}"'”’,;:!?。，；：！？）」]|\.(?!\w)/.test(
      after === '.' ? source.slice(node.position?.end.offset ?? 0, (node.position?.end.offset ?? 0) + 2) : after,
    )
  );
}
