/**
 * The channel's durable memory (issue 39), in the repository's data folder (never the work tree:
 * `git clean` must not forget which issue owns which run): the deliveries already handled
 * (X-GitHub-Delivery; a redelivery does nothing twice) and each issue's link to its run, its spec
 * comment and its pull request. A write is acknowledged once it is on disk (fsync, then rename).
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryDataDir } from '../core/engineBundle';

export interface IssueLink {
  issue: number;
  issueUrl: string;
  runId: string;
  kind: 'feature' | 'bugfix';
  /** Who started it (the label's sender, the comment's author). */
  by: string;
  status: 'running' | 'waiting' | 'completed' | 'stopped' | 'cancelled' | 'failed';
  specId?: string;
  specCommentId?: number;
  specCommentUrl?: string;
  branch?: string;
  pull?: { number: number; url: string; headSha: string };
  /** A run on the pool of workers (pooledIssues.ts), and its mirrored journal's end when its gate was posted. */
  pooled?: true;
  journalEnd?: number;
  /** A follow-up run on the pull request's branch (followUps.ts): the run it continues. */
  of?: string;
  /** CI failures fed back on the pull request so far (at most github.maxCiFixes), the head commits reported, and whether the limit was said. */
  ciFixes?: number;
  ciCommits?: string[];
  ciLimitSaid?: boolean;
  /** `<runId>:<state>` its note after a restart told (recovery.ts): a restart loop does not say it again (a follow-up's copy of its run's link names the other run). */
  resumeSaid?: string;
  /** Stopped because serve closed (not by anyone's /cancel): resumed when serve starts again (recovery.ts). */
  paused?: boolean;
}

interface State {
  deliveries: string[];
  links: IssueLink[];
}

/** Deliveries kept for redeliveries: GitHub redelivers within days, far fewer than this. */
const KEPT_DELIVERIES = 10_000;

export class GithubStore {
  private state: State;
  private readonly seen: Set<string>;
  private readonly file: string;
  /** The channel's folder in the repository's data folder (the outbox of github.* events beside it, outbox.ts). */
  readonly dir: string;

  constructor(workspace: string, env: NodeJS.ProcessEnv = process.env) {
    this.dir = repositoryDataDir(workspace, 'github', env);
    this.file = join(this.dir, 'state.json');
    this.state = existsSync(this.file) ? (JSON.parse(readFileSync(this.file, 'utf8')) as State) : { deliveries: [], links: [] };
    this.seen = new Set(this.state.deliveries);
  }

  /**
   * True the first time a delivery id is seen; false for a redelivery. It is remembered durably
   * once handled (`handled`): a delivery serve was killed while handling is acted on when GitHub
   * redelivers it, not taken for a duplicate.
   */
  firstDelivery(id: string): boolean {
    if (this.seen.has(id)) return false;
    this.seen.add(id);
    return true;
  }

  /** A delivery acted on (or refused by the channel): never acted on again. */
  handled(id: string): void {
    this.state.deliveries.push(id);
    if (this.state.deliveries.length > KEPT_DELIVERIES) this.state.deliveries.splice(0, this.state.deliveries.length - KEPT_DELIVERIES).forEach((old) => this.seen.delete(old));
    this.save();
  }

  links(): readonly IssueLink[] {
    return this.state.links;
  }

  /** The newest link of an issue. */
  ofIssue(issue: number): IssueLink | undefined {
    return this.state.links.filter((link) => link.issue === issue).at(-1);
  }

  ofPull(number: number): IssueLink | undefined {
    return this.state.links.filter((link) => link.pull?.number === number).at(-1);
  }

  ofRun(runId: string): IssueLink | undefined {
    return this.state.links.find((link) => link.runId === runId);
  }

  put(link: IssueLink): void {
    const at = this.state.links.findIndex((l) => l.runId === link.runId);
    if (at >= 0) this.state.links[at] = link;
    else this.state.links.push(link);
    this.save();
  }

  private save(): void {
    const temp = `${this.file}.${process.pid}.tmp`;
    const fd = openSync(temp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify(this.state));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, this.file);
  }
}
