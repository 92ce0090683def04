/**
 * An issue's state in one job (issue 48): read from its ref at the job's start and put in place
 * (the channel's links in its store, each run's journal where the engine reads it, the work of the
 * run that goes on put back in the checkout on its base), then pushed with a lease at each step:
 * before anything is written on GitHub (the client's guard: a job that lost the lease writes
 * nothing), between the steps of a run working here (with its work: a job killed meanwhile leaves
 * what the next one resumes from), every minute while a run works, and at the job's end. A push
 * that finds the ref moved stops this job: another job of the issue took the run, or `/cancel`
 * marked it (the job then says so and stops its agents).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { engine, putRunWork } from '../../core/engineBundle';
import type { GithubStore, IssueLink } from '../store';
import { emptyState, filesOfState, keptCommits, stateOfFiles, type IssueState, type RunWork } from './issueState';
import { LeaseLost, type StateRemote } from './stateRef';

const RUNS = join('.claude', 'runs');
const journalPath = (workspace: string, runId: string) => join(workspace, RUNS, runId, 'events.jsonl');
const FINAL = new Set<IssueLink['status']>(['completed', 'stopped', 'cancelled', 'failed']);
/** A run whose work the state keeps between jobs: one going or waiting, or stopped unanswered (workflow_dispatch takes it up again). */
const workKept = (link: IssueLink) => !FINAL.has(link.status) || link.unanswered === true;
/** A run working here writes its state at least this often: /cancel is heard, and a later job knows this one lives. */
export const BEAT_MS = 60_000;
const FIRST_BEAT_MS = 2_000;

/** The state a job starts from: the issue's commit on the remote (undefined: none yet) and what it holds. */
export async function readState(remote: StateRemote, issue: number): Promise<{ commit?: string; state: IssueState }> {
  const commit = await remote.fetch(issue);
  return commit ? { commit, state: stateOfFiles(issue, await remote.read(commit)) } : { state: emptyState(issue) };
}

/**
 * The state put in place: the links in the store, every run's journal under `.claude/runs/`, and the
 * run still going (or waiting at its gate) on its base with its work, as the job that left it had it.
 */
export async function putInPlace(
  state: IssueState,
  workspace: string,
  topLevel: string,
  store: GithubStore,
): Promise<IssueLink | undefined> {
  for (const link of state.links) store.put(link);
  mkdirSync(join(workspace, RUNS), { recursive: true });
  // The folder ignores itself, as the engine makes it (journal/stateDir.ts).
  if (!existsSync(join(workspace, RUNS, '.gitignore'))) writeFileSync(join(workspace, RUNS, '.gitignore'), '*\n');
  const going = state.links.filter((link) => workKept(link) && state.runs[link.runId]).at(-1);
  if (going) {
    const run = state.runs[going.runId]!;
    // The event's checkout is the run's base unless the branch moved since (runPlace.ts: checked out only then).
    await putRunWork({ kind: 'action-job', root: topLevel, workspace, base: run.base }, run);
  }
  for (const [runId, text] of state.journals) {
    mkdirSync(join(workspace, RUNS, runId), { recursive: true });
    writeFileSync(journalPath(workspace, runId), text);
  }
  return going;
}

export interface KeeperOptions {
  remote: StateRemote;
  issue: number;
  /** The state commit the job read (undefined: the issue had none). */
  expected?: string;
  state: IssueState;
  workspace: string;
  topLevel: string;
  store: GithubStore;
  /** What a run's work never holds (privacy.deny, the runs' folder). */
  deny: readonly string[];
  /** This job (its workflow run and attempt). */
  job: string;
  /** The commit the checkout is at once the state is in place: a new run's base. */
  head: string;
  spentUsd(): number;
  log(line: string): void;
  /** The lease is lost: `cancelledBy` when /cancel marked a run working here. */
  lost(cancelledBy: string | undefined): void;
}

export class StateKeeper {
  private expected: string | undefined;
  private state: IssueState;
  private chain: Promise<void> = Promise.resolve();
  private written = '';
  private lostTo?: LeaseLost;
  private stepQueued = false;
  private beat?: NodeJS.Timeout;
  private first?: NodeJS.Timeout;
  /** The runs working in this job, and their bases: their work goes with each step's state. */
  private readonly here = new Map<string, string>();
  /** Where the checkout is: a run starting now starts there. */
  private head: string;

  constructor(private readonly o: KeeperOptions) {
    this.expected = o.expected;
    this.state = o.state;
    this.head = o.head;
  }

  get isLost(): boolean {
    return this.lostTo !== undefined;
  }

  /** The job moved the checkout (to a follow-up's base): the next run starts there. */
  moved(commit: string): void {
    this.head = commit;
  }

  /** The run's base: where its work goes on (the state's, or where the checkout was when it started here). */
  baseOf(runId: string): string {
    return this.state.runs[runId]?.base ?? this.here.get(runId) ?? this.head;
  }

  /**
   * A run starts or goes on here: its base recorded, the beat started, and the state saying so
   * (a job of the issue meanwhile knows it lives) once the run is under way: not in the way of its
   * first model call.
   */
  working(runId: string): void {
    if (this.here.has(runId)) return;
    this.here.set(runId, this.baseOf(runId));
    this.first ??= setTimeout(() => void this.push(false).catch(() => undefined), FIRST_BEAT_MS);
    this.first.unref();
    this.beat ??= setInterval(() => void this.push(true).catch(() => undefined), BEAT_MS);
    this.beat.unref();
  }

  /** A step of a run here ended: its state, with its work, pushed (one waits at most, later steps join it). */
  step(): void {
    if (this.stepQueued) return;
    this.stepQueued = true;
    void this.push(true).catch(() => undefined);
  }

  /** Before a write on GitHub: the state pushed, or LeaseLost (nothing is written twice). */
  readonly guard = (): Promise<void> => this.push(false);

  /** The state as it is now, pushed with the lease (after the pushes asked before it). */
  push(withWork: boolean): Promise<void> {
    const next = this.chain.then(() => this.pushNow(withWork));
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** The job ends: the beat stops, the last state is pushed. */
  async close(): Promise<void> {
    clearTimeout(this.first);
    clearInterval(this.beat);
    this.beat = undefined;
    if (!this.isLost) await this.push(true);
  }

  private async pushNow(withWork: boolean): Promise<void> {
    if (withWork) this.stepQueued = false;
    if (this.lostTo) throw this.lostTo;
    const next = await this.current(withWork);
    const files = filesOfState({ ...next, beat: undefined });
    const key = JSON.stringify([[...files], keptCommits(next)]);
    if (key === this.written) return;
    // Never the same commit as another job's (two jobs deciding alike write alike): a push of a
    // commit the ref already names is "up to date" and would pass over the lease unchecked.
    const commit = await this.o.remote.write(
      filesOfState(next),
      keptCommits(next),
      `Orchestrator: the state of issue #${this.o.issue}\n\nJob ${this.o.job}, ${randomUUID()}`,
    );
    try {
      await this.o.remote.push(this.o.issue, commit, this.expected);
    } catch (error) {
      if (error instanceof LeaseLost) await this.lose(error);
      throw error;
    }
    this.expected = commit;
    this.state = next;
    this.written = key;
  }

  /** The state to push: the store's links, the journals on disk, the work of the runs here. */
  private async current(withWork: boolean): Promise<IssueState> {
    const links = JSON.parse(JSON.stringify(this.o.store.links())) as IssueLink[];
    const journals = new Map(this.state.journals);
    const runs: Record<string, RunWork> = {};
    for (const link of links) {
      const path = journalPath(this.o.workspace, link.runId);
      if (existsSync(path)) journals.set(link.runId, readFileSync(path, 'utf8'));
      const run =
        this.state.runs[link.runId] ?? (this.here.has(link.runId) ? { base: this.here.get(link.runId)! } : undefined);
      // A run that ended needs no work between jobs: its result is on its branch.
      if (run && workKept(link))
        runs[link.runId] = {
          ...run,
          ...(withWork && this.here.has(link.runId)
            ? await this.workOf(link.runId, run.base, journals.get(link.runId))
            : {}),
        };
    }
    // A run at work here beats; one parked at its gate waits for no job.
    const going = [...this.here.keys()].some((id) => links.find((l) => l.runId === id)?.status === 'running');
    const beat = going ? { at: new Date().toISOString(), job: this.o.job } : this.state.beat;
    return { issue: this.o.issue, links, runs, journals, spentUsd: this.o.spentUsd(), ...(beat ? { beat } : {}) };
  }

  private async workOf(runId: string, base: string, journal: string | undefined): Promise<Partial<RunWork>> {
    const snapshot = await engine.snapshotWorkTree(
      this.o.workspace,
      runId,
      undefined,
      this.o.deny,
      base,
      `Orchestrator: the work of run ${runId} so far`,
    );
    const created = (journal ?? '')
      .split('\n')
      .filter((line) => line.includes('"checkpoint.created"'))
      .map((line) => {
        try {
          return JSON.parse(line) as { type: string; ref?: string; commit?: string };
        } catch {
          return undefined;
        }
      })
      .filter((e) => e?.type === 'checkpoint.created')
      .at(-1);
    const checkpoint =
      created?.ref && /^refs\/orchestrator\/[A-Za-z0-9][A-Za-z0-9_-]*$/.test(created.ref) && created.commit
        ? { ref: created.ref, commit: created.commit }
        : undefined;
    return { ...(snapshot ? { work: snapshot.commit } : {}), ...(checkpoint ? { checkpoint } : {}) };
  }

  /** Lost: the state as the remote has it now says whether /cancel marked a run of this job. */
  private async lose(error: LeaseLost): Promise<void> {
    this.lostTo = error;
    clearTimeout(this.first);
    clearInterval(this.beat);
    let cancelledBy: string | undefined;
    try {
      const { state } = await readState(this.o.remote, this.o.issue);
      const cancelled = state.links.find((link) => this.here.has(link.runId) && link.status === 'cancelled');
      if (cancelled) cancelledBy = typeof cancelled.cancelledBy === 'string' ? cancelled.cancelledBy : 'a collaborator';
    } catch (failure) {
      this.o.log(
        `the state of issue #${this.o.issue} as another job left it could not be read: ${(failure as Error).message}`,
      );
    }
    this.o.lost(cancelledBy);
  }
}
