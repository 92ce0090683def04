/**
 * The channel's durable memory (issue 39), in the repository's data folder (never the work tree:
 * `git clean` must not forget which issue owns which run): the deliveries already handled
 * (X-GitHub-Delivery; a redelivery does nothing twice) and each issue's link to its run, its spec
 * comment and its pull request. A write is acknowledged once it is on disk (fsync, then rename):
 * `put` returns once it is; `record` and `handled` resolve once it is, and the changes made while a
 * write is under way share the next one (twenty issues labelled at once: a few writes, not forty,
 * and their fsyncs off the main thread). A write of what is already on disk is skipped.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
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
    this.onDisk = existsSync(this.file) ? JSON.stringify(this.state) : '';
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
  handled(id: string): Promise<void> {
    this.state.deliveries.push(id);
    if (this.state.deliveries.length > KEPT_DELIVERIES) this.state.deliveries.splice(0, this.state.deliveries.length - KEPT_DELIVERIES).forEach((old) => this.seen.delete(old));
    return this.saveSoon();
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

  /** The link stored; on disk when it returns. */
  put(link: IssueLink): void {
    this.keep(link);
    this.save();
  }

  /** The link stored; resolves once it is on disk (with whatever else changed meanwhile). */
  record(link: IssueLink): Promise<void> {
    this.keep(link);
    return this.saveSoon();
  }

  private keep(link: IssueLink): void {
    const at = this.state.links.findIndex((l) => l.runId === link.runId);
    if (at >= 0) this.state.links[at] = link;
    else this.state.links.push(link);
  }

  /** The text of state.json as last written. */
  private onDisk: string;
  /** Writes made by `save` so far: one made while a later write was under way already holds what that one took. */
  private saves = 0;
  /** The write not started yet: every change made before it starts is in it. */
  private next?: Promise<void>;
  private writing: Promise<void> = Promise.resolve();

  private save(): void {
    const text = JSON.stringify(this.state);
    if (text === this.onDisk) return;
    const temp = `${this.file}.${process.pid}.tmp`;
    const fd = openSync(temp, 'w', 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, this.file);
    this.onDisk = text;
    this.saves++;
  }

  private saveSoon(): Promise<void> {
    if (this.next) return this.next;
    const next = this.writing.then(() => {
      this.next = undefined;
      return this.writeBehind();
    });
    this.next = next;
    this.writing = next.catch(() => undefined);
    // A caller that does not wait is not told; the next write takes its change again.
    next.catch(() => undefined);
    return next;
  }

  private async writeBehind(): Promise<void> {
    const text = JSON.stringify(this.state);
    if (text === this.onDisk) return;
    const saves = this.saves;
    const temp = `${this.file}.${process.pid}.behind.tmp`;
    const handle = await open(temp, 'w', 0o600);
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    // Renamed on this thread, at once after the check: a `put` written meanwhile is newer, and stays.
    if (this.saves !== saves) return rm(temp, { force: true });
    renameSync(temp, this.file);
    this.onDisk = text;
  }
}
