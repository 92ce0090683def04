import { lstat, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import picomatch from 'picomatch';
import { checkPathSyntax, isGitSegment, quotePath } from './pathSyntax';

export type GuardVerdict =
  | { ok: true; /** normalized workspace-relative posix path ('' = root) */ rel: string; /** absolute path to operate on */ abs: string }
  | { ok: false; reason: string };

/**
 * Decides whether a model-supplied path may be read or changed. The checks are layered:
 * syntax (absolute, `..`, NUL, `.git`), then the real file system (symlinks must not lead
 * outside the workspace or into `.git`), then — for changes — the agent's `owns` globs.
 * Callers must operate on `abs`, the normalized path that was actually checked.
 */
export class WorkspaceGuard {
  private readonly ownsMatcher: ((path: string) => boolean) | undefined;

  private constructor(
    /** The workspace root with symlinks resolved, so containment compares like with like. */
    readonly root: string,
    readonly owns: readonly string[],
  ) {
    this.ownsMatcher = owns.length > 0 ? picomatch([...owns], { dot: true }) : undefined;
  }

  static async create(workspace: string, owns: readonly string[]): Promise<WorkspaceGuard> {
    return new WorkspaceGuard(await realpath(workspace), owns);
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
    return { ok: true, rel: syntax.rel, abs };
  }

  /** May the agent create, overwrite, edit or delete this path? */
  async checkWrite(raw: unknown): Promise<GuardVerdict> {
    const syntax = checkPathSyntax(raw);
    if (!syntax.ok) return syntax;
    const shown = quotePath(raw as string);
    if (!this.ownsMatcher) return { ok: false, reason: `refused: this agent is read-only and may not change ${shown}` };
    if (syntax.rel === '') return { ok: false, reason: 'refused: the workspace root is not a file' };
    if (!this.ownsMatcher(syntax.rel)) {
      return { ok: false, reason: `refused: ${shown} is outside this agent's owned paths (${this.owns.join(', ')})` };
    }
    const abs = join(this.root, syntax.rel);
    const real = await this.realRelative(abs, raw as string);
    if (!real.ok) return real;
    // A symlink inside the owned area must not redirect a change into another agent's files.
    if (real.rel !== syntax.rel && !this.ownsMatcher(real.rel)) {
      return { ok: false, reason: `refused: ${shown} resolves through a symlink to ${quotePath(real.rel)}, outside this agent's owned paths` };
    }
    return { ok: true, rel: syntax.rel, abs };
  }

  /**
   * Where `abs` really lives, relative to the root: the realpath of its nearest existing
   * ancestor (itself when it exists) plus the segments that do not exist yet.
   */
  private async realRelative(abs: string, raw: string): Promise<{ ok: true; rel: string } | { ok: false; reason: string }> {
    const shown = quotePath(raw);
    const missing: string[] = [];
    let probe = abs;
    for (;;) {
      const exists = await lstat(probe).then(() => true, (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return false;
        throw error;
      });
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
