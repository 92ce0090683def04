/** CI failing on a pull request the channel opened, fed back to the owning layer as a follow-up fix (followUps.ts keeps the rest). */
import { loadConfig, newRunId, type FollowUpInput } from '../core/engineBundle';
import { filesNamed, logTail, owningLayer } from './ciLog';
import type { CheckRunPayload, WorkflowRunPayload } from './payloads';
import type { EngineEvent, GithubEventType } from '../core/events';
import type { GithubClient } from './client';
import type { GithubSettings } from './settings';
import type { GithubStore, IssueLink } from './store';

/** What of the follow-ups' door (followUps.ts) the CI fixes read. */
interface FollowUpFacts {
  workspace: string;
  settings: GithubSettings;
  client: GithubClient;
  store: GithubStore;
  log(line: string): void;
  journal(runId: string, event: Extract<EngineEvent, { type: GithubEventType }>): Promise<void>;
  going(runId: string): boolean;
}

/** What the follow-ups lend the CI fixes: their door, and how they start and say a follow-up. */
export interface CiDoor {
  door: FollowUpFacts;
  onPull(link: IssueLink, text: string): Promise<void>;
  branchHead(link: IssueLink): Promise<string>;
  lastCompleted(link: IssueLink): IssueLink | undefined;
  launch(next: IssueLink, from: IssueLink, input: FollowUpInput, why: 'ci' | 'change'): Promise<boolean>;
}

interface Failure {
  sha: string;
  url: string;
  /** The check's name, or a workflow run's failed jobs. */
  name: string;
  read(): Promise<string>;
}

export const short = (sha: string) => sha.slice(0, 7);
/** A name from a payload (a check's, a job's) in our comments: one line, bounded, a code span (no markup, no mention). */
const code = (text: string) => `\`${text.replace(/`/g, "'").replace(/\s+/g, ' ').slice(0, 100)}\``;

/** A follow-up's link made from the one it continues: the requests held for that one, its gate's question and decision are not its own. */
export function successor(link: IssueLink): IssueLink {
  const { heldChanges: _held, parked: _parked, decided: _decided, ...rest } = link;
  return rest;
}

export class CiFailures {
  constructor(private readonly lent: CiDoor) {}

  private get door(): FollowUpFacts {
    return this.lent.door;
  }

  async onCheckRun(payload: CheckRunPayload): Promise<void> {
    const run = payload.check_run;
    if (payload.action !== 'completed' || run.conclusion !== 'failure') return;
    const link = this.firstReport(run.pull_requests, run.head_sha);
    if (!link) return;
    await this.ciFailed(link, {
      sha: run.head_sha,
      url: run.html_url ?? link.pull!.url,
      name: run.name,
      read: () => this.checkRunLog(run),
    });
  }

  async onWorkflowRun(payload: WorkflowRunPayload): Promise<void> {
    const run = payload.workflow_run;
    if (payload.action !== 'completed' || run.conclusion !== 'failure') return;
    const link = this.firstReport(run.pull_requests, run.head_sha);
    if (!link) return;
    const { client } = this.door;
    const jobs = await client.failedJobs(run.id);
    const read = async () =>
      (
        await Promise.all(
          jobs.map(
            async (job) =>
              `## Job "${job.name}"\n${await client.jobLog(job.id).catch((error: unknown) => `(its log could not be read: ${(error as Error).message})`)}`,
          ),
        )
      ).join('\n\n');
    await this.ciFailed(link, {
      sha: run.head_sha,
      url: run.html_url,
      name: jobs.map((job) => job.name).join(', ') || run.name || 'workflow',
      read,
    });
  }

  /**
   * The link of the pull request a failure is about, the first time its head commit is reported
   * (recorded before anything is awaited: a check run and a workflow run for one commit arrive together).
   */
  private firstReport(pulls: readonly { number: number }[], sha: string): IssueLink | undefined {
    const { store } = this.door;
    const link =
      pulls.map((pull) => store.ofPull(pull.number)).find(Boolean) ??
      store
        .links()
        .filter((l) => l.pull?.headSha === sha)
        .at(-1);
    // Whose head it is, and whether it still is, is asked of the branch next (ciFailed).
    if (!link?.pull || link.ciCommits?.includes(sha)) return undefined;
    link.ciCommits = [...(link.ciCommits ?? []), sha];
    store.put(link);
    return link;
  }

  private async ciFailed(link: IssueLink, failure: Failure): Promise<void> {
    const { settings, store, workspace } = this.door;
    // Only the branch's head: an older commit's failure is stale. A head someone else pushed to
    // our branch is fed back too (they pushed to the orchestrator's branch: its agents build on it).
    const head = await this.lent.branchHead(link);
    if (head !== failure.sha) {
      this.door.log(
        `github: CI failed on ${short(failure.sha)} of pull request #${link.pull!.number}, no longer its head (${short(head)}): nothing to do`,
      );
      return;
    }
    const theirs = link.pull!.headSha !== head;
    if (theirs) {
      link.pull = { ...link.pull!, headSha: head };
      store.put(link);
    }
    const pull = link.pull!;
    await this.door.journal(link.runId, {
      type: 'github.ci.failed',
      url: failure.url,
      detail: `${failure.name} on ${short(failure.sha)}`,
    });
    if (this.door.going(link.runId)) {
      this.door.log(
        `github: CI failed on ${short(failure.sha)} of pull request #${pull.number} while run ${link.runId} goes: it will push a new head`,
      );
      return;
    }
    const fixes = link.ciFixes ?? 0;
    if (fixes >= settings.maxCiFixes) {
      if (link.ciLimitSaid) return;
      link.ciLimitSaid = true;
      store.put(link);
      await this.door.journal(link.runId, {
        type: 'github.ci.limit',
        url: failure.url,
        detail: `${fixes} of github.maxCiFixes ${settings.maxCiFixes}`,
      });
      await this.lent.onPull(
        link,
        `CI failed again (${code(failure.name)} on ${short(failure.sha)}). ${fixes} fix${fixes === 1 ? ' was' : 'es were'} fed back to the agents already, the limit (github.maxCiFixes: ${settings.maxCiFixes}): the orchestrator stops here and leaves this pull request to you.`,
      );
      return;
    }
    const log = logTail(await failure.read(), [await this.door.client.pushToken()]);
    const files = await filesNamed(workspace, failure.sha, log).catch(() => []);
    const owner = owningLayer(await loadConfig(workspace), files, log, failure.name);
    if (!owner) {
      await this.lent.onPull(
        link,
        `CI failed (${code(failure.name)} on ${short(failure.sha)}), and its log names no file a layer owns nor a layer's validate command: nothing was sent back to the agents.`,
      );
      return;
    }
    const from = this.lent.lastCompleted(link);
    if (!from) return;
    const next: IssueLink = {
      ...successor(link),
      runId: newRunId(),
      of: from.runId,
      status: 'running',
      ciFixes: fixes + 1,
    };
    const fix = { layer: owner.layer, command: `the GitHub check "${failure.name}" on the pull request`, output: log };
    if (!(await this.lent.launch(next, from, { base: failure.sha, fix }, 'ci'))) return;
    await this.lent.onPull(
      next,
      `CI failed (${code(failure.name)} on ${short(failure.sha)}${theirs ? ', a commit someone else pushed to this branch: the fix builds on it' : ''}): the **${owner.layer}** layer is sent back to work with the log as a validation error (${owner.why}); fix ${fixes + 1} of at most ${settings.maxCiFixes}, run ${next.runId}.`,
    );
  }

  /** A CI check's log: a GitHub Actions check run is its job (`details_url` …/job/<id>); another app's check has only its output. */
  private async checkRunLog(run: CheckRunPayload['check_run']): Promise<string> {
    const job = /\/actions\/runs\/\d+\/job\/(\d+)/.exec(run.details_url ?? '')?.[1];
    if (job || run.app?.slug === 'github-actions') {
      try {
        return await this.door.client.jobLog(Number(job ?? run.id));
      } catch (error) {
        this.door.log(
          `github: the log of check "${run.name}" could not be read (${(error as Error).message}); its output is used`,
        );
      }
    }
    const output = [run.output?.title, run.output?.summary, run.output?.text]
      .filter((part): part is string => Boolean(part?.trim()))
      .join('\n\n');
    return output || `The check "${run.name}" failed without a log or an output the orchestrator can read.`;
  }
}
