/**
 * Untrusted text (agent output, spec text, file names, errors) in chat markdown. It only ever
 * goes into plain-string markdown parts (never a MarkdownString with `supportHtml` or
 * `isTrusted`), and escaped first, so a spec or an agent cannot put a command link, an image
 * fetched from the network or HTML into the response. Pure functions: unit-tested without VS Code.
 */

/** Characters markdown gives a meaning inline (CommonMark's escapable ASCII punctuation we meet in text; `:` and `@` stop GFM's autolinks). */
const INLINE_SPECIALS = /[\\`*_{}[\]()#+\-.!|<>~&:@]/g;

/** One line of untrusted text shown as itself: every markdown character escaped, newlines folded, bounded. */
export function escapeInline(text: string, max = 500): string {
  const line = text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/\s{2,}/g, ' ')
    .trim();
  const bounded = line.length > max ? `${line.slice(0, max - 1)}…` : line;
  return bounded.replace(INLINE_SPECIALS, (c) => `\\${c}`);
}

/** Untrusted text as an inline code span (a command, a path): a backtick run longer than any inside, one line. */
export function codeSpan(text: string, max = 300): string {
  const line = text.replace(/[\r\n\t]+/g, ' ').trim();
  const bounded = line.length > max ? `${line.slice(0, max - 1)}…` : line;
  const ticks = '`'.repeat(Math.max(0, ...[...bounded.matchAll(/`+/g)].map((m) => m[0].length)) + 1);
  const pad = bounded.startsWith('`') || bounded.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${bounded || ' '}${pad}${ticks}`;
}

/**
 * A whole untrusted markdown document (a spec) keeping its structure (headings, lists, tables,
 * code) but made inert outside code: no HTML (`<` escaped: tags, comments and autolinks become
 * text), no images (`![` escaped) and no links (`[` and `]` escaped: `[text](target)` shows as
 * text, and a task list's `[ ]` reads the same; bare URLs are not linked). Code blocks and spans are left alone: markdown
 * renders them as text anyway.
 */
export function inertMarkdown(doc: string): string {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of doc.replace(/\r\n?/g, '\n').split('\n')) {
    const opener = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence !== undefined) {
      if (opener && opener[0] === fence[0] && opener.length >= fence.length && line.trim() === opener)
        fence = undefined;
      out.push(line);
      continue;
    }
    if (opener) {
      fence = opener;
      // The info string is shown by some renderers: keep only its first word, when it is a language name.
      out.push(
        line.replace(
          /^(\s*[`~]+).*$/,
          (_, f: string) => `${f}${/^\s*[`~]+\s*([\w+-]{1,30})(?![^\s])/.exec(line)?.[1] ?? ''}`,
        ),
      );
      continue;
    }
    out.push(inertLine(line));
  }
  if (fence !== undefined) out.push(fence);
  return out.join('\n');
}

/** One line outside code: code spans kept, the rest with `<`, `[`, `]`, `&` and `@` escaped, and `scheme://` and `www.` broken (GFM's autolinks). */
function inertLine(line: string): string {
  return line
    .split(/(`+[^`]*`+)/)
    .map((piece, i) =>
      i % 2 === 1
        ? piece
        : piece
            .replace(/[<[\]&@]/g, (c) => `\\${c}`)
            .replace(/\b([a-z][\w+.-]*):(?=\/\/)/gi, '$1\\:')
            .replace(/\bwww\./gi, 'www\\.'),
    )
    .join('');
}
