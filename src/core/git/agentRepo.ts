/**
 * A CLI agent's own git repository (issue 36, part 3). Its git directory lives beside its
 * worktree (`<worktree>.git`), never inside the user's `.git`: it holds only the snapshots the
 * agent works from, copied in as a pack from the run's repository (no history, no denied file),
 * so hooks, `core.fsmonitor` or `core.sshCommand` written there by the agent's shell never reach
 * the user's checkout, and the user's history is not there to read. The worktree's `.git` file
 * points at it for the agent's own git; the orchestrator's calls never read that file: each one
 * names the git directory and the work tree outright (an agent could point `.git` anywhere).
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type Git, gitAt, inChunks, worktreeGit } from './gitRunner';
import { treeChanges } from './diff';
import { pinnedGit, type RepoLocation } from './worktreeTree';

/** The agent's git directory: beside its worktree, in the run's folder of agents. */
export const agentGitDir = (root: string): string => `${root}.git`;

/** The agent's repository, named outright (gitDir pinned). */
export function agentRepo(root: string): RepoLocation {
  const gitDir = agentGitDir(root);
  return { topLevel: root, indexFile: join(gitDir, 'index'), gitDir };
}

/** git on the agent's repository (plumbing). */
const agentGit = (root: string): Git => gitAt(root, pinnedGit(agentRepo(root)));

/** git on the agent's repository for calls that read or write its work tree (no filters). */
const agentWorktreeGit = (root: string): Promise<Git> => worktreeGit(root, pinnedGit(agentRepo(root)));

/** Does the agent have its own repository already (not a worktree of the user's)? */
export const hasAgentRepo = (root: string): boolean => existsSync(join(agentGitDir(root), 'HEAD'));

/**
 * Makes the agent's repository when it is not there yet (no template: not even sample hooks).
 * Says whether it was made now and into an empty folder: then there is nothing to clean away.
 */
export async function makeAgentRepo(root: string): Promise<{ fresh: boolean }> {
  if (hasAgentRepo(root)) return { fresh: false };
  const gitDir = agentGitDir(root);
  const empty = !existsSync(root) || readdirSync(root).length === 0;
  mkdirSync(root, { recursive: true });
  rmSync(gitDir, { recursive: true, force: true });
  await gitAt(dirname(root)).raw(['init', '--quiet', '--template=', '--bare', gitDir]);
  await agentGit(root).raw(['config', 'core.bare', 'false']);
  return { fresh: empty };
}

/**
 * Copies in the objects of `commit` the agent's repository lacks (from `source`, the run's
 * repository), checks the commit out (detached, forced: whatever the agent left is replaced),
 * cleans away untracked files and writes the worktree's `.git` file. The repository is made
 * first when it is not there (`made`: makeAgentRepo's answer, when the caller made it already).
 */
export async function checkOutSnapshot(
  root: string,
  source: string,
  commit: string,
  made?: { fresh: boolean },
): Promise<void> {
  const { fresh } = made ?? (await makeAgentRepo(root));
  mkdirSync(root, { recursive: true });
  // Independent: the filter drivers' lookup (worktreeGit) beside the copy.
  const [git] = await Promise.all([agentWorktreeGit(root), copyObjects(root, source, commit, fresh)]);
  await git.raw(['checkout', '--quiet', '--force', '--detach', commit]);
  if (!fresh) await git.raw(['clean', '-d', '--force', '--quiet']);
  const dotGit = join(root, '.git');
  if (existsSync(dotGit) && lstatSync(dotGit).isDirectory()) rmSync(dotGit, { recursive: true, force: true });
  writeFileSync(dotGit, `gitdir: ${agentGitDir(root)}\n`);
}

/** The objects of `commit` the agent's repository does not have: all of them the first time (`fresh`), then what changed since its HEAD. */
async function copyObjects(root: string, source: string, commit: string, fresh: boolean): Promise<void> {
  const git = agentGit(root);
  const head = fresh
    ? ''
    : (await git.raw(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']).catch(() => '')).trim();
  const from = gitAt(source);
  const pack = async (revs: string) => from.bytes(['pack-objects', '--revs', '--stdout', '--quiet'], Buffer.from(revs));
  // The previous snapshot was made in the run's repository too; should it be gone there, everything is copied.
  const bytes = head ? await pack(`${commit}\n^${head}\n`).catch(() => pack(`${commit}\n`)) : await pack(`${commit}\n`);
  await git.bytes(['index-pack', '--stdin'], bytes);
}

/** The commit the agent's worktree has checked out. */
export async function agentHead(root: string): Promise<string> {
  return (await agentGit(root).raw(['rev-parse', '--verify', 'HEAD^{commit}'])).trim();
}

/** Each path changed in the agent's repository from `base` to `tree` (treeChanges, pinned to it). */
export const agentTreeChanges = (root: string, base: string, tree: string) =>
  treeChanges(root, base, tree, pinnedGit(agentRepo(root)));

/** These repository-relative files put back in the agent's worktree as `base` has them. */
export async function agentRestore(root: string, base: string, paths: readonly string[]): Promise<void> {
  const git = await agentWorktreeGit(root);
  for (const chunk of inChunks(paths))
    await git.raw(['checkout', base, '--', ...chunk.map((path) => `:(literal)${path}`)]);
}
