/**
 * The deny list (DESIGN.md `privacy.deny`): files that hold secrets are never read, listed,
 * searched, written, journaled or checkpointed. The built-in list below is always in force;
 * the config adds to it, never removes from it.
 *
 * Matching is deliberately generous: names are compared case-insensitively after Unicode
 * folding (a case-insensitive file system opens `.ENV` as `.env`), a pattern without a `/`
 * matches a name at any depth (like .gitignore), a pattern with one matches below any folder
 * (`.aws/**` also covers `home/.aws/credentials`), and everything under a denied folder is denied.
 */
import picomatch from 'picomatch';
import { foldSegment } from '../agents/guard/protectedPaths';

export const BUILTIN_DENY: readonly string[] = [
  '.env', '.env.*',
  '*.pem', '*.key', 'id_rsa*', 'id_ed25519*',
  '.npmrc', '.pypirc', '.netrc', '.git-credentials', '.aws/**', '.ssh/**', '.docker/config.json',
  '**/*credentials*.json', '**/*secret*.json', '*.p12', '*.pfx', '*.keystore', '*.jks',
];

/** A name no real file has, to ask whether a pattern covers everything inside a folder. */
const PROBE_CHILD = '__orchestrator_probe__';

export class DenyList {
  private readonly patterns: string[];
  private readonly matchers: { pattern: string; test: (path: string) => boolean }[];

  constructor(extra: readonly string[] = []) {
    this.patterns = [...BUILTIN_DENY, ...extra];
    this.matchers = this.patterns.map((pattern) => ({ pattern, test: compile(pattern) }));
  }

  /**
   * The same list as git exclude pathspecs (glob, any case), so `git add` never even hashes a
   * denied file into the object store; `match` remains the authority on what is denied.
   */
  gitExcludes(): string[] {
    return this.patterns.flatMap((pattern) => {
      const glob = globOf(pattern);
      const anywhere = glob.anchored || glob.text.startsWith('**/') ? glob.text : `**/${glob.text}`;
      return [`:(exclude,glob,icase)${anywhere}`, `:(exclude,glob,icase)${anywhere}/**`];
    });
  }

  /** The pattern that denies this workspace-relative path (or a folder above it), if any. */
  match(rel: string): string | undefined {
    const segments = rel.split('/').filter((s) => s !== '' && s !== '.').map(foldSegment);
    for (let depth = 1; depth <= segments.length; depth++) {
      const prefix = segments.slice(0, depth).join('/');
      const hit = this.matchers.find((m) => m.test(prefix));
      if (hit) return hit.pattern;
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

function compile(pattern: string): (path: string) => boolean {
  const { text: glob, anchored } = globOf(pattern);
  const options = { dot: true, nocase: true };
  if (!glob.includes('/') && !anchored) {
    const test = picomatch(glob, options);
    return (path) => test(path.slice(path.lastIndexOf('/') + 1));
  }
  const test = picomatch(anchored || glob.startsWith('**/') ? glob : `**/${glob}`, options);
  return (path) => test(path);
}
