/**
 * `owns` globs from folder claims, no file owned twice: each file belongs to the deepest
 * folder claimed above it. A claimed folder with nothing claimed inside is `dir/**`; one with
 * deeper claims lists its own files (`dir/*`) and its other sub-folders. The root is never a
 * bare `**` (that would claim `.claude/` and `.gitignore`): its files are named one by one.
 * Excluded files (programs a validate command runs) belong to nobody.
 */
export interface Claim {
  unit: number;
  /** Workspace-relative folder; '' for the root. */
  dir: string;
}

export interface Ownership {
  owns: Map<number, string[]>;
  /** The unit owning a file, or undefined. */
  ownerOf(file: string): number | undefined;
}

/** Root files no layer owns: git's own and `.git*` (protected: `.gitlab-ci.yml` too), and secrets. */
const NEVER_OWNED_ROOT = /^(\.git.*|\.env.*|.*\.pem|.*\.key)$/;

export function ownsFromClaims(
  files: readonly string[],
  claims: readonly Claim[],
  excluded: ReadonlySet<string>,
): Ownership {
  const children = new Map<string, Set<string>>();
  const directFiles = new Map<string, string[]>();
  for (const file of files) {
    const slash = file.lastIndexOf('/');
    const dir = slash < 0 ? '' : file.slice(0, slash);
    (directFiles.get(dir) ?? directFiles.set(dir, []).get(dir)!).push(file);
    let child = dir;
    while (child !== '') {
      const up = child.lastIndexOf('/');
      const parent = up < 0 ? '' : child.slice(0, up);
      const set = children.get(parent) ?? children.set(parent, new Set()).get(parent)!;
      if (set.has(child)) break;
      set.add(child);
      child = parent;
    }
  }
  const claimed = new Map<string, number>();
  for (const claim of claims) if (!claimed.has(claim.dir)) claimed.set(claim.dir, claim.unit);
  // Folders holding a deeper claim or an excluded file cannot be owned whole.
  const blocked = new Set<string>();
  const blockAbove = (path: string, includeSelf: boolean) => {
    let dir = includeSelf ? path : parentOf(path);
    for (;;) {
      blocked.add(dir);
      if (dir === '') break;
      dir = parentOf(dir);
    }
  };
  for (const dir of claimed.keys()) if (dir !== '') blockAbove(dir, false);
  for (const file of excluded) blockAbove(file, false);

  const owns = new Map<number, string[]>();
  const emit = (unit: number, dir: string, out: string[]) => {
    if (dir !== '' && !blocked.has(dir)) {
      out.push(`${escapeGlob(dir)}/**`);
      return;
    }
    const own = (directFiles.get(dir) ?? []).filter(
      (f) => !excluded.has(f) && !(dir === '' && NEVER_OWNED_ROOT.test(f)),
    );
    const whole = own.length === (directFiles.get(dir) ?? []).length;
    if (dir !== '' && whole && own.length > 0) out.push(`${escapeGlob(dir)}/*`);
    else out.push(...own.map(escapeGlob));
    for (const child of [...(children.get(dir) ?? [])].sort()) if (!claimed.has(child)) emit(unit, child, out);
  };
  for (const [dir, unit] of claimed) {
    const out = owns.get(unit) ?? owns.set(unit, []).get(unit)!;
    emit(unit, dir, out);
  }
  return {
    owns,
    ownerOf(file) {
      if (excluded.has(file)) return undefined;
      // The deepest claimed folder above the file: a walk up its own path.
      for (let dir = parentOf(file); ; dir = parentOf(dir)) {
        const unit = claimed.get(dir);
        if (unit !== undefined)
          return dir === '' && !file.includes('/') && NEVER_OWNED_ROOT.test(file) ? undefined : unit;
        if (dir === '') return undefined;
      }
    },
  };
}

function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/** Folder and file names are literal: `app/[id]` and `(group)` must not read as glob syntax. */
export function escapeGlob(path: string): string {
  return path.replace(/[*?[\]{}()!+@]/g, (c) => `\\${c}`);
}
