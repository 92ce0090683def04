/**
 * What a CLI agent changed in its worktree, judged against its layer's `owns` after it stops:
 * changes inside its globs (and not protected, installed or denied) come back to the run's
 * workspace, journaled as file.written / file.deleted like our own agent's writes; every other
 * change is reverted in the worktree and listed, so the agent is told what was refused.
 */
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import picomatch from 'picomatch';
import { writeFileAtomic } from '../../agents';
import { isInstalledCode, protectedGlobOf } from '../../project/config';
import type { EventSink } from '../../events';
import { agentRepo, agentRestore, agentTreeChanges, writeWorktreeTree } from '../../git';
import type { AgentWorktree } from './agentWorktree';

export interface AgentChange {
  /** Workspace-relative (undefined: outside the run's workspace folder). */
  path: string | undefined;
  /** Relative to the worktree's root, as git names it. */
  gitPath: string;
  status: 'added' | 'modified' | 'deleted';
}

export interface RefusedChange {
  path: string;
  reason: string;
}

/** Every change in the worktree since the attempt's start (denied files are never looked at). */
export async function changesOf(wt: AgentWorktree): Promise<AgentChange[]> {
  const tree = await writeWorktreeTree(agentRepo(wt.root), wt.deny);
  const changes: AgentChange[] = [];
  for (const { status: letter, path: gitPath } of await agentTreeChanges(wt.root, wt.base, tree)) {
    const status = letter.startsWith('A') ? 'added' : letter.startsWith('D') ? 'deleted' : 'modified';
    const path = !wt.prefix
      ? gitPath
      : gitPath.startsWith(`${wt.prefix}/`)
        ? gitPath.slice(wt.prefix.length + 1)
        : undefined;
    changes.push({ path, gitPath, status });
  }
  return changes;
}

/** Splits changes into those the layer may make and those refused, with the reason for each. */
export function judgeChanges(
  changes: readonly AgentChange[],
  owns: readonly string[],
  frozen: readonly string[] = [],
): { accepted: AgentChange[]; refused: (AgentChange & { reason: string })[] } {
  const owned = owns.length > 0 ? picomatch([...owns], { dot: true }) : () => false;
  const isFrozen = frozen.length > 0 ? picomatch([...frozen], { dot: true }) : () => false;
  const accepted: AgentChange[] = [];
  const refused: (AgentChange & { reason: string })[] = [];
  for (const change of changes) {
    const reason =
      refusal(change, owned, owns) ??
      (isFrozen(change.path!)
        ? 'a proof test, frozen for this run: only a change to the spec may change it; make the code pass it'
        : undefined);
    if (reason) refused.push({ ...change, reason });
    else accepted.push(change);
  }
  return { accepted, refused };
}

function refusal(change: AgentChange, owned: (path: string) => boolean, owns: readonly string[]): string | undefined {
  if (change.path === undefined) return 'outside the workspace';
  const guarded = protectedGlobOf(change.path);
  if (guarded) return `a protected path (${guarded}): no agent writes it`;
  if (isInstalledCode(change.path)) return 'installed packages (node_modules): no agent writes them';
  if (owns.length === 0) return 'you work read-only here: no file may change';
  if (!owned(change.path)) return `outside your layer's files (owns: ${owns.join(', ')})`;
  return undefined;
}

/** Puts refused changes back as they were at the attempt's start, in the worktree only. */
export async function revertChanges(wt: AgentWorktree, refused: readonly AgentChange[]): Promise<void> {
  const existed = refused.filter((c) => c.status !== 'added').map((c) => c.gitPath);
  await agentRestore(wt.root, wt.base, existed);
  for (const change of refused.filter((c) => c.status === 'added'))
    await rm(join(wt.root, change.gitPath), { force: true });
}

/**
 * Copies accepted changes into the run's workspace (each file whole, written atomically, or
 * deleted) and journals them as the agent's writes. Returns what was written, created, deleted.
 */
export async function bringBack(
  wt: AgentWorktree,
  accepted: readonly AgentChange[],
  agent: string,
  emit: EventSink,
): Promise<{ written: string[]; created: string[]; deleted: string[] }> {
  const written: string[] = [];
  const created: string[] = [];
  const deleted: string[] = [];
  for (const change of accepted) {
    const path = change.path!;
    const target = join(wt.runWorkspace, path);
    if (change.status === 'deleted') {
      const before = await readFile(target, 'utf8').catch(() => undefined);
      await rm(target, { force: true });
      deleted.push(path);
      emit({ type: 'file.deleted', agent, path, lines: before === undefined ? 0 : before.split('\n').length });
      continue;
    }
    const content = await readFile(join(wt.workspace, path));
    const existed = await stat(target).then(
      () => true,
      () => false,
    );
    await writeFileAtomic(target, content);
    (existed ? written : created).push(path);
    emit({ type: 'file.written', agent, path, created: !existed, bytes: content.length });
  }
  return { written, created, deleted };
}
