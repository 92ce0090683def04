import { lstat, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import picomatch from 'picomatch';
import { DenyList, isInstalledCode, PROTECTED_GLOBS, protectedGlobOf } from '../../project/config';
import { GitignoreRules } from './gitignore';
import { checkPathSyntax, isGitSegment, quotePath } from './pathSyntax';

export type GuardVerdict =
  | {
      ok: true;
      /** normalized workspace-relative posix path ('' = root) */ rel: string;
      /** absolute path to operate on */ abs: string;
    }
  | { ok: false; reason: string };

/**
 * Decides whether a model-supplied path may be read or changed. The checks are layered:
 * syntax (absolute, `..`, NUL, bidi controls, `.git`), then the real file system (symlinks
 * must not lead outside the workspace or into `.git`), then privacy (secret files on the
 * deny list and gitignored files are never read), then — for changes — the protected paths
 * and the agent's `owns` globs. Both the path as written and the path a symlink leads to
 * must pass. Callers must operate on `abs`, the normalized path that was actually checked.
 */
export class WorkspaceGuard {
  private readonly ownsMatcher: ((path: string) => boolean) | undefined;
  private readonly frozenMatcher: ((path: string) => boolean) | undefined;
  readonly gitignore: GitignoreRules;

  private constructor(
    /** The workspace root with symlinks resolved, so containment compares like with like. */
    readonly root: string,
    readonly owns: readonly string[],
    readonly deny: DenyList,
    readonly frozen: readonly string[],
  ) {
    this.ownsMatcher = owns.length > 0 ? picomatch([...owns], { dot: true }) : undefined;
    this.frozenMatcher = frozen.length > 0 ? picomatch([...frozen], { dot: true }) : undefined;
    this.gitignore = new GitignoreRules(root);
  }

  /** `deny`: the config's `privacy.deny`, added to the built-in deny list; `frozen`: the run's proof tests, never changed. */
  static async create(
    workspace: string,
    owns: readonly string[],
    deny: readonly string[] = [],
    frozen: readonly string[] = [],
  ): Promise<WorkspaceGuard> {
    return new WorkspaceGuard(await realpath(workspace), owns, new DenyList(deny), frozen);
  }

  /**
   * Why a workspace-relative path is hidden from agents (a secret, or gitignored), or
   * undefined when it may be seen. Listing and searching skip what this names.
   */
  async hiddenReason(rel: string, isDir: boolean): Promise<string | undefined> {
    if (rel === '') return undefined;
    const denied = isDir ? this.deny.matchFolder(rel) : this.deny.match(rel);
    if (denied) return `is on the privacy deny list (${JSON.stringify(denied)}): secrets are never sent to the model`;
    if (await this.gitignore.isIgnored(rel, isDir)) return 'is ignored by .gitignore, and ignored files are not read';
    return undefined;
  }

  get readOnly(): boolean {
    return this.ownsMatcher === undefined;
  }

  /** May the agent read (or list/search under) this path? The root itself is allowed. */
  async checkRead(raw: unknown): Promise<GuardVerdict> {
    const syntax = checkPathSyntax(raw);
    if (!syntax.ok) return syntax;
    const abs = syntax.rel === '' ? this.root : join(this.root, syntax.rel);
    const real = await this.realRelative(abs, raw as string);
    if (!real.ok) return real;
    const isDir = await lstat(join(this.root, real.rel)).then(
      (s) => s.isDirectory(),
      () => false,
    );
    for (const rel of new Set([syntax.rel, real.rel])) {
      const hidden = await this.hiddenReason(rel, isDir);
      if (hidden) return { ok: false, reason: `refused: ${quotePath(rel)} ${hidden}` };
    }
    return { ok: true, rel: syntax.rel, abs };
  }

  /** May the agent create, overwrite, edit or delete this path? */
  async checkWrite(raw: unknown): Promise<GuardVerdict> {
    const syntax = checkPathSyntax(raw);
    if (!syntax.ok) return syntax;
    const shown = quotePath(raw as string);
    if (!this.ownsMatcher) return { ok: false, reason: `refused: this agent is read-only and may not change ${shown}` };
    if (syntax.rel === '') return { ok: false, reason: 'refused: the workspace root is not a file' };
    const guarded = protectedGlobOf(syntax.rel);
    if (guarded) return { ok: false, reason: protectedReason(shown, guarded) };
    if (isInstalledCode(syntax.rel))
      return {
        ok: false,
        reason: `refused: ${shown} is inside node_modules: installed packages are never written by agents (the project's commands run their code)`,
      };
    const denied = this.deny.match(syntax.rel);
    if (denied)
      return {
        ok: false,
        reason: `refused: ${shown} is on the privacy deny list (${JSON.stringify(denied)}); agents never touch secret files`,
      };
    if (!this.ownsMatcher(syntax.rel)) {
      return { ok: false, reason: `refused: ${shown} is outside this agent's owned paths (${this.owns.join(', ')})` };
    }
    if (this.frozenMatcher?.(syntax.rel)) return { ok: false, reason: frozenReason(shown) };
    const abs = join(this.root, syntax.rel);
    const real = await this.realRelative(abs, raw as string);
    if (!real.ok) return real;
    // A symlink inside the owned area must not redirect a change into another agent's files.
    if (real.rel !== syntax.rel) {
      const realGuarded = protectedGlobOf(real.rel);
      if (realGuarded)
        return {
          ok: false,
          reason: protectedReason(`${shown} (through a symlink to ${quotePath(real.rel)})`, realGuarded),
        };
      if (isInstalledCode(real.rel))
        return { ok: false, reason: `refused: ${shown} resolves through a symlink into node_modules` };
      if (this.deny.match(real.rel))
        return { ok: false, reason: `refused: ${shown} resolves through a symlink to a secret file` };
      if (!this.ownsMatcher(real.rel)) {
        return {
          ok: false,
          reason: `refused: ${shown} resolves through a symlink to ${quotePath(real.rel)}, outside this agent's owned paths`,
        };
      }
      if (this.frozenMatcher?.(real.rel))
        return { ok: false, reason: frozenReason(`${shown} (through a symlink to ${quotePath(real.rel)})`) };
    }
    return { ok: true, rel: syntax.rel, abs };
  }

  /**
   * Where `abs` really lives, relative to the root: the realpath of its nearest existing
   * ancestor (itself when it exists) plus the segments that do not exist yet.
   */
  private async realRelative(
    abs: string,
    raw: string,
  ): Promise<{ ok: true; rel: string } | { ok: false; reason: string }> {
    const shown = quotePath(raw);
    const missing: string[] = [];
    let probe = abs;
    for (;;) {
      const exists = await lstat(probe).then(
        () => true,
        (error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return false;
          throw error;
        },
      );
      if (exists) break;
      const parent = join(probe, '..');
      if (parent === probe || relative(this.root, probe) === '') break;
      missing.unshift(probe.slice(parent.length).replace(/^[\\/]+/, ''));
      probe = parent;
    }

    let realProbe: string;
    try {
      realProbe = await realpath(probe);
    } catch {
      // lstat saw it but realpath cannot follow it: a dangling or looping symlink.
      return { ok: false, reason: `refused: ${shown} goes through a broken symlink` };
    }
    const fromRoot = relative(this.root, realProbe);
    if (fromRoot === '..' || fromRoot.startsWith(`..${sep}`) || isAbsolute(fromRoot)) {
      return { ok: false, reason: `refused: ${shown} resolves outside the workspace (symlink)` };
    }
    const segments = [...(fromRoot === '' ? [] : fromRoot.split(sep)), ...missing];
    if (segments.some(isGitSegment)) {
      return { ok: false, reason: `refused: ${shown} resolves into .git/, which agents may not touch` };
    }
    return { ok: true, rel: segments.join('/') };
  }
}

function protectedReason(shown: string, glob: string): string {
  return `refused: ${shown} is under ${glob}, which agents never write whatever their owns say (protected: ${PROTECTED_GLOBS.join(', ')})`;
}

/** Proof tests are the criteria's evidence: only the spec gate changes them (docs/proof.md). */
export function frozenReason(shown: string): string {
  return `refused: ${shown} is a proof test, frozen for this run: it proves an acceptance criterion and only a change to the spec (its gate) may change it. Read it, and make the code pass it`;
}
