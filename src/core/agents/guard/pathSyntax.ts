/**
 * Lexical checks on a path the model sent, before the file system is consulted.
 * Everything here is pure string work so it behaves the same on every platform:
 * Windows forms are refused on POSIX too, because a path that would escape on one
 * machine is never a legitimate workspace-relative path on another.
 */

export type PathSyntaxResult =
  | { ok: true; /** posix form, no '.', no '..', no leading/trailing '/'; '' means the workspace root */ rel: string }
  | { ok: false; reason: string };

/** A short, single-line rendering of untrusted input for refusal messages. */
export function quotePath(raw: string): string {
  const shown = raw.length > 120 ? `${raw.slice(0, 120)}…` : raw;
  // JSON escaping turns newlines, NUL and other control characters into visible escapes.
  return JSON.stringify(shown);
}

const WINDOWS_DRIVE = /^[a-zA-Z]:/;

/**
 * True for a segment that some file system would open as the `.git` directory:
 * any case, Windows-ignored trailing dots/spaces, an NTFS stream suffix, or the 8.3 short name.
 */
export function isGitSegment(segment: string): boolean {
  const name = segment.split(':')[0]!.replace(/[. ]+$/, '').toLowerCase();
  return name === '.git' || /^git~\d+$/.test(name);
}

export function checkPathSyntax(raw: unknown): PathSyntaxResult {
  if (typeof raw !== 'string') return { ok: false, reason: 'refused: path must be a string' };
  if (raw.trim() === '') return { ok: false, reason: 'refused: path is empty' };
  if (raw.includes('\0')) return { ok: false, reason: `refused: path ${quotePath(raw)} contains a NUL byte` };
  if (raw.startsWith('/')) {
    return { ok: false, reason: `refused: absolute path ${quotePath(raw)}; paths must be relative to the workspace` };
  }
  if (raw.startsWith('\\') || WINDOWS_DRIVE.test(raw)) {
    return { ok: false, reason: `refused: Windows absolute path ${quotePath(raw)}; paths must be relative to the workspace` };
  }
  if (/^~($|[/\\])/.test(raw)) {
    return { ok: false, reason: `refused: home-relative path ${quotePath(raw)}; paths must be relative to the workspace` };
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
