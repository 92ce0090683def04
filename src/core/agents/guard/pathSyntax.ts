/**
 * Lexical checks on a path the model sent, before the file system is consulted.
 * Everything here is pure string work so it behaves the same on every platform:
 * Windows forms are refused on POSIX too, because a path that would escape on one
 * machine is never a legitimate workspace-relative path on another.
 */
import { protectedDirectory } from '../../project/config';

export type PathSyntaxResult =
  | { ok: true; /** posix form, no '.', no '..', no leading/trailing '/'; '' means the workspace root */ rel: string }
  | { ok: false; reason: string };

const WINDOWS_DRIVE = /^[a-zA-Z]:/;

/**
 * Characters that make a path display differently from what it is (Trojan Source): bidi
 * embeddings, overrides and isolates, direction marks, zero-width characters and the BOM,
 * plus C0/C1 control characters.
 */
// eslint-disable-next-line no-control-regex -- control characters are what it refuses
const DECEPTIVE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/u;
const DECEPTIVE_ALL = new RegExp(DECEPTIVE.source, 'gu');

/** A short, single-line rendering of untrusted input for refusal messages. */
export function quotePath(raw: string): string {
  const shown = raw.length > 120 ? `${raw.slice(0, 120)}…` : raw;
  // JSON escaping turns newlines, NUL and other control characters into visible escapes;
  // bidi and zero-width characters are escaped too, so the message shows what the path is.
  return JSON.stringify(shown).replace(DECEPTIVE_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * True for a segment that some file system would open as the `.git` directory:
 * any case, Windows-ignored trailing dots/spaces, an NTFS stream suffix, or the 8.3 short name.
 */
export function isGitSegment(segment: string): boolean {
  return protectedDirectory(segment) === '.git/**';
}

export function checkPathSyntax(raw: unknown): PathSyntaxResult {
  if (typeof raw !== 'string') return { ok: false, reason: 'refused: path must be a string' };
  if (raw.trim() === '') return { ok: false, reason: 'refused: path is empty' };
  if (raw.includes('\0')) return { ok: false, reason: `refused: path ${quotePath(raw)} contains a NUL byte` };
  if (raw.startsWith('/')) {
    return { ok: false, reason: `refused: absolute path ${quotePath(raw)}; paths must be relative to the workspace` };
  }
  if (raw.startsWith('\\') || WINDOWS_DRIVE.test(raw)) {
    return {
      ok: false,
      reason: `refused: Windows absolute path ${quotePath(raw)}; paths must be relative to the workspace`,
    };
  }
  if (/^~($|[/\\])/.test(raw)) {
    return {
      ok: false,
      reason: `refused: home-relative path ${quotePath(raw)}; paths must be relative to the workspace`,
    };
  }

  const deceptive = DECEPTIVE.exec(raw);
  if (deceptive) {
    const code = `U+${deceptive[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    return { ok: false, reason: `refused: path ${quotePath(raw)} contains the control character ${code}` };
  }

  // Backslashes are separators on Windows; treating them as such everywhere closes `a\..\..\x`.
  const stack: string[] = [];
  for (const segment of raw.replace(/\\/g, '/').split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (stack.length === 0) {
        return { ok: false, reason: `refused: path ${quotePath(raw)} escapes the workspace with '..'` };
      }
      stack.pop();
      continue;
    }
    stack.push(segment);
  }
  if (stack.some(isGitSegment)) {
    return { ok: false, reason: `refused: path ${quotePath(raw)} is inside .git/, which agents may not touch` };
  }
  return { ok: true, rel: stack.join('/') };
}
