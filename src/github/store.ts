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
import { open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { repositoryDataDir } from '../core/engineBundle';
import type { SpecDecisionRequest } from '../core/host';
import type { Answered } from '../core/questions';
import type { AskedConfirmation } from './confirmComment';

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
  /**
   * Saved at its gate, the run ended there (a job of the GitHub Action waits for no one, runPlace.ts):
   * the question its spec comment shows; the decision continues the run.
   */
  parked?: SpecDecisionRequest;
  /**
   * The decision that continued a parked run, until the run has journaled it: a job that died in
   * between leaves it for the next, which continues the run with it (recovery.ts).
   */
  decided?: { action: 'approve' } | { action: 'changes'; feedback: string; by: string };
  /** Who cancelled it with `/cancel` while it went in another process (a job of the issue, which reads it there and stops). */
  cancelledBy?: string;
  /** A confirmation asked on the issue and not answered yet (confirmComment.ts): asked again, not anew, after a restart; `parked`: the run set aside on it. */
  confirmation?: AskedConfirmation;
  /** Answers to the questions the run was set aside on (a job of the GitHub Action): the run, continued, is answered with them. */
  answered?: Answered[];
  /** Stopped because no one answered the question it was set aside on in time: `workflow_dispatch` takes it up, and it asks again. */
  unanswered?: true;
  /** Change requests made while this pooled run went, in order: its follow-up once it has pushed (heldChanges.ts). */
  heldChanges?: HeldChange[];
}

/** A change request held for a pooled run going (heldChanges.ts): its text, its author, the review or comment. */
export interface HeldChange {
  text: string;
  by: string;
  url: string;
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
  private readonly behindFile: string;
  /** The channel's folder in the repository's data folder (the outbox of github.* events beside it, outbox.ts). */
  readonly dir: string;

  constructor(workspace: string, env: NodeJS.ProcessEnv = process.env) {
    this.dir = repositoryDataDir(workspace, 'github', env);
    this.file = join(this.dir, 'state.json');
    this.behindFile = join(this.dir, 'state.behind.json');
    // The newer of the two (each whole: written aside, then renamed in).
    const newest = [readState(this.file), readState(this.behindFile)].reduce<Stored | undefined>(
      (a, b) => (b && (!a || b.seq > a.seq) ? b : a),
      undefined,
    );
    this.state = newest ? { deliveries: newest.deliveries, links: newest.links } : { deliveries: [], links: [] };
    this.seq = newest?.seq ?? 0;
    this.seen = new Set(this.state.deliveries);
    this.onDisk = newest ? JSON.stringify(this.state) : '';
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
    if (this.state.deliveries.length > KEPT_DELIVERIES)
      this.state.deliveries
        .splice(0, this.state.deliveries.length - KEPT_DELIVERIES)
        .forEach((old) => this.seen.delete(old));
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

  /** The state as last written (without its sequence number). */
  private onDisk: string;
  /** The sequence number of the last write: the newer file is the one with the higher. */
  private seq: number;
  /** Writes made by `save` so far: one made while a later write was under way already holds what that one took. */
  private saves = 0;
  /** The write not started yet: every change made before it starts is in it. */
  private next?: Promise<void>;
  private writing: Promise<void> = Promise.resolve();

  /** The state to write (its body, and its text numbered), or undefined when it is on disk already. */
  private numbered(): { body: string; text: string } | undefined {
    const body = JSON.stringify(this.state);
    if (body === this.onDisk) return undefined;
    return { body, text: JSON.stringify({ seq: ++this.seq, ...this.state } satisfies Stored) };
  }

  private save(): void {
    const state = this.numbered();
    if (state === undefined) return;
    const temp = `${this.file}.${process.pid}.tmp`;
    const fd = openSync(temp, 'w', 0o600);
    try {
      writeSync(fd, state.text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, this.file);
    this.onDisk = state.body;
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

  /**
   * The write of `record` and `handled`, all of it off the main thread: to its own file, so a `put`
   * made meanwhile (state.json, renamed at once on this thread) can never be overwritten by this
   * older state landing after it; the reader takes the newer of the two by its number.
   */
  private async writeBehind(): Promise<void> {
    const saves = this.saves;
    const state = this.numbered();
    if (state === undefined) return;
    const temp = `${this.behindFile}.${process.pid}.tmp`;
    const handle = await open(temp, 'w', 0o600);
    try {
      await handle.writeFile(state.text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    // A `put` made meanwhile is on disk with all of this and more: this one need not land.
    if (this.saves !== saves) return rm(temp, { force: true });
    await rename(temp, this.behindFile);
    if (this.saves === saves) this.onDisk = state.body;
  }
}

interface Stored extends State {
  seq: number;
}

/** A state file, or undefined when there is none. One from before the numbering counts as the oldest. */
function readState(file: string): Stored | undefined {
  if (!existsSync(file)) return undefined;
  const state = JSON.parse(readFileSync(file, 'utf8')) as Partial<Stored> & State;
  return { seq: typeof state.seq === 'number' ? state.seq : 0, deliveries: state.deliveries, links: state.links };
}
