/**
 * Untrusted text made safe to print to a terminal: every control character is shown as an
 * escape (`\x1b`, `\r`) instead of acting on the terminal, and so are the characters that hide
 * or reorder text without showing themselves (bidi overrides, zero-width marks, tag
 * characters, lone surrogates). A reviewer then sees exactly the bytes a hostile title or
 * artifact holds: an ESC sequence cannot repaint the screen, a CR cannot overwrite a line.
 * Newlines and tabs are kept (multi-line text stays readable) unless `singleLine` is asked.
 *
 * The escapes are also valid inside JSON strings (`\u202e`), so the same filter may run over
 * JSON output: it stays parseable and parses to the same value (JSON.stringify already
 * escapes C0 controls; what it leaves raw, DEL, C1 and the invisible characters, is escaped as `\u…`).
 */

// eslint-disable-next-line no-control-regex -- control characters are what it finds
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const CONTROL_SINGLE_LINE = /[\u0000-\u001f\u007f-\u009f]/g;
/**
 * Invisible or reordering: soft hyphen, combining grapheme joiner, Arabic letter mark, Hangul
 * and Khmer fillers, Mongolian vowel separator, zero-width and bidi marks, line/paragraph
 * separators, embeddings/overrides/isolates, word joiner and invisible operators, BOM,
 * interlinear annotations, tag characters, and surrogates standing alone.
 */
const INVISIBLE =
  /\u034f|\u17b4|\u17b5|[\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb]|\udb40[\udc00-\udc7f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const NAMED: Record<string, string> = { '\r': '\\r', '\n': '\\n', '\t': '\\t' };

const hex = (char: string, width: number) => char.charCodeAt(0).toString(16).padStart(width, '0');

function escapeControl(char: string): string {
  // DEL and C1 (which JSON.stringify leaves raw) as `\u009b`: an escape JSON reads back as the same character.
  return NAMED[char] ?? (char >= '\u007f' ? `\\u${hex(char, 4)}` : `\\x${hex(char, 2)}`);
}

function escapeInvisible(chars: string): string {
  return [...chars.split('')].map((c) => `\\u${hex(c, 4)}`).join('');
}

/** The text with its controls and invisible characters shown as escapes; newlines and tabs kept. */
export function visibleText(text: string): string {
  return text.replace(CONTROL, escapeControl).replace(INVISIBLE, escapeInvisible);
}

/** One line of text (a table cell, a title): newlines and tabs shown as `\n` and `\t` too. */
export function visibleLine(text: string): string {
  return text.replace(CONTROL_SINGLE_LINE, escapeControl).replace(INVISIBLE, escapeInvisible);
}
