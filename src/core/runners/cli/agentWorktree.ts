/**
 * A CLI agent's own git worktree of the run's state (issue 22's machinery): made outside the
 * checkout, in this repository's worktree folder, from a snapshot of the run's workspace as it
 * is now (uncommitted changes and other layers' finished work included) from which every file
 * the privacy rules deny is taken out, tracked or not, so a secret cannot be read: it is not
 * there. The run's journals never go in. The same path serves every attempt of the agent in
 * the run (its session history holds absolute paths); each attempt starts from a fresh snapshot.
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CHECKPOINT_IDENTITY, gitAt, worktreeGit } from '../../git/gitRunner';
import { addWorktree, linkFolders, removeWorktree, repoWorktreeFolder } from '../../git/worktrees';
import { locateRepo, writeWorktreeTree } from '../../git/worktreeTree';
import { DenyList } from '../../project/config/privacy';
import type { OrchestratorConfig } from '../../project/config/configSchema';

/** The journal's own folder (pipeline/run/worktreeRun.ts RUNS_FOLDER): never in an agent's worktree. */
const RUNS_FOLDER = '.claude/runs';

export interface AgentWorktree {
  /** The worktree's root. */
  root: string;
  /** Where the agent works: the run's workspace folder inside it. */
  workspace: string;
  /** The run's workspace (where accepted changes go back). */
  runWorkspace: string;
  /** The workspace's path inside the repository ('' at its top), to map git paths to workspace paths. */
  prefix: string;
  /** The commit the attempt started from (the worktree's HEAD). */
  base: string;
  deny: DenyList;
}

export interface AgentPlace {
  home: string;
  runWorkspace: string;
  runId: string;
  agent: string;
  config: OrchestratorConfig;
}

/** The deny list an agent's worktree honours: the config's and the built-in one, plus the journals. */
export const agentDenyList = (config: OrchestratorConfig): DenyList => new DenyList([...config.privacy.deny, RUNS_FOLDER]);

/** Where the agent's worktree lives: `<repo worktree folder>/<runId>.agents/<agent>`. */
export async function agentWorktreePath(place: Pick<AgentPlace, 'home' | 'runId' | 'agent' | 'config'>): Promise<string> {
  const { topLevel } = await locateRepo(place.home);
  return join(repoWorktreeFolder(topLevel, place.config.worktree.dir), `${place.runId}.agents`, place.agent);
}

/**
 * Makes the agent's worktree, or brings an existing one to the run's state now: a fresh
 * snapshot (without denied files) checked out, anything else in it cleaned away, the
 * `worktree.link` folders linked again.
 */
export async function prepareAgentWorktree(place: AgentPlace): Promise<AgentWorktree> {
  const deny = agentDenyList(place.config);
  const runRepo = await locateRepo(place.runWorkspace);
  const prefix = relative(runRepo.topLevel, place.runWorkspace).split('\\').join('/');
  const tree = await writeWorktreeTree(runRepo, deny);
  const base = (await gitAt(runRepo.topLevel, CHECKPOINT_IDENTITY).raw(['commit-tree', tree, '--no-gpg-sign', '-m', `Orchestrator: ${place.agent}'s worktree for run ${place.runId}`])).trim();
  const root = await agentWorktreePath(place);
  const { topLevel } = await locateRepo(place.home);
  if (existsSync(join(root, '.git'))) {
    const git = await worktreeGit(root);
    await git.raw(['checkout', '--quiet', '--force', '--detach', base]);
    await git.raw(['clean', '-d', '--force', '--quiet']);
  } else {
    if (existsSync(root)) await removeWorktree(topLevel, root, join(root, '..'));
    await addWorktree(topLevel, root, base);
  }
  const workspace = prefix ? join(root, prefix) : root;
  linkFolders(place.home, workspace, place.config.worktree.link);
  return { root, workspace, runWorkspace: place.runWorkspace, prefix, base, deny };
}

/** Removes the run's agent worktrees (the run is over: applied, discarded, rolled back or collected). */
export async function removeAgentWorktrees(home: string, config: OrchestratorConfig, runId: string, agents: readonly string[]): Promise<void> {
  const { topLevel } = await locateRepo(home);
  const folder = join(repoWorktreeFolder(topLevel, config.worktree.dir), `${runId}.agents`);
  for (const agent of agents) await removeWorktree(topLevel, join(folder, agent), folder);
}
