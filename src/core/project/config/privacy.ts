/**
 * The deny list (docs/security.md, `privacy.deny`): files that hold secrets are never read, listed,
 * searched, written, journaled or checkpointed. The built-in list below is always in force;
 * the config adds to it, never removes from it.
 *
 * Matching is deliberately generous: names are compared case-insensitively after Unicode
 * folding (a case-insensitive file system opens `.ENV` as `.env`), a pattern without a `/`
 * matches a name at any depth (like .gitignore), a pattern with one matches below any folder
 * (`.aws/**` also covers `home/.aws/credentials`), and everything under a denied folder is denied.
 */
import picomatch from 'picomatch';
import { foldSegment } from './protectedPaths';

export const BUILTIN_DENY: readonly string[] = [
  '.env',
  '.env.*',
  '*.pem',
  '*.key',
  'id_rsa*',
  'id_ed25519*',
  '.npmrc',
  '.pypirc',
  '.netrc',
  '.git-credentials',
  '.aws/**',
  '.ssh/**',
  '.docker/config.json',
  '**/*credentials*.json',
  '**/*secret*.json',
  '*.p12',
  '*.pfx',
  '*.keystore',
  '*.jks',
];

/** A name no real file has, to ask whether a pattern covers everything inside a folder. */
const PROBE_CHILD = '__orchestrator_probe__';

export class DenyList {
  /** Every pattern in force: the built-in list, then the config's. */
  readonly patterns: readonly string[];
  private readonly matchers: { pattern: string; test: (path: string) => boolean }[];
  /** Every pattern in one regular expression (names and paths apart): the fast "is anything denied". */
  private readonly anyName: RegExp;
  private readonly anyPath: RegExp;

  constructor(extra: readonly string[] = []) {
    this.patterns = [...BUILTIN_DENY, ...extra];
    const compiled = this.patterns.map((pattern) => ({ pattern, ...compile(pattern) }));
    this.matchers = compiled.map(({ pattern, test }) => ({ pattern, test }));
    const union = (sources: string[]) =>
      new RegExp(sources.length > 0 ? sources.map((s) => `(?:${s})`).join('|') : '(?!)', 'i');
    this.anyName = union(compiled.filter((c) => c.onName).map((c) => c.source));
    this.anyPath = union(compiled.filter((c) => !c.onName).map((c) => c.source));
  }

  /**
   * The same list as git pathspecs (glob, any case), so `git add` never even hashes a denied
   * file into the object store (`exclude`) and `git ls-files` finds the tracked ones; `match`
   * remains the authority on what is denied. `withContents` adds `<pattern>/**` for folders
   * named like a file pattern (each pathspec costs `git add` time on a big tree).
   */
  gitPathspecs(exclude: boolean, withContents: boolean): string[] {
    const magic = exclude ? ':(exclude,glob,icase)' : ':(glob,icase)';
    return this.patterns.flatMap((pattern) => {
      const glob = globOf(pattern);
      const anywhere = glob.anchored || glob.text.startsWith('**/') ? glob.text : `**/${glob.text}`;
      return withContents && !anywhere.endsWith('/**')
        ? [`${magic}${anywhere}`, `${magic}${anywhere}/**`]
        : [`${magic}${anywhere}`];
    });
  }

  /** The pattern that denies this workspace-relative path (or a folder above it), if any. */
  match(rel: string): string | undefined {
    const segments = rel
      .split('/')
      .filter((s) => s !== '' && s !== '.')
      .map(foldSegment);
    let prefix = '';
    for (const segment of segments) {
      prefix = prefix === '' ? segment : `${prefix}/${segment}`;
      if (!this.anyName.test(segment) && !this.anyPath.test(prefix)) continue;
      const path = prefix;
      return this.matchers.find((m) => m.test(path))?.pattern;
    }
    return undefined;
  }

  /** The pattern that denies a folder: itself, or everything inside it (`.ssh/**`). */
  matchFolder(rel: string): string | undefined {
    return this.match(rel) ?? (rel === '' ? undefined : this.match(`${rel}/${PROBE_CHILD}`));
  }
}

function globOf(pattern: string): { text: string; anchored: boolean } {
  const glob = pattern.trim().replace(/\\/g, '/').replace(/^\.\//, '');
  return { text: glob.replace(/^\/+/, '').replace(/\/+$/, ''), anchored: glob.startsWith('/') };
}

/** A pattern without a '/' matches a name at any depth; one with a '/' matches below any folder. */
interface CompiledPattern {
  test: (path: string) => boolean;
  source: string;
  onName: boolean;
}

/** Each run and each command check builds its deny list: a pattern is compiled once per process (a few, from the config). */
const compiledPatterns = new Map<string, CompiledPattern>();
const MAX_COMPILED = 1000;

function compile(pattern: string): CompiledPattern {
  let known = compiledPatterns.get(pattern);
  if (!known) {
    if (compiledPatterns.size >= MAX_COMPILED) compiledPatterns.clear();
    known = compileNow(pattern);
    compiledPatterns.set(pattern, known);
  }
  return known;
}

function compileNow(pattern: string): CompiledPattern {
  const { text: glob, anchored } = globOf(pattern);
  const options = { dot: true, nocase: true };
  if (!glob.includes('/') && !anchored) {
    const re = picomatch.makeRe(glob, options);
    return { test: (path) => re.test(path.slice(path.lastIndexOf('/') + 1)), source: re.source, onName: true };
  }
  const re = picomatch.makeRe(anchored || glob.startsWith('**/') ? glob : `**/${glob}`, options);
  return { test: (path) => re.test(path), source: re.source, onName: false };
}

/**
 * Why a copy of the repository (init's verification worktree, a run's worktree) lacks a file the
 * checkout has: it was never committed, and a denied one is not even copied from the work tree.
 */
export function whyNotCopied(deny: DenyList, path: string): string {
  const pattern = deny.match(path);
  return pattern
    ? `it is not committed and on the privacy deny list (${JSON.stringify(pattern)}), so it is kept out of every copy; a test fixture is there once the repository commits it`
    : 'it is not committed (gitignored), and a copy holds only what git has; commit it, or make it in the command';
}
