/**
 * GitHub as a channel of the engine (issue 39), not a second pipeline: an issue labelled
 * `github.label` (or a `/orchestrator feature|bugfix` comment) starts a run here, in a worktree of
 * the served repository; its spec gate is the issue's spec comment, decided by a collaborator with
 * write access (asked of GitHub, never the payload's author_association); a completed run is pushed
 * to `orchestrator/<slug>` and becomes a pull request. Every action is journaled on the run
 * (`github.*`, with its URL). What carries our markers, or was written by us, never triggers anything.
 */
import type { GithubJournalEvent, RunOptions, RunSummary } from '../core/api';
import type { EngineEvent } from '../core/events';
import type { ConfirmationRequest, Parked, SpecDecision, SpecDecisionRequest } from '../core/host';
import { engine } from '../core/engineBundle';
import type { GithubClient } from './client';
import { note } from './comments';
import { FollowUps } from './followUps';
import { type ConfirmationsDoor, IssueConfirmations } from './issueConfirmations';
import { cancelRun, type CancelDoor } from './issueCancel';
import { GateAnswers } from './gateAnswers';
import { ParkedExpiries } from './expiries';
import { IssueGates, type GithubGateSpec } from './issueGates';
import { onIssueComment, type CommentDoor } from './issueComments';
import { IssueStarts } from './issueStarts';
import { type LiveLaunch, LiveRuns } from './liveRuns';
import { PooledIssues } from './pooledIssues';
import type { PoolRun } from '../pool/index';
import {
  checkRunPayload,
  issueCommentPayload,
  issuesPayload,
  ofRepository,
  pullRequestReviewPayload,
  understood,
  workflowRunPayload,
  type IssuesPayload,
} from './payloads';
import { followUpWhy, goOn, recoverRuns, type FollowUpWhy } from './recovery';
import { RunJournals } from './runJournal';
import type { GateAsker } from './runHost';
import type { ChannelPlace } from './runPlace';
import { proveGroupInWorktree } from './mergeGroup';
import { SERVE_PLACE } from './servePlace';
import type { GithubSettings } from './settings';
import type { GithubStore, IssueLink } from './store';

export interface GithubChannelOptions {
  workspace: string;
  settings: GithubSettings;
  client: GithubClient;
  store: GithubStore;
  env: NodeJS.ProcessEnv;
  say(line: string): void;
  /** `queue.url` names a PostgreSQL pool: runs from issues go to its workers (pooledIssues.ts). */
  pooled?: boolean;
  /** Run options beyond the channel's own (tests: the model server's address). */
  runOptions?: Partial<RunOptions>;
  /** Where its runs work and whether a gate waits here (runPlace.ts): serve's worktrees by default, a job's checkout in the GitHub Action. */
  place?: ChannelPlace;
  /** Told of each refusal said on GitHub (who, and what they were refused): the GitHub Action's `status=refused`. */
  refused?(by: string, what: string): void;
}

export class GithubChannel implements GateAsker {
  /** The runs going in this process (liveRuns.ts). */
  private readonly live: LiveRuns;
  private readonly handling = new Set<Promise<void>>();
  private readonly listeners: (() => void)[] = [];
  /** Where the runs' `github.*` entries go (runJournal.ts). */
  private readonly journals: RunJournals;
  private readonly journal = (runId: string, event: GithubJournalEvent) => this.journals.write(runId, event);
  /** The runs' confirmations, asked and decided on their issues (issueConfirmations.ts). */
  private readonly confirmations: IssueConfirmations;
  /** The runs' spec gates, on their issues and in the portal (issueGates.ts), and their parked questions answered (gateAnswers.ts). */
  private readonly gates: IssueGates;
  private readonly gateAnswers: GateAnswers;
  /** The parked confirmations' expiry (expiries.ts). */
  private readonly expiries: ParkedExpiries;
  /** The issues' runs started, and their ends made pull requests (issueStarts.ts). */
  private readonly starts: IssueStarts;

  constructor(private readonly options: GithubChannelOptions) {
    this.journals = new RunJournals({
      workspace: options.workspace,
      store: options.store,
      log: options.say,
      pooled: (link, event) => this.pooledIssues.journal(link, event),
    });
    const { workspace, client, store } = options;
    this.live = new LiveRuns({
      workspace,
      env: options.env,
      ...(options.runOptions ? { runOptions: options.runOptions } : {}),
      store,
      place: this.place,
      journals: this.journals,
      asker: this,
      log: options.say,
    });
    const say = this.say.bind(this);
    this.gateAnswers = new GateAnswers(workspace, options.say);
    const continueHere: ConfirmationsDoor['continueHere'] = (link, detail, answer) =>
      this.continueHere(link, detail, (options) => goOn(workspace, link, options, answer));
    const waitsOut = this.place.kind === 'worktree'; // serve; a job ends first, and the issue's next job checks it
    this.expiries = new ParkedExpiries((link) => this.confirmations.expireParked(link), options.say, waitsOut);
    this.confirmations = new IssueConfirmations({
      client,
      store,
      journal: this.journal,
      say,
      log: options.say,
      askAgain: this.place.stopped.askAgain,
      parked: (link) => this.expiries.arm(link),
      continueHere,
    });
    this.gates = new IssueGates({
      workspace,
      client,
      store,
      place: this.place,
      journal: this.journal,
      say,
      done: (runId) => this.live.get(runId)?.done,
      continueHere,
      answerHere: (link, detail, answer) =>
        this.continueHere(link, detail, this.gateAnswers.launch(link.runId, answer)),
      changed: () => this.changed(),
    });
    this.starts = new IssueStarts({
      workspace,
      client,
      store,
      place: this.place,
      journal: this.journal,
      say,
      log: options.say,
      ...(options.refused ? { refused: options.refused } : {}),
      ...(options.pooled ? { pooled: (...start) => this.pooledIssues.start(...start) } : {}),
      track: (link, launch, after) => this.live.track(link, launch, after),
    });
  }

  get store(): GithubStore {
    return this.options.store;
  }

  private get place(): ChannelPlace {
    return this.options.place ?? SERVE_PLACE;
  }

  /** A verified, first-time delivery: acted on in the background (GitHub wants its answer within 10 s). */
  accept(event: string, payload: unknown, handled?: () => Promise<void>): void {
    const said = (error: unknown) => this.options.say(`github: ${event} not handled: ${(error as Error).message}`);
    const work = this.handle(event, payload)
      .catch(said)
      .then(() => handled?.())
      .catch(said);
    this.handling.add(work);
    void work.finally(() => this.handling.delete(work));
  }

  /** Whether the payload is one the channel reads (400 otherwise). */
  understands(event: string, payload: unknown): boolean {
    return understood(event, payload);
  }

  async handle(event: string, payload: unknown): Promise<void> {
    const installation = (payload as { installation?: { id?: unknown } } | null)?.installation?.id;
    this.options.client.useInstallation(installation);
    if (!ofRepository(payload, this.options.settings.owner, this.options.settings.repo)) return;
    if (event === 'issues') return this.onIssue(issuesPayload.parse(payload));
    if (event === 'issue_comment') return onIssueComment(this.commentDoor, issueCommentPayload.parse(payload));
    if (event === 'check_run') return this.followUps.onCheckRun(checkRunPayload.parse(payload));
    if (event === 'workflow_run') return this.followUps.onWorkflowRun(workflowRunPayload.parse(payload));
    if (event === 'pull_request_review') return this.followUps.onReview(pullRequestReviewPayload.parse(payload));
    if (event === 'merge_group') return proveGroupInWorktree(this.options, payload);
  }

  private async onIssue(payload: IssuesPayload): Promise<void> {
    if (
      payload.action !== 'labeled' ||
      payload.label?.name !== this.options.settings.label ||
      payload.issue.pull_request !== undefined
    )
      return;
    await this.starts.start(payload.issue, 'feature', payload.sender.login);
  }

  /** Runs from issues on the pool of workers (pooledIssues.ts), when `queue.url` names one. */
  private pooledMade?: PooledIssues;
  private get pooledIssues(): PooledIssues {
    const { workspace, client, store, say } = this.options;
    const followUpEnded = (link: IssueLink, run: PoolRun) => this.followUps.finishPooled(link, run);
    const ended = (link: IssueLink) => this.followUps.releaseHeld(link);
    return (this.pooledMade ??= new PooledIssues({
      workspace,
      client,
      store,
      log: say,
      say: this.say.bind(this),
      postSpec: this.gates.postSpec.bind(this.gates),
      followUpEnded,
      ended,
    }));
  }

  /** At start: the pool followed again for the pooled runs of issues still open. */
  async open(): Promise<void> {
    if (this.options.pooled) await this.pooledIssues.open();
  }

  /** What happens on the pull requests opened here (followUps.ts): lent what it needs of the channel. */
  private followUpsMade?: FollowUps;
  private get followUps(): FollowUps {
    const { workspace, settings, client, store, say, refused } = this.options;
    const [writer, journal] = [
      async (login: string) => (await this.options.client.canWrite(login)) || (refused?.(login, 'review'), false),
      this.journal.bind(this),
    ];
    const pooled = () => this.pooledIssues;
    return (this.followUpsMade ??= new FollowUps({
      workspace,
      settings,
      client,
      store,
      place: this.place,
      log: say,
      writer,
      journal,
      going: (runId) => this.live.has(runId) || pooled().going(runId) || this.elsewhere(runId),
      // Where the run it continues ran: its journal is there.
      launch: async (next, from, input, after) =>
        from.pooled
          ? pooled().followUp(next, from, input)
          : this.live.track(
              next,
              async (options) => engine.followUpRun(from.runId, await this.place.followUp(workspace, input), options),
              after,
            ),
      fetchPooled: (run) => pooled().fetchResult(run),
      pooledEvents: (runId) => pooled().events(runId),
    }));
  }

  /**
   * The runs serve left going when it stopped (killed or restarted), resumed or settled
   * (recovery.ts). Called once as serve starts, before it answers webhooks: a decision GitHub
   * redelivers then finds its run.
   */
  async recover(): Promise<void> {
    const { workspace, store, client, say } = this.options;
    const after = (link: IssueLink, why: FollowUpWhy) => this.after(link, why);
    for (const line of await this.journals.replay()) say(line);
    // A run set aside on a confirmation no one answered in time stops (a job's runs: no one waited).
    for (const link of store.links()) {
      await this.confirmations.expireParked(link);
      this.expiries.arm(link);
    }
    await recoverRuns({
      workspace,
      store,
      client,
      place: this.place,
      log: say,
      resume: (link, why) =>
        this.live.track(
          link,
          (options) => goOn(workspace, link, options),
          after(link, why),
          `resumed after ${this.place.stopped.resumed}`,
        ),
      ended: (link, summary, why) => after(link, why)(summary),
      putAway: (link) => this.followUps.putAway(link),
    });
  }

  /** How a run of the channel ends: a follow-up's result on its pull request, else the issue's pull request. */
  private after(
    link: IssueLink,
    why: FollowUpWhy,
  ): (summary: RunSummary | undefined, error?: unknown) => Promise<void> {
    return (summary, error) =>
      why ? this.followUps.finish(link, summary, error, why) : this.starts.ended(link, summary, error);
  }

  /** A run of this place going in another process of it (a job of the same issue), or parked (at its gate, on a confirmation). */
  private elsewhere(runId: string): boolean {
    const link = this.store.ofRun(runId);
    return !link?.pooled && (link?.status === 'running' || link?.status === 'waiting');
  }

  heard(runId: string, event: EngineEvent): void {
    this.gateAnswers.heard(runId);
    const live = this.live.get(runId);
    // Written with the gate's write, on disk before its comment is posted (recovery finds the comment by it).
    if (live && event.type === 'spec.saved') live.link.specId = event.specId;
    this.place.heard?.(runId, event);
  }

  /**
   * A confirmation of the run: asked on its issue and parked (issueConfirmations.ts): the engine sets
   * the run aside, and the answer continues it here or in a later process (engine.answerQuestion).
   */
  async confirm(runId: string, request: ConfirmationRequest): Promise<boolean | Parked> {
    const live = this.live.get(runId);
    return live ? this.confirmations.ask(live.link, request) : false;
  }

  /** The run's gate: asked on its issue and parked (issueGates.ts); a run not going here is saved there. */
  async gate(runId: string, request: SpecDecisionRequest): Promise<SpecDecision | Parked> {
    const live = this.live.get(runId);
    return live ? this.gates.ask(live.link, request) : { action: 'save' };
  }

  /** A run stopped with its confirmation unanswered, taken up by `workflow_dispatch` with its spec (issueConfirmations.ts). */
  askAgain(specId: string): Promise<boolean> {
    return this.confirmations.askAgain(specId);
  }

  /** A run that ended parked, continued in this process with what it waited for (a parked question's answer: through the engine's one verb). */
  private async continueHere(link: IssueLink, detail: string, launch: LiveLaunch): Promise<void> {
    const why = followUpWhy(
      link,
      (await engine.runEvents(this.options.workspace, link.runId, 'journal')).map(
        (line) => JSON.parse(line) as { type: string },
      ),
    );
    await this.live.track(link, launch, this.after(link, why), detail);
  }

  /** The specs of runs started here waiting at their gate, as the portal's Specs page lists them (with their issue). */
  waitingSpecs(): Promise<GithubGateSpec[]> {
    return this.gates.waitingSpecs();
  }

  /** A supervisor's decision in the portal on a spec waiting here: false when none waits with that id. */
  decideInPortal(specId: string, decision: SpecDecision, by: string): Promise<{ decided: boolean; refused?: string }> {
    return this.gates.decideInPortal(specId, decision, by);
  }

  /** Told when a gate asks or is answered (the portal's pages re-read). */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  private changed(): void {
    this.listeners.forEach((listener) => listener());
  }

  /** What a command said on an issue or a pull request needs of the channel (issueComments.ts). */
  private get commentDoor(): CommentDoor {
    const { store, confirmations, gates, journal } = this;
    const { client, refused } = this.options;
    return {
      client,
      store,
      confirmations,
      gates,
      journal,
      ...(refused ? { refused } : {}),
      say: this.say.bind(this),
      start: (issue, kind, by) => this.starts.start(issue, kind, by),
      change: (link, text, by, url) => this.followUps.change(link, text, by, url),
      pooled: () => this.pooledIssues,
      cancel: (link, by, url) => cancelRun(this.cancelDoor, link, by, url),
      done: (runId) => this.live.get(runId)?.done,
    };
  }

  /** What `/cancel` needs of the channel (issueCancel.ts). */
  private get cancelDoor(): CancelDoor {
    const { store, confirmations, gates, journal } = this;
    return {
      store,
      confirmations,
      gates,
      journal,
      say: this.say.bind(this),
      putAway: (link) => this.followUps.putAway(link),
      live: (runId) => this.live.get(runId),
      elsewhere: (runId) => this.elsewhere(runId),
    };
  }

  /** A short note on the run's issue. */
  private async say(link: IssueLink, text: string): Promise<void> {
    await this.options.client.comment(link.issue, note(link.runId, text));
  }

  /** Every run going here ended, and those they started (a job of the GitHub Action waits for that before its last state). */
  settled(): Promise<void> {
    return this.live.settled();
  }

  /** Every run started here stopped (serve is closing): each resumes when serve starts again (recovery.ts). */
  async close(): Promise<void> {
    this.expiries.clear();
    await this.live.close();
    await Promise.allSettled([...this.handling]);
    await this.pooledMade?.close();
  }
}
