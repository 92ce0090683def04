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
import type { ConfirmationRequest, SpecDecision, SpecDecisionRequest } from '../core/host';
import { decideSpecAs, followUpRun, newRunId, resumeRun, runBugfix, runFeature, runFilesRoot, specsAtGate, type GateSpec } from '../core/engineBundle';
import { redactSecrets } from '../core/text/secrets';
import type { GithubClient } from './client';
import { note, OUR_MARKER, specComment, type GateState } from './comments';
import { issueRunFinished } from './issuePull';
import { commandOf } from './commands';
import { FollowUps } from './followUps';
import { IssueConfirmations } from './issueConfirmations';
import { PooledIssues } from './pooledIssues';
import type { PoolRun } from '../pool/index';
import { checkRunPayload, issueCommentPayload, issuesPayload, ofRepository, pullRequestReviewPayload, understood, workflowRunPayload, type IssueCommentPayload, type IssuesPayload } from './payloads';
import { recoverRuns, type FollowUpWhy } from './recovery';
import { RunJournals } from './runJournal';
import { GithubRunHost, type GateAsker } from './runHost';
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
}

interface LiveRun {
  link: IssueLink;
  controller: AbortController;
  waiting?: { request: SpecDecisionRequest; resolve(decision: SpecDecision): void };
  /** Told when the run's gate asks (a decision redelivered after a restart waits for it). */
  asked?: () => void;
  done?: Promise<void>;
}

export class GithubChannel implements GateAsker {
  private readonly live = new Map<string, LiveRun>();
  /** Issues whose run is being started (the permission asked, the pool dispatched), not stored yet. */
  private readonly starting = new Set<number>();
  private readonly handling = new Set<Promise<void>>();
  private readonly listeners: (() => void)[] = [];
  /** Where the runs' `github.*` entries go (runJournal.ts). */
  private readonly journals: RunJournals;
  private readonly journal = (runId: string, event: GithubJournalEvent) => this.journals.write(runId, event);

  /** The runs' confirmations, asked and decided on their issues (issueConfirmations.ts). */
  private readonly confirmations: IssueConfirmations;

  constructor(private readonly options: GithubChannelOptions) {
    this.journals = new RunJournals({ workspace: options.workspace, store: options.store, log: options.say, pooled: (link, event) => this.pooledIssues.journal(link, event) });
    this.confirmations = new IssueConfirmations({ client: options.client, store: options.store, journal: this.journal, say: this.say.bind(this), log: options.say });
  }

  get store(): GithubStore {
    return this.options.store;
  }

  /** A verified, first-time delivery: acted on in the background (GitHub wants its answer within 10 s). */
  accept(event: string, payload: unknown, handled?: () => Promise<void>): void {
    const said = (error: unknown) => this.options.say(`github: ${event} not handled: ${(error as Error).message}`);
    const work = this.handle(event, payload).catch(said).then(() => handled?.()).catch(said);
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
    if (event === 'issue_comment') return this.onComment(issueCommentPayload.parse(payload));
    if (event === 'check_run') return this.followUps.onCheckRun(checkRunPayload.parse(payload));
    if (event === 'workflow_run') return this.followUps.onWorkflowRun(workflowRunPayload.parse(payload));
    if (event === 'pull_request_review') return this.followUps.onReview(pullRequestReviewPayload.parse(payload));
  }

  private async onIssue(payload: IssuesPayload): Promise<void> {
    if (payload.action !== 'labeled' || payload.label?.name !== this.options.settings.label || payload.issue.pull_request !== undefined) return;
    await this.start(payload.issue, 'feature', payload.sender.login);
  }

  private async onComment(payload: IssueCommentPayload): Promise<void> {
    if (payload.action !== 'created') return;
    const { comment, issue } = payload;
    if (OUR_MARKER.test(comment.body) || comment.user.login === this.options.client.ownLogin) return;
    const command = commandOf(comment.body);
    if (!command) return;
    if (command.kind === 'start') {
      if (issue.pull_request === undefined) await this.start(issue, command.run, comment.user.login);
      return;
    }
    const link = this.store.ofIssue(issue.number) ?? (issue.pull_request !== undefined ? this.store.ofPull(issue.number) : undefined);
    if (!link) return;
    if (!(await this.options.client.canWrite(comment.user.login))) {
      await this.journal(link.runId, { type: 'github.decision.refused', url: comment.html_url, by: comment.user.login, detail: command.kind });
      await this.say(link, `@${comment.user.login}: only collaborators with write access may ${command.kind === 'cancel' ? 'cancel' : 'decide'} this run. Nothing was done.`);
      return;
    }
    if (command.kind === 'change') return this.followUps.change(link, command.text, comment.user.login, comment.html_url);
    if (command.kind === 'allow' || command.kind === 'deny') return this.confirmations.decide(link, command.kind === 'allow', comment.user.login, comment.html_url, this.live.get(link.runId)?.done);
    if (link.pooled) {
      if (command.kind === 'cancel') return this.pooledIssues.cancel(link, comment.user.login, comment.html_url);
      return this.pooledIssues.decide(link, command.kind === 'approve' ? { action: 'approve' } : { action: 'changes', feedback: command.text }, comment.user.login, comment.html_url);
    }
    if (command.kind === 'cancel') return this.cancel(link, comment.user.login, comment.html_url);
    if (command.kind === 'approve' || command.kind === 'changes') return this.decide(link, command.kind === 'approve' ? { action: 'approve' } : { action: 'changes', feedback: command.text }, comment.user.login, comment.html_url);
  }

  /** Runs from issues on the pool of workers (pooledIssues.ts), when `queue.url` names one. */
  private pooledMade?: PooledIssues;
  private get pooledIssues(): PooledIssues {
    const { workspace, client, store, say } = this.options;
    const followUpEnded = (link: IssueLink, run: PoolRun) => this.followUps.finishPooled(link, run);
    const ended = (link: IssueLink) => this.followUps.releaseHeld(link);
    return (this.pooledMade ??= new PooledIssues({ workspace, client, store, log: say, say: this.say.bind(this), postSpec: this.postSpec.bind(this), followUpEnded, ended }));
  }

  /** At start: the pool followed again for the pooled runs of issues still open. */
  async open(): Promise<void> {
    if (this.options.pooled) await this.pooledIssues.open();
  }

  /** What happens on the pull requests opened here (followUps.ts): lent what it needs of the channel. */
  private followUpsMade?: FollowUps;
  private get followUps(): FollowUps {
    const { workspace, settings, client, store, say } = this.options;
    const [writer, journal] = [(login: string) => this.options.client.canWrite(login), this.journal.bind(this)];
    const pooled = () => this.pooledIssues;
    return (this.followUpsMade ??= new FollowUps({
      workspace, settings, client, store, log: say, writer, journal,
      going: (runId) => this.live.has(runId) || pooled().going(runId),
      // Where the run it continues ran: its journal is there.
      launch: async (next, from, input, after) => (from.pooled ? pooled().followUp(next, from, input) : this.track(next, (options) => followUpRun(from.runId, input, options), after)),
      fetchPooled: (run) => pooled().fetchResult(run),
      pooledEvents: (runId) => pooled().events(runId),
    }));
  }

  /**
   * A run of an issue, or a follow-up of its pull request (followUps.ts), resumed ones too: linked, gated and journaled, its end handed to `after`.
   * Resolves once its link and its `github.issue.linked` are on disk (a link that could not be written ends the run with that error, said by `after`).
   */
  private track(link: IssueLink, launch: (options: RunOptions) => Promise<RunSummary>, after: (summary: RunSummary | undefined, error?: unknown) => Promise<void>, linked?: string): Promise<void> {
    // The run starts once its link is on disk (the links of a burst of issues share one write).
    const recorded = this.store.record(link);
    const live: LiveRun = { link, controller: new AbortController() };
    this.live.set(link.runId, live);
    const detail = linked ?? (link.of ? `follow-up of run ${link.of}` : undefined);
    // The run starts once its github.issue.linked is on disk too (runJournal.ts).
    const { kept, journalOwn } = this.journals.started(link.runId, { type: 'github.issue.linked', url: link.issueUrl, by: link.by, ...(detail ? { detail } : {}) });
    const stored = Promise.all([recorded, kept]);
    const options: RunOptions = { ...this.options.runOptions, workspace: this.options.workspace, host: new GithubRunHost(link.runId, this, this.options.env), signal: live.controller.signal, runId: link.runId, journalOwn };
    // Whatever fails (the run, the push, GitHub itself) is said by `after` (its own failure in serve's output), never thrown at serve.
    const ended = async (summary?: RunSummary, error?: unknown) => {
      await this.journals.ended(link.runId);
      if (link.status === 'cancelled') return;
      if (link.paused && summary?.status !== 'completed') return this.options.say(`github: run ${link.runId} of issue #${link.issue} stopped with serve; it resumes when serve starts again`);
      await after(summary, error);
    };
    live.done = stored.then(() => launch(options)).then((summary) => ended(summary), (error: unknown) => ended(undefined, error))
      .catch((error: unknown) => this.options.say(`github: run ${link.runId}: ${redactSecrets((error as Error).message).text}`))
      .finally(() => {
        this.live.delete(link.runId);
        return this.confirmations.drop(link, false);
      });
    return stored.then(() => undefined, () => undefined);
  }

  private async start(issue: IssuesPayload['issue'], kind: 'feature' | 'bugfix', by: string): Promise<void> {
    const previous = this.store.ofIssue(issue.number);
    if (previous && (previous.status === 'running' || previous.status === 'waiting')) return;
    // The label and an `/orchestrator feature` comment arrive together: the second waits for no
    // permission answer of its own, it is the same issue's run.
    if (this.starting.has(issue.number)) return;
    this.starting.add(issue.number);
    try {
      await this.startChecked(issue, kind, by);
    } finally {
      this.starting.delete(issue.number);
    }
  }

  private async startChecked(issue: IssuesPayload['issue'], kind: 'feature' | 'bugfix', by: string): Promise<void> {
    if (!(await this.options.client.canWrite(by))) {
      await this.options.client.comment(issue.number, note('refused', `@${by}: only collaborators with write access may start a run. Nothing was started.`));
      return;
    }
    const request = `${issue.title}\n\n${(issue.body ?? '').trim()}\n\n(GitHub issue #${issue.number}: ${issue.html_url})`;
    if (this.options.pooled) return this.pooledIssues.start(issue, kind, by, request);
    const link: IssueLink = { issue: issue.number, issueUrl: issue.html_url, runId: newRunId(), kind, by, status: 'running' };
    this.options.say(`github: issue #${issue.number} starts run ${link.runId} (${kind}) for @${by}`);
    const run = kind === 'bugfix' ? runBugfix : runFeature;
    // Never the served checkout: each issue's run has a worktree of its own, its result a branch,
    // made from the committed code (HEAD), not a snapshot of whatever the checkout holds uncommitted.
    await this.track(link, (options) => run(request, { ...options, isolation: 'worktree', baseCommit: 'HEAD' }), (summary, error) => this.issueRunEnded(link, summary, error));
  }

  /** A run from an issue ended: its pull request, or why not, said on the issue (never thrown at serve). */
  private async issueRunEnded(link: IssueLink, summary: RunSummary | undefined, error?: unknown): Promise<void> {
    try {
      if (!summary) throw error;
      const { workspace, client, store, say: log } = this.options;
      await issueRunFinished({ workspace, client, store, log, journal: this.journal.bind(this), say: this.say.bind(this) }, link, summary);
    } catch (failure) {
      link.status = link.status === 'completed' ? 'completed' : 'failed';
      this.store.put(link);
      const message = redactSecrets((failure as Error).message, [await this.options.client.pushToken().catch(() => '')]).text;
      this.options.say(`github: run ${link.runId} of issue #${link.issue}: ${message}`);
      await this.say(link, link.status === 'completed' ? `Run ${link.runId} completed, but its pull request could not be made: ${message}` : `Run ${link.runId} failed: ${message}`).catch(() => {});
    }
  }

  /**
   * The runs serve left going when it stopped (killed or restarted), resumed or settled
   * (recovery.ts). Called once as serve starts, before it answers webhooks: a decision GitHub
   * redelivers then finds its run.
   */
  async recover(): Promise<void> {
    const { workspace, store, client, say } = this.options;
    const after = (link: IssueLink, why: FollowUpWhy) => (summary: RunSummary | undefined, error?: unknown) => (why ? this.followUps.finish(link, summary, error, why) : this.issueRunEnded(link, summary, error));
    for (const line of await this.journals.replay()) say(line);
    await recoverRuns({
      workspace,
      store,
      client,
      log: say,
      resume: (link, why) => this.track(link, (options) => resumeRun(link.runId, options), after(link, why), 'resumed after serve restarted'),
      ended: (link, summary, why) => after(link, why)(summary),
      putAway: (link) => this.followUps.putAway(link),
    });
  }

  heard(runId: string, event: EngineEvent): void {
    const live = this.live.get(runId);
    // Written with the gate's write, on disk before its comment is posted (recovery finds the comment by it).
    if (live && event.type === 'spec.saved') live.link.specId = event.specId;
  }

  /** A confirmation of the run: asked on its issue, answered there (issueConfirmations.ts). No run here: refused. */
  async confirm(runId: string, request: ConfirmationRequest): Promise<boolean> {
    const live = this.live.get(runId);
    return live ? this.confirmations.ask(live.link, request) : false;
  }

  /** The run's gate: the spec comment posted (or edited in place), then the answer from the issue. */
  async gate(runId: string, request: SpecDecisionRequest): Promise<SpecDecision> {
    const live = this.live.get(runId);
    if (!live) return { action: 'save' };
    const { link } = live;
    link.specId = request.specId;
    link.status = 'waiting';
    await this.store.record(link);
    const posted = await this.postSpec(link, request, { state: 'waiting' });
    await this.journal(runId, { type: 'github.spec.posted', url: posted });
    const answer = new Promise<SpecDecision>((resolve) => {
      live.waiting = { request, resolve };
    });
    live.asked?.();
    this.changed();
    return answer;
  }

  private async postSpec(link: IssueLink, request: SpecDecisionRequest, gate: GateState): Promise<string> {
    const body = specComment({ specId: request.specId, specPath: request.specPath, markdown: request.markdown, ...(request.phase ? { phase: request.phase } : {}), ...(request.placement ? { placement: request.placement } : {}), gate });
    const { client } = this.options;
    const made = link.specCommentId !== undefined ? await client.editComment(link.specCommentId, body) : await client.comment(link.issue, body);
    link.specCommentId = made.id;
    link.specCommentUrl = made.url;
    await this.store.record(link);
    return made.url;
  }

  private async decide(link: IssueLink, decision: SpecDecision, by: string, url: string): Promise<void> {
    const live = this.live.get(link.runId);
    // Resumed after a restart, on its way back to the gate it waited at: the decision waits for it.
    if (live && !live.waiting && link.status === 'waiting') await Promise.race([new Promise<void>((resolve) => {
      const earlier = live.asked;
      live.asked = () => (earlier?.(), resolve());
    }), live.done]);
    if (!live?.waiting) {
      await this.say(link, `@${by}: run ${link.runId} is not waiting for a decision (${link.status}).`);
      return;
    }
    const refused = await this.settle(live, decision, { login: by }, url);
    if (refused) await this.say(link, `@${by}: ${refused}`);
  }

  /**
   * The gate's answer, from the issue or the portal: recorded on the spec, said in the spec comment,
   * journaled, then handed to the engine. Returns why it was refused, if it was.
   */
  private async settle(live: LiveRun, decision: SpecDecision, who: { login: string } | { portal: string }, url?: string): Promise<string | undefined> {
    const { link } = live;
    const waiting = live.waiting!;
    const by = 'login' in who ? who.login : who.portal;
    if (waiting.request.phase === undefined) {
      // Recorded as the portal records its decisions (the spec's front matter, spec-decisions.jsonl):
      // the same gate, the same checks (an approval with work no layer owns is refused).
      try {
        await decideSpecAs(await runFilesRoot(this.options.workspace, link.runId), waiting.request.specId, { action: decision.action, by: 'login' in who ? `github:${by}` : by, ...(decision.action === 'changes' ? { feedback: decision.feedback } : {}) });
      } catch (error) {
        return (error as Error).message;
      }
    }
    live.waiting = undefined;
    link.status = 'running';
    this.store.put(link);
    const posted = await this.postSpec(link, waiting.request, { state: 'decided', action: decision.action, by: 'login' in who ? `@${by}` : `${by} in the portal` });
    await this.journal(link.runId, { type: 'github.spec.decided', url: url ?? posted, by, detail: 'login' in who ? decision.action : `${decision.action} (portal)` });
    this.changed();
    waiting.resolve(decision);
    return undefined;
  }

  /** The specs of runs started here waiting at their gate, as the portal's Specs page lists them (with their issue). */
  async waitingSpecs(): Promise<(GateSpec & { github: { issue: number; issueUrl: string; commentUrl?: string } })[]> {
    const out: (GateSpec & { github: { issue: number; issueUrl: string; commentUrl?: string } })[] = [];
    for (const live of this.live.values()) {
      const request = live.waiting?.request;
      if (!request || request.phase !== undefined) continue;
      const spec = (await specsAtGate(await runFilesRoot(this.options.workspace, live.link.runId))).find((s) => s.id === request.specId);
      if (spec) out.push({ ...spec, github: { issue: live.link.issue, issueUrl: live.link.issueUrl, ...(live.link.specCommentUrl ? { commentUrl: live.link.specCommentUrl } : {}) } });
    }
    return out;
  }

  /** A supervisor's decision in the portal on a spec waiting here: false when none waits with that id. */
  async decideInPortal(specId: string, decision: SpecDecision, by: string): Promise<{ decided: boolean; refused?: string }> {
    const live = [...this.live.values()].find((l) => l.waiting?.request.specId === specId && l.waiting.request.phase === undefined);
    if (!live) return { decided: false };
    const refused = await this.settle(live, decision, { portal: by });
    return refused ? { decided: false, refused } : { decided: true };
  }

  /** Told when a gate asks or is answered (the portal's pages re-read). */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  private changed(): void {
    this.listeners.forEach((listener) => listener());
  }

  private async cancel(link: IssueLink, by: string, url: string): Promise<void> {
    const live = this.live.get(link.runId);
    if (!live) {
      await this.say(link, `@${by}: run ${link.runId} is not running (${link.status}).`);
      return;
    }
    link.status = 'cancelled';
    this.store.put(link);
    await this.journal(link.runId, { type: 'github.cancelled', url, by });
    live.controller.abort();
    await live.done;
    await this.confirmations.drop(link, true);
    if (live.waiting) await this.postSpec(link, live.waiting.request, { state: 'cancelled', by });
    const kept = link.of ? await this.followUps.putAway(link) : '';
    await this.say(link, `Run ${link.runId} cancelled by @${by}: its agents were stopped.${kept}`);
  }

  /** A short note on the run's issue. */
  private async say(link: IssueLink, text: string): Promise<void> {
    await this.options.client.comment(link.issue, note(link.runId, text));
  }

  /** Every run started here stopped (serve is closing): each resumes when serve starts again (recovery.ts). */
  async close(): Promise<void> {
    for (const live of this.live.values()) {
      live.link.paused = true;
      this.store.put(live.link);
      live.controller.abort();
    }
    await Promise.allSettled([...this.live.values()].map((live) => live.done));
    await Promise.allSettled([...this.handling]);
    await this.pooledMade?.close();
  }
}
