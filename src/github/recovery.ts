/**
 * Runs started from GitHub outlive `serve` (issue 39; docs/github.md "When serve restarts"). When
 * serve starts, every link the store still has going (`running`, `waiting`, or completed without
 * its pull request) is looked up in its run's journal:
 * - a run that can go on is resumed (the engine's resumeRun, in its worktree, under the channel's
 *   host): one at its spec gate asks again in the same spec comment, one implementing continues at
 *   its first unfinished step, and it ends as any run of the channel (pushed, a pull request);
 * - a run that completed but was not pushed yet gets its push and its pull request (one already
 *   open for its branch is found, not made twice);
 * - a run that cannot go on (cancelled, rolled back, its worktree gone, never started) has its link
 *   settled, so the issue is free for a new run.
 * Each is said on its issue (a follow-up's on its pull request): a resumed run once per state it
 * was resumed in (at its gate, implementing), however often serve restarts.
 * A job of the GitHub Action does the same for the run its issue's last job left going (killed,
 * its runner lost; issue 48), in the job's checkout (runPlace.ts says where, and in which words).
 */
import type { RunOptions, RunSummary } from '../core/api';
import type { EngineEvent } from '../core/events';
import { engine, rebuildState } from '../core/engineBundle';
import type { GithubClient } from './client';
import { note, specMarker } from './comments';
import type { ParkedAnswer } from './issueConfirmations';
import type { ChannelPlace } from './runPlace';
import type { GithubStore, IssueLink } from './store';

/** What recovery needs of the channel (channel.ts keeps the runs, their gates and their journals). */
export interface RecoveryDoor {
  workspace: string;
  store: GithubStore;
  client: GithubClient;
  /** Where the runs work (serve's worktrees, a job's checkout): whether one can be resumed, and the words of the notes. */
  place: ChannelPlace;
  /** A line of serve's output. */
  log(line: string): void;
  /** The run resumed under the channel's host, ending as the channel ends its runs. */
  resume(link: IssueLink, why: FollowUpWhy): void;
  /** A run whose journal says it completed, ended now as it would have (pushed, its pull request). */
  ended(link: IssueLink, summary: RunSummary, why: FollowUpWhy): Promise<void>;
  /** A follow-up settled unfinished: its worktree removed, its work kept on a branch (followUps.ts); what to say of it. */
  putAway(link: IssueLink): Promise<string>;
}

/** What a follow-up was started for (followUps.ts says its result accordingly); undefined for a run from an issue. */
export type FollowUpWhy = 'ci' | 'change' | undefined;

type Verdict =
  | { kind: 'resume'; why: FollowUpWhy; waiting: boolean }
  | { kind: 'ended'; summary: RunSummary; why: FollowUpWhy }
  | { kind: 'settle'; status: IssueLink['status']; why: string };

/** Every link serve left going, taken up again or settled; failures are said, never thrown at serve. */
export async function recoverRuns(door: RecoveryDoor): Promise<void> {
  // A pooled run lives in the pool's database, not here: pooledIssues.ts follows it again. A parked
  // one (saved at its gate, set aside on a confirmation) waits for its decision or answer, which continues it.
  const going = door.store
    .links()
    .filter(
      (link) =>
        !link.pooled &&
        !link.parked &&
        !link.confirmation?.parked &&
        (link.status === 'running' ||
          link.status === 'waiting' ||
          (link.status === 'completed' && !link.of && !link.pull)),
    );
  for (const link of going) {
    try {
      await recoverOne(door, link);
    } catch (error) {
      door.log(`github: run ${link.runId} of issue #${link.issue} could not be recovered: ${(error as Error).message}`);
    }
  }
}

async function recoverOne(door: RecoveryDoor, link: IssueLink): Promise<void> {
  // Where the run is discussed (a follow-up's pull request, else the issue). GitHub unreachable just
  // now: the run goes on all the same, unsaid.
  const say = (text: string) =>
    door.client.comment(link.pull?.number ?? link.issue, note(link.runId, text)).then(
      () => true,
      (error: unknown) => {
        door.log(
          `github: run ${link.runId}: the note on issue #${link.issue} was not posted: ${(error as Error).message}`,
        );
        return false;
      },
    );
  const verdict = await judge(door, link);
  const { went, resumed, now } = door.place.stopped;
  delete link.paused;
  if (verdict.kind === 'settle') {
    link.status = verdict.status;
    door.store.put(link);
    door.log(`github: run ${link.runId} of issue #${link.issue} is ${verdict.status}: ${verdict.why}`);
    const kept = link.of ? await door.putAway(link) : '';
    await say(
      `Run ${link.runId} was going when ${went} and cannot be resumed: ${verdict.why}. ${link.of ? `Nothing more was pushed.${kept}` : 'Start a new run with `/orchestrator feature` (or `bugfix`).'}`,
    );
    return;
  }
  if (verdict.kind === 'ended') {
    link.status = 'running';
    door.store.put(link);
    door.log(`github: run ${link.runId} of issue #${link.issue} completed before ${went}: its result is pushed now`);
    await say(`Run ${link.runId} completed before ${went}; its result is pushed ${now}.`);
    await door.ended(link, verdict.summary, verdict.why);
    return;
  }
  door.log(`github: run ${link.runId} of issue #${link.issue} resumes after ${resumed}`);
  // Said once per run and state (remembered once GitHub took it): serve restarting in a loop does
  // not repeat it; a run resumed again in another state (approved since, say) is told anew.
  const state = `${link.runId}:${verdict.waiting ? (link.confirmation ? 'confirming' : 'waiting') : 'running'}`;
  if (
    link.resumeSaid !== state &&
    (await say(
      !verdict.waiting
        ? `Run ${link.runId} was resumed after ${resumed}: it continues at its first unfinished step.`
        : link.confirmation
          ? `Run ${link.runId} was resumed after ${resumed}: its confirmation waits again${link.confirmation.commentUrl ? ` (${link.confirmation.commentUrl})` : ''}. An answer given while serve was down was not received: answer \`/allow\` or \`/deny\` again (or redeliver it from the webhook's Recent Deliveries).`
          : `Run ${link.runId} was resumed after ${resumed}: its spec waits for approval again in the spec comment${link.specCommentUrl ? ` (${link.specCommentUrl})` : ''}. A decision made while serve was down was not received: answer again there (or redeliver it from the webhook's Recent Deliveries).`,
    ))
  ) {
    link.resumeSaid = state;
    door.store.put(link);
  }
  // After the note: our own login is known from it.
  await findSpecComment(door, link);
  door.resume(link, verdict.why);
}

/**
 * The spec comment serve posted but did not remember (it stopped between GitHub's answer and the
 * store's write): found by its marker among our comments, so the gate edits it instead of posting a second.
 */
async function findSpecComment(door: RecoveryDoor, link: IssueLink): Promise<void> {
  if (link.specId === undefined || link.specCommentId !== undefined) return;
  const found = await door.client.ownComment(link.issue, specMarker(link.specId)).catch(() => undefined);
  if (!found) return;
  link.specCommentId = found.id;
  link.specCommentUrl = found.url;
  door.store.put(link);
}

/** What the run's journal says can be done with it. */
async function judge(door: RecoveryDoor, link: IssueLink): Promise<Verdict> {
  const lines = await engine.runEvents(door.workspace, link.runId, 'journal').catch(() => []);
  if (lines.length === 0)
    return { kind: 'settle', status: 'failed', why: 'it had not started yet (it has no journal)' };
  const events = lines.map((line) => JSON.parse(line) as EngineEvent & { seq: number });
  const state = rebuildState(events as never);
  const why = followUpWhy(link, events);
  if (state.status === 'completed') {
    const completed = events.filter((e) => e.type === 'run.completed').at(-1) as { summary?: RunSummary } | undefined;
    if (!completed?.summary) return { kind: 'settle', status: 'failed', why: 'its journal ends without its summary' };
    return { kind: 'ended', summary: completed.summary, why };
  }
  if (state.status === 'cancelled' && !link.paused)
    return { kind: 'settle', status: 'cancelled', why: 'it was cancelled' };
  // It ended (its limits, its budget) before serve could say so: said now, not run again.
  if (state.status === 'stopped' && !link.paused) {
    const stopped = events.filter((e) => e.type === 'run.stopped').at(-1) as { reason?: string } | undefined;
    return {
      kind: 'settle',
      status: 'stopped',
      why: `it had stopped on its own (${stopped?.reason?.slice(0, 200) ?? 'see `orchestrator events`'})`,
    };
  }
  if (state.status === 'rolled-back') return { kind: 'settle', status: 'stopped', why: 'it was rolled back' };
  // Saved at its gate, then decided (a parked run, runPlace.ts): continued with that decision.
  if (state.status === 'spec-saved' && state.waitingGate === undefined && !link.decided)
    return { kind: 'settle', status: 'stopped', why: 'its spec was saved for later' };
  const cannot = door.place.unresumable(state);
  // A worktree gone or never made is a failure; one applied, branched or discarded is an end.
  if (cannot)
    return {
      kind: 'settle',
      status: state.worktree && state.worktree.outcome !== 'pending' ? 'stopped' : 'failed',
      why: cannot,
    };
  return { kind: 'resume', why, waiting: link.status === 'waiting' };
}

/**
 * A run resumed here: from its journal, or, parked and decided but stopped before it journaled the
 * decision, continued with it; a parked question's answer continues it through the engine's one verb.
 */
export async function goOn(
  workspace: string,
  link: IssueLink,
  options: RunOptions,
  answer?: ParkedAnswer,
): Promise<RunSummary> {
  if (answer) {
    const { questionId, allowed, by } = answer;
    return engine.answerQuestion(link.runId, questionId, { answer: allowed ? 'yes' : 'no', by }, options);
  }
  const { decided, specId } = link;
  const saved =
    decided && specId
      ? rebuildState(
          (await engine.runEvents(workspace, link.runId, 'journal')).map((line) => JSON.parse(line)) as never,
        ).status === 'spec-saved'
      : false;
  if (!saved || !decided || !specId) return engine.resumeRun(link.runId, options);
  return decided.action === 'changes'
    ? engine.reviseSavedRun(link.runId, { specId, feedback: decided.feedback, by: decided.by }, options)
    : engine.continueApprovedRun(link.runId, specId, options);
}

/** What a follow-up was started for, by its journal's `followup.started`; undefined for a run from an issue. */
export function followUpWhy(link: IssueLink, events: readonly { type: string }[]): FollowUpWhy {
  if (!link.of) return undefined;
  const started = events.find((e) => e.type === 'followup.started') as { fix?: unknown } | undefined;
  return started?.fix ? 'ci' : 'change';
}
