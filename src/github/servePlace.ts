/**
 * `serve`'s place for the runs of the GitHub channel (runPlace.ts): each run has a worktree of the
 * served checkout, made from its committed HEAD (never the checkout's uncommitted files); a parked
 * run is continued by its answer in this serve or a restarted one. A completed run is branched from its worktree; a follow-up that ended
 * unfinished keeps what it wrote on a local branch of the served repository.
 */
import { existsSync } from 'node:fs';
import type { EngineEvent } from '../core/events';
import { engine } from '../core/engineBundle';
import type { ChannelPlace } from './runPlace';

const short = (sha: string) => sha.slice(0, 7);

export const SERVE_PLACE: ChannelPlace = {
  kind: 'worktree',
  // Parked as the Action's job parks: a change's amendment saved at its gate waits for its decision (amendment.ts).
  options: { amendmentsWait: true },
  fresh: { isolation: 'worktree', baseCommit: 'HEAD' },
  stopped: {
    went: 'serve stopped',
    resumed: 'serve restarted',
    now: 'now that serve runs again',
    closed: 'stopped with serve; it resumes when serve starts again',
    askAgain: '',
  },
  kept: keptBranch,
  followUp: async (_workspace, input) => input,
  async putAway(workspace, link) {
    const { branch, commit } = await engine.shelveWorktreeRun(
      workspace,
      link.runId,
      `${link.branch ?? 'orchestrator/follow-up'}-unfinished-${link.runId}`,
    );
    return branch && commit
      ? ` Its unfinished work (not validated) is kept on the local branch \`${branch}\` (${short(commit)}) of the served repository, not pushed; \`git branch -D ${branch}\` drops it.`
      : ' Its worktree was removed (it had changed nothing).';
  },
  unresumable(state) {
    // Never resumed in the served checkout: a run from GitHub works in its worktree or not at all.
    if (!state.worktree) return 'it stopped before its worktree was made';
    if (state.worktree.outcome !== 'pending') return `its worktree was ${state.worktree.outcome}`;
    if (!existsSync(state.worktree.path)) return 'its worktree is gone';
    return undefined;
  },
};

/**
 * The branch a completed worktree run is kept on: made now, or the one it was already kept on
 * (serve stopped between keeping it and opening the pull request: it is not made twice).
 */
async function keptBranch(
  workspace: string,
  runId: string,
  name?: string,
): Promise<{ branch: string; commit: string }> {
  const lines = await engine.runEvents(workspace, runId, 'journal');
  const branched = lines
    .map((line) => JSON.parse(line) as EngineEvent)
    .filter((e) => e.type === 'worktree.branched')
    .at(-1) as { branch: string; commit: string } | undefined;
  return branched ? { branch: branched.branch, commit: branched.commit } : engine.branchRun(workspace, runId, name);
}
