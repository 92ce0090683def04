/**
 * Where the channel's runs work (the engine's RunPlace, of kind `worktree` or `action-job`, issue 48).
 * The channel's decisions (who may, what an event means, what is said and journaled) are the same
 * either way, and so is how a run waits for an answer (issue 72): its gate or confirmation *parks*
 * it (the question kept on its link), and the answer continues it through engine.answerQuestion.
 * Only this differs:
 * - `serve` (servePlace.ts): each run has a worktree of the served checkout; the answer continues it
 *   in this serve or a restarted one;
 * - a job of the GitHub Action (action/jobPlace.ts): the run works in place in the job's checkout;
 *   the job ends once the run parks, and the answer continues it in a later job.
 */
import type { RunOptions } from '../core/api';
import type { RunPlaceKind } from '../core/pipeline/run';
import type { FollowUpInput } from '../core/engineBundle';
import type { EngineEvent } from '../core/events';
import type { IssueLink } from './store';

/** What the engine's journal says of a run (rebuildState), as much as a place judges it by. */
export interface RunStateSeen {
  worktree?: { path: string; outcome: string };
}

/** The channel's side of a place where its runs work: what a host decides there. */
export interface ChannelPlace {
  /** Which of the engine's places (core/pipeline/run/runPlace.ts) the runs work in: serve's worktrees, a job's checkout. */
  readonly kind: Extract<RunPlaceKind, 'worktree' | 'action-job'>;
  /** Options of every run the channel starts, continues or resumes here. */
  readonly options: Partial<RunOptions>;
  /** Options of a new run from an issue, on top of those (serve: its own worktree from the committed HEAD). */
  readonly fresh: Partial<RunOptions>;
  /** Words of the notes on a run resumed after the process that ran it stopped ("serve stopped"), and of one stopped as it closes. */
  /** `askAgain`: how a run stopped with its question unanswered asks again, if it can. */
  readonly stopped: { went: string; resumed: string; now: string; closed: string; askAgain: string };
  /** A completed run's result as a commit on a branch: `branch` the one it continues (a follow-up's), else a new one. */
  kept(workspace: string, runId: string, branch?: string): Promise<{ branch: string; commit: string }>;
  /** A follow-up's input once this place is ready to run it (a job: its checkout moved to the base). */
  followUp(workspace: string, input: FollowUpInput): Promise<FollowUpInput>;
  /** A follow-up that ended unfinished, put away (it is never resumed); what to say of it. */
  putAway(workspace: string, link: IssueLink): Promise<string>;
  /** Why a run going when its process stopped cannot be resumed here; undefined when it can. */
  unresumable(state: RunStateSeen): string | undefined;
  /** Every engine event of a run of the channel here (a job: its log lines, its state pushed between steps). */
  heard?(runId: string, event: EngineEvent): void;
  /** Before a run starts or goes on here (a job: the runner's sandbox readied); a throw fails the run with that reason. */
  ready?(): Promise<void>;
  /** A line the spec comment adds under its status (a job: the budget's cap across jobs, and what was spent). */
  budget?(): string;
}
