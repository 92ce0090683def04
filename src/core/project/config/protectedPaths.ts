/**
 * Paths no agent ever writes, whatever its `owns` says (docs/security.md): `.git/**`, `.claude/**`
 * (config, journal, context, registry), `.vscode/**`, `.gitignore` and every other `.git*` file (`.gitattributes` can make a
 * file show as "Binary files differ" to the reviewer, `.gitmodules` points a path at another
 * repository). They are matched on
 * folded names, so every spelling a file system would open as one of them counts: any case
 * (Unicode case folding included: `.gıtignore` is `.GITIGNORE` on NTFS), compatibility forms
 * (`．ｇｉｔ`), Windows-ignored trailing dots and spaces, NTFS stream suffixes (`.git::$DATA`)
 * and 8.3 short names (`CLAUDE~1`). They are refused at any depth: a nested `.gitignore`
 * would hide an agent's files from the checkpoint and the review diff just as well, and a
 * nested `.gitattributes` would change how its folder's diffs look.
 */

export const PROTECTED_GLOBS = ['.git/**', '.claude/**', '.vscode/**', '.gitignore', '.git*'] as const;
export type ProtectedGlob = (typeof PROTECTED_GLOBS)[number];

/** What a file system may open `segment` as, lower-cased and stripped of Windows decorations. */
export function foldSegment(segment: string): string {
  const name = segment.split(':')[0]!.replace(/[. ]+$/, '');
  // Plain ASCII (nearly every name) folds by lower-casing alone.
  if (/^[\x20-\x7e]*$/.test(name)) return name.toLowerCase();
  return name.normalize('NFKC').toUpperCase().toLowerCase();
}

/** 8.3 short names look like `CLAUDE~1`: the first (up to six) characters of the long name without its dot. */
function isShortNameOf(folded: string, longName: string): boolean {
  const short = /^([a-z0-9_$-]{1,6})~\d+$/.exec(folded);
  return short !== null && longName.replace(/^\./, '').startsWith(short[1]!);
}

const DIRECTORIES: [string, ProtectedGlob][] = [
  ['.git', '.git/**'],
  ['.claude', '.claude/**'],
  ['.vscode', '.vscode/**'],
];

/** The protected directory a segment names, if any. */
export function protectedDirectory(segment: string): ProtectedGlob | undefined {
  const folded = foldSegment(segment);
  for (const [name, glob] of DIRECTORIES) if (folded === name || isShortNameOf(folded, name)) return glob;
  return undefined;
}

function isGitignore(segment: string): boolean {
  const folded = foldSegment(segment);
  return folded === '.gitignore' || isShortNameOf(folded, '.gitignore');
}

/** `.gitattributes`, `.gitmodules`, `.gitkeep`…: any file git itself reads (or may one day), and their 8.3 short names (`GITATT~1`). */
function isGitFile(segment: string): boolean {
  const folded = foldSegment(segment);
  return folded.startsWith('.git') || /^git[a-z0-9_$-]{0,3}~\d+$/.test(folded);
}

/**
 * node_modules holds installed packages, whose code the project's commands run (`npx tsc`
 * resolves node_modules/.bin/tsc): an agent writing there would run its code as validation.
 */
export function isInstalledCode(rel: string): boolean {
  return rel.split('/').some((segment) => foldSegment(segment) === 'node_modules');
}

/** The protected glob a workspace-relative path falls under (at any depth), or undefined. */
export function protectedGlobOf(rel: string): ProtectedGlob | undefined {
  const segments = rel.split('/').filter((s) => s !== '');
  for (const segment of segments) {
    const dir = protectedDirectory(segment);
    if (dir) return dir;
  }
  const last = segments.at(-1);
  if (last === undefined) return undefined;
  return isGitignore(last) ? '.gitignore' : isGitFile(last) ? '.git*' : undefined;
}
