/**
 * What happens on a pull request the channel opened (issue 39 parts 4 and 5), as follow-up runs of
 * the engine (`followUpRun`: a new run from the branch's head with the same approved spec), never a
 * second pipeline:
 * - a check run or a workflow run that fails on the head we pushed (ciFailures.ts): the failing job's log is read
 *   through GitHub's API, trimmed to its tail and masked, and the layer owning the files it names
 *   (else the one whose validate command it shows) is sent back in FIX mode with it as a validation
 *   error; the fix is validated, reviewed, traced, pushed to the same branch (a fast-forward) and
 *   said on the pull request. At most `github.maxCiFixes` per pull request; one head commit is fed
 *   back once whichever events report it; past the limit, one comment says so and nothing more.
 * - a review requesting changes, or `/orchestrator change <what>` on the issue or the pull request,
 *   from a collaborator with write access: a change request (issue 23's path), its amendment at the
 *   same spec gate (the spec comment, /approve, the portal); only the layers it touches run again.
 *   A review's inline comments go into the request with their file and line.
 * Where the follow-up runs is the door's one choice (`launch`): here, or on the pool of workers when
 * the run it continues ran there (pooledIssues.ts dispatches it; its end comes back to `finishPooled`).
 */
import type { RunSummary } from '../core/api';
import type { EngineEvent, GithubEventType } from '../core/events';
import { engine, type FollowUpInput, hostCheckout, newRunId } from '../core/engineBundle';
import type { PoolRun } from '../pool/index';
import { CiFailures, short, successor } from './ciFailures';
import type { GithubClient } from './client';
import { note } from './comments';
import { redactSecrets } from '../core/text/secrets';
import { fetchBranch, pushBranch } from './gitPush';
import { HeldChanges, MAX_HELD_CHARS } from './heldChanges';
import type { ChannelPlace } from './runPlace';
import type { CheckRunPayload, PullRequestReviewPayload, WorkflowRunPayload } from './payloads';
import type { GithubSettings } from './settings';
import type { GithubStore, IssueLink } from './store';

type GithubEvent = Extract<EngineEvent, { type: GithubEventType }>;

/** What the channel lends the follow-ups (channel.ts keeps the runs, their gate and their journals). */
export interface FollowUpDoor {
  workspace: string;
  settings: GithubSettings;
  client: GithubClient;
  store: GithubStore;
  /** Where its runs work (runPlace.ts): a result kept as a branch, an unfinished one put away. */
  place: ChannelPlace;
  /** A line of serve's output. */
  log(line: string): void;
  writer(login: string): Promise<boolean>;
  journal(runId: string, event: GithubEvent): Promise<void>;
  /** Whether a run is going (its agents, its gate), here or on the pool. */
  going(runId: string): boolean;
  /**
   * Starts `next`, a follow-up of `from`: here, as the channel runs its others (`after` once it ended,
   * or failed to start or end, with the error), or on the pool when `from` ran there (its end comes
   * back to `finishPooled`).
   */
  launch(
    next: IssueLink,
    from: IssueLink,
    input: FollowUpInput,
    after: (summary: RunSummary | undefined, error?: unknown) => Promise<void>,
  ): Promise<void>;
  /** A completed pooled run's result commit, brought here from the team's remote (to be pushed with the token). */
  fetchPooled(run: PoolRun): Promise<string>;
  /** A pooled run's journal as the pool mirrored it. */
  pooledEvents(runId: string): Promise<EngineEvent[]>;
}

/** What a follow-up leaves to push: its commit on top of the branch, the layers that worked, and the local branch put back if the push is refused. */
interface FollowUpResult {
  branch: string;
  commit: string;
  layers: string[];
  undo?: () => Promise<void>;
}

/** A change request is a paragraph or a page (the engine's inbox refuses more). */
const MAX_CHANGE_CHARS = MAX_HELD_CHARS;

export class FollowUps {
  private readonly held: HeldChanges;
  /** CI failures fed back as follow-up fixes (ciFailures.ts). */
  private readonly ci: CiFailures;

  constructor(private readonly door: FollowUpDoor) {
    this.held = new HeldChanges({
      store: door.store,
      say: (link, text) => this.onPull(link, text),
      journal: door.journal,
      start: (link, text, who, intro, taken) => this.startChange(link, text, who, intro, taken),
    });
    this.ci = new CiFailures({
      door,
      onPull: (link, text) => this.onPull(link, text),
      branchHead: (link) => this.branchHead(link),
      lastCompleted: (link) => this.lastCompleted(link),
      launch: (next, from, input, why) => this.launch(next, from, input, why),
    });
  }

  /** A failed check run on our pull request (ciFailures.ts). */
  onCheckRun(payload: CheckRunPayload): Promise<void> {
    return this.ci.onCheckRun(payload);
  }

  /** A failed workflow run on our pull request (ciFailures.ts). */
  onWorkflowRun(payload: WorkflowRunPayload): Promise<void> {
    return this.ci.onWorkflowRun(payload);
  }

  async onReview(payload: PullRequestReviewPayload): Promise<void> {
    const { review, pull_request: pull } = payload;
    if (
      payload.action !== 'submitted' ||
      review.state.toLowerCase() !== 'changes_requested' ||
      review.user.login === this.door.client.ownLogin
    )
      return;
    const link = this.door.store.ofPull(pull.number);
    if (!link) return;
    if (!(await this.door.writer(review.user.login))) {
      await this.door.journal(link.runId, {
        type: 'github.decision.refused',
        url: review.html_url,
        by: review.user.login,
        detail: 'review',
      });
      await this.onPull(
        link,
        `@${review.user.login}: only collaborators with write access may request changes of the orchestrator. Nothing was done.`,
      );
      return;
    }
    const inline = await this.door.client.reviewComments(pull.number, review.id);
    const lines = inline.map((c) => `- ${c.path}${c.line ? `:${c.line}` : ''}: ${c.body.trim().replace(/\n+/g, ' ')}`);
    const text = [review.body?.trim(), ...(lines.length > 0 ? ['Review comments on the code:', ...lines] : [])]
      .filter(Boolean)
      .join('\n');
    await this.change(link, text, review.user.login, review.html_url);
  }

  /** A change request from a collaborator with write access (the caller checked): to the run going, or as a follow-up of the pull request. */
  async change(link: IssueLink, request: string, by: string, url: string): Promise<void> {
    const text = request.trim().slice(0, MAX_CHANGE_CHARS);
    if (text === '') {
      await this.onPull(
        link,
        `@${by}: say what to change: \`/orchestrator change <what to change>\`, or a review with comments.`,
      );
      return;
    }
    await this.door.journal(link.runId, {
      type: 'github.change.requested',
      url,
      by,
      detail: text.split('\n')[0]!.slice(0, 200),
    });
    // A worker's engine has no inbox we can reach: held until the run has pushed (heldChanges.ts).
    if (this.door.going(link.runId) && link.pooled) return this.held.hold(link, { text, by, url });
    if (this.door.going(link.runId)) {
      // The run still goes: the request joins its inbox and it picks it up between its steps.
      const answer = await engine
        .requestChange(link.runId, text, { workspace: this.door.workspace }, { resume: false })
        .then(
          () => `the change is queued for run ${link.runId}: its amendment will wait for approval in the spec comment.`,
          (error: unknown) => (error as Error).message,
        );
      await this.onPull(link, `@${by}: ${answer}`);
      return;
    }
    await this.startChange(link, text, `@${by}`, `Change requested by @${by}`);
  }

  /**
   * A change request to a run that ended, as a follow-up of its pull request (`who`: "@alice"); the
   * follow-up's link, or undefined when none started (said). `taken` is called just before the
   * follow-up's link is stored (heldChanges.ts: the requests leave the store in that same write).
   */
  private async startChange(
    link: IssueLink,
    text: string,
    who: string,
    intro: string,
    taken?: () => void,
  ): Promise<IssueLink | undefined> {
    const from = this.lastCompleted(link);
    if (!from || !link.pull || !link.branch) {
      await this.onPull(
        link,
        `${who}: run ${link.runId} is ${link.status} and opened no pull request: there is nothing to change.`,
      );
      return undefined;
    }
    // From the branch as it is now: a person's commits on it are built on, never pushed over.
    const base = await this.branchHead(link);
    const next: IssueLink = {
      ...successor(link),
      runId: newRunId(),
      of: from.runId,
      status: 'running',
      pull: { ...link.pull, headSha: base },
    };
    taken?.();
    if (!(await this.launch(next, from, { base, change: text }, 'change'))) return undefined;
    await this.onPull(
      next,
      `${intro}: the spec agent amends the spec, and the amendment waits for approval in the spec comment${link.specCommentUrl ? ` (${link.specCommentUrl})` : ''}: \`/approve\`, \`/changes <what>\` or \`/cancel\` there. Only the layers it touches run again (run ${next.runId}).`,
    );
    return next;
  }

  /** The change requests held while a pooled run went, started or dropped now that it ended (pooledIssues.ts tells). */
  releaseHeld(link: IssueLink): Promise<void> {
    return this.held.release(link);
  }

  /**
   * The pull request's head as GitHub has it now, fetched into the local branch (a collaborator may
   * have pushed to it): a follow-up starts from it, so its push is a fast-forward over their commits.
   * GitHub unreachable: the head we pushed.
   */
  private async branchHead(link: IssueLink): Promise<string> {
    const { client, workspace } = this.door;
    if (!link.branch) return link.pull!.headSha;
    try {
      return await fetchBranch(workspace, link.branch, await client.pushToken(), await client.defaultBranch());
    } catch (error) {
      this.door.log(
        `github: ${link.branch} could not be fetched (${await this.masked(error)}); the head pushed last (${short(link.pull!.headSha)}) is used`,
      );
      return link.pull!.headSha;
    }
  }

  /**
   * The run whose result is the pull request's head: the newest of its runs that completed (a
   * follow-up that stopped or failed pushed nothing; the next one starts where it started).
   */
  private lastCompleted(link: IssueLink): IssueLink | undefined {
    return this.door.store
      .links()
      .filter(
        (l) => l.issue === link.issue && l.pull?.number === link.pull?.number && l.status === 'completed' && l.branch,
      )
      .at(-1);
  }

  /** Starts the follow-up here or on the pool (the door's choice); false when it could not start (said on the pull request). */
  private async launch(next: IssueLink, from: IssueLink, input: FollowUpInput, why: 'ci' | 'change'): Promise<boolean> {
    try {
      await this.door.launch(next, from, input, (summary, error) => this.finish(next, summary, error, why));
      return true;
    } catch (error) {
      next.status = 'failed';
      this.door.store.put(next);
      await this.onPull(
        next,
        `Run ${next.runId} could not be started${from.pooled ? ' on the pool' : ''}: ${await this.masked(error)}. Nothing was run.`,
      );
      return false;
    }
  }

  /** The follow-up's result on the branch, pushed (never forced: a fast-forward of our own branch) and said on the pull request (also after a restart, recovery.ts). */
  async finish(link: IssueLink, summary: RunSummary | undefined, error: unknown, why: 'ci' | 'change'): Promise<void> {
    const kept = async (): Promise<FollowUpResult> => {
      const { branch, commit } = await this.door.place.kept(this.door.workspace, link.runId, link.branch);
      const events = (await engine.runEvents(this.door.workspace, link.runId, 'journal')).map(
        (line) => JSON.parse(line) as EngineEvent,
      );
      // Not on GitHub (the branch moved there, say): the local branch goes back to the pull request's head.
      const undo = async () =>
        void (await hostCheckout
          .moveRef(this.door.workspace, `refs/heads/${branch}`, link.pull!.headSha, commit)
          .catch(() => {}));
      return { branch, commit, layers: layersThatWorked(events), undo };
    };
    await this.ended(
      link,
      why,
      summary?.status === 'completed'
        ? kept
        : summary
          ? `ended ${summary.status}${summary.error ? `: ${summary.error}` : ''}`
          : `failed: ${await this.masked(error)}`,
      summary ? 'stopped' : 'failed',
    );
  }

  /** A follow-up that ran on the pool ended (pooledIssues.ts follows it): its result pushed and said as for one run here. */
  async finishPooled(link: IssueLink, run: PoolRun): Promise<void> {
    const why = run.flags.followUp?.fix ? 'ci' : 'change';
    const result = async (): Promise<FollowUpResult> => ({
      branch: link.branch!,
      commit: await this.door.fetchPooled(run),
      layers: layersThatWorked(await this.door.pooledEvents(run.runId)),
    });
    await this.ended(
      link,
      why,
      run.status === 'completed' ? result : `ended ${run.status} on the pool${run.reason ? `: ${run.reason}` : ''}`,
      run.status === 'failed' ? 'failed' : 'stopped',
    );
  }

  /** Pushed and said, or why not said (never thrown: a follow-up's end is nobody's caller). */
  private async ended(
    link: IssueLink,
    why: 'ci' | 'change',
    result: (() => Promise<FollowUpResult>) | string,
    status: 'stopped' | 'failed',
  ): Promise<void> {
    try {
      if (typeof result !== 'string') return await this.push(link, why, await result());
      link.status = status;
      this.door.store.put(link);
      // A pooled follow-up's worktree was its worker's, not here.
      const kept = link.pooled ? '' : await this.putAway(link);
      await this.onPull(link, `Run ${link.runId} ${result}. Nothing was pushed.${kept}`);
    } catch (failure) {
      // The push or GitHub's answer: said with the reason, the token masked.
      link.status = 'failed';
      this.door.store.put(link);
      const message = await this.masked(failure);
      this.door.log(`github: run ${link.runId}: ${message}`);
      await this.onPull(link, `Run ${link.runId} completed, but its result could not be pushed: ${message}`).catch(
        () => {},
      );
    }
  }

  /**
   * A follow-up that ended unfinished (stopped, failed, cancelled) is never resumed: the next one
   * starts afresh from the pull request's head. Its place puts it away (serve: its worktree removed,
   * what its agents wrote, never validated, on a local branch for a person to read, never pushed).
   * Returns what to say of it.
   */
  async putAway(link: IssueLink): Promise<string> {
    try {
      return await this.door.place.putAway(this.door.workspace, link);
    } catch (error) {
      this.door.log(`github: run ${link.runId}'s worktree was not put away: ${(error as Error).message}`);
      return '';
    }
  }

  private async masked(error: unknown): Promise<string> {
    return redactSecrets(error instanceof Error ? error.message : String(error), [
      await this.door.client.pushToken().catch(() => ''),
    ]).text;
  }

  private async push(
    link: IssueLink,
    why: 'ci' | 'change',
    { branch, commit, layers, undo }: FollowUpResult,
  ): Promise<void> {
    const { store, workspace, client } = this.door;
    const pull = link.pull!;
    try {
      await pushBranch(workspace, branch, commit, await client.pushToken(), await client.defaultBranch());
    } catch (error) {
      await undo?.();
      throw error;
    }
    link.pull = { ...pull, headSha: commit };
    link.status = 'completed';
    store.put(link);
    const repoUrl = pull.url.replace(/\/pull\/\d+$/, '');
    await this.door.journal(link.runId, { type: 'github.pushed', url: `${repoUrl}/tree/${branch}`, detail: commit });
    const detail = `${layers.join(', ') || 'no layer'} → ${short(commit)}`;
    if (why === 'ci')
      await this.door.journal(link.runId, { type: 'github.ci.fixed', url: `${repoUrl}/commit/${commit}`, detail });
    await this.door.journal(link.runId, {
      type: 'github.pr.updated',
      url: pull.url,
      detail: `#${pull.number}: ${detail}`,
    });
    const what = why === 'ci' ? 'The CI fix' : 'The change';
    await this.onPull(
      link,
      `${what} is pushed: ${short(commit)} on \`${branch}\` (${layers.length > 0 ? `the ${layers.join(', ')} layer${layers.length > 1 ? 's' : ''} worked again` : 'no layer had work'}; validated, reviewed, traced by run ${link.runId}).`,
    );
  }

  /** A short note on the pull request (on the issue while there is none). */
  private async onPull(link: IssueLink, text: string): Promise<void> {
    await this.door.client.comment(link.pull?.number ?? link.issue, note(link.runId, text));
  }
}

/** The layers whose agents worked in a run (not the spec or review agents). */
function layersThatWorked(events: readonly EngineEvent[]): string[] {
  const layers = new Set<string>();
  for (const event of events)
    if (event.type === 'agent.started' && ['implement', 'fix', 'retry', 'review-fix'].includes(event.mode))
      layers.add(event.agent);
  return [...layers];
}
