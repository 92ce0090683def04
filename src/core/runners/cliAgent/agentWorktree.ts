/**
 * A CLI agent's own git worktree of the run's state (issue 22's machinery): made outside the
 * checkout, in this repository's worktree folder, from a snapshot of the run's workspace as it
 * is now (uncommitted changes and other layers' finished work included) from which every file
 * the privacy rules deny is taken out, tracked or not, so a secret cannot be read: it is not
 * there. The run's journals never go in. The same path serves every attempt of the agent in
 * the run (its session history holds absolute paths); each attempt starts from a fresh snapshot.
 * Its git directory is its own (agentRepo.ts), never the user's `.git`.
 */
import { existsSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import {
  agentGitDir,
  agentHead,
  checkOutSnapshot,
  commitTree,
  hasAgentRepo,
  linkFolders,
  locateRepo,
  makeAgentRepo,
  pruneWorktrees,
  removeWorktree,
  repoWorktreeFolder,
  writeWorktreeTree,
} from '../../git';
import { DenyList, type OrchestratorConfig } from '../../project/config';

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
  /** The agent's own git directory (agentRepo.ts): every git call on the worktree names it. */
  gitDir: string;
  deny: DenyList;
}

export interface AgentPlace {
  home: string;
  runWorkspace: string;
  runId: string;
  agent: string;
  config: OrchestratorConfig;
  /**
   * The CLI's own project configuration (Gemini's `.gemini/`), kept out of the worktree like a
   * denied file, so a project's settings, hooks or MCP servers cannot loosen the runner's controls.
   */
  hidden?: readonly string[];
}

/**
 * What an earlier attempt left in the worktree (its process was killed before it stopped),
 * handed to `take` before the worktree is brought to the run's state: the session about to be
 * resumed remembers that work.
 */
export type Leftovers = (left: AgentWorktree) => Promise<void>;

/** The deny list an agent's worktree honours: the config's and the built-in one, the journals, and what its CLI must not find. */
export const agentDenyList = (config: OrchestratorConfig, hidden: readonly string[] = []): DenyList =>
  new DenyList([...config.privacy.deny, RUNS_FOLDER, ...hidden]);

/**
 * This repository's folder of agent worktrees, beside (not inside) its folder of run worktrees,
 * so `gc` of run worktrees never takes an agent's: `<root>/agents/<repo>-<hash>`.
 */
async function agentsFolder(home: string, config: OrchestratorConfig): Promise<string> {
  const { topLevel } = await locateRepo(home);
  const runs = repoWorktreeFolder(topLevel, config.worktree.dir);
  return join(dirname(runs), 'agents', basename(runs));
}

/** Where the agent's worktree lives: `<agents folder>/<runId>/<agent>`. */
export async function agentWorktreePath(
  place: Pick<AgentPlace, 'home' | 'runId' | 'agent' | 'config'>,
): Promise<string> {
  return join(await agentsFolder(place.home, place.config), place.runId, place.agent);
}

/**
 * Makes the agent's worktree, or brings an existing one to the run's state now: a fresh
 * snapshot (without denied files) checked out, anything else in it cleaned away, the
 * `worktree.link` folders linked again.
 */
export async function prepareAgentWorktree(place: AgentPlace, leftovers?: Leftovers): Promise<AgentWorktree> {
  const deny = agentDenyList(place.config, place.hidden);
  const runRepo = await locateRepo(place.runWorkspace);
  const prefix = relative(runRepo.topLevel, place.runWorkspace).split('\\').join('/');
  const root = await agentWorktreePath(place);
  const workspace = prefix ? join(root, prefix) : root;
  const gitDir = agentGitDir(root);
  if (hasAgentRepo(root)) {
    // A killed run's agent may still be going there (it runs detached): it ends now.
    endProcessesIn(root);
    if (leftovers) {
      const head = await agentHead(root);
      await leftovers({ root, workspace, runWorkspace: place.runWorkspace, prefix, base: head, gitDir, deny });
    }
  } else if (existsSync(root)) {
    // A worktree of the user's repository, made by an older version: it goes, its record in the user's .git too.
    endProcessesIn(root);
    await removeWorktree((await locateRepo(place.home)).topLevel, root, join(root, '..'));
  }
  // The agent's repository is made while the snapshot is written: neither needs the other.
  const snapshot = async () => {
    const tree = await writeWorktreeTree(runRepo, deny);
    return commitTree(runRepo.topLevel, tree, `Orchestrator: ${place.agent}'s worktree for run ${place.runId}`);
  };
  const [base, made] = await Promise.all([snapshot(), makeAgentRepo(root)]);
  await checkOutSnapshot(root, runRepo.topLevel, base, made);
  linkFolders(place.home, workspace, place.config.worktree.link);
  return { root, workspace, runWorkspace: place.runWorkspace, prefix, base, gitDir, deny };
}

/**
 * Ends every process working inside `folder` (Linux: read from /proc; elsewhere the process
 * groups the run ended itself are all there is). Only processes whose working directory is in
 * the agent's own worktree are touched.
 */
export function endProcessesIn(folder: string): void {
  if (process.platform !== 'linux') return;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cwd = readlinkSync(`/proc/${entry}/cwd`);
      if (cwd === folder || cwd.startsWith(`${folder}/`)) process.kill(Number(entry), 'SIGKILL');
    } catch {
      // gone, or not ours
    }
  }
}

/** Removes a finished run's agent worktrees, their repositories and homes (their sessions have nothing left to resume). */
export async function removeAgentWorktrees(home: string, config: OrchestratorConfig, runId: string): Promise<void> {
  const { topLevel } = await locateRepo(home);
  const folder = join(await agentsFolder(home, config), runId);
  if (!existsSync(folder)) return;
  rmSync(folder, { recursive: true, force: true });
  // An older version's agent worktree was registered in the user's repository: its record goes too.
  await pruneWorktrees(topLevel);
}
