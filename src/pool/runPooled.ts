/**
 * One pooled run on this worker: its worktree in the worker's clone (issue 22's machinery),
 * started from the run's base (the user's HEAD plus uncommitted changes) or, when another worker
 * left it, from its work in progress and the journal in the database; the engine runs it in
 * place there with the flags given at dispatch. Its lease is renewed every third of
 * `queue.leaseSec`; losing it stops the run here at once (another worker has it).
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { cleanRunPlace, engine, loadConfig, makeRunPlace } from '../core/engineBundle';
import type { RunOptions, RunSummary } from '../core/api';
import type { RunPlace } from '../core/pipeline/run';
import { JournalMirror } from './journalMirror';
import { startOrContinue } from './startOrContinue';
import { runChoicesOf } from './jobChoices';
import { RunClock } from './runClock';
import type { MirroredEntry, PoolStore } from './poolStore';
import { fetchRefs, pushRefs, pushResultBranch } from './poolGit';
import type { TeamBudget } from './teamBudget';
import { WorkerHost } from './workerHost';
import { POOL_BUDGET_LIMIT, poolRefs, type PoolRun, type RunEnd } from './types';

/** What a worker gives each of its runs. */
export interface WorkerPlace {
  name: string;
  store: PoolStore;
  budget: TeamBudget;
  /** The worker's bare clone of the remote, and the folder of its runs' worktrees. */
  clone: string;
  runsDir: string;
  remote: string;
  /** The worker's own checkout: `worktree.link` folders (node_modules) come from it. */
  workspace: string;
  link: readonly string[];
  leaseSec: number;
  /** Worktrees of runs that ended here, being removed after their slot was freed: awaited by a run of the same id and by the drain. */
  cleanups: Map<string, Promise<void>>;
  /** Each run's heartbeat, beaten at once when the run's row changed under it (a cancellation). */
  beatNow: Map<string, () => void>;
  baseURL?: string;
  say(line: string): void;
}

export type RunEndReason = 'done' | 'lost' | 'cancelled' | 'handed-back';

const RUNS_FOLDER = '.claude/runs';

export async function runPooled(place: WorkerPlace, run: PoolRun, drain: AbortSignal): Promise<RunEndReason> {
  const { store, name } = place;
  const controller = new AbortController();
  const stop = () => controller.abort();
  drain.addEventListener('abort', stop, { once: true });
  let lost = false;
  let cancelled = false;
  // Not held any more: stopped by a person (`/cancel`, the portal) while it ran here, or taken over by another worker.
  const letGo = async () => {
    if (lost) return;
    lost = true;
    cancelled = await store.stoppedUnder(run.runId, name).catch(() => false);
    place.say(
      cancelled
        ? `run ${run.runId}: cancelled; stopping its agents here`
        : `run ${run.runId}: its lease was taken over by another worker; stopping here`,
    );
    controller.abort();
  };
  const beat = () =>
    void store.heartbeat(run.runId, name, place.leaseSec).then(
      (held) => (held ? undefined : letGo()),
      () => undefined,
    ); // the database is away: the next beat tries again
  const heartbeat = setInterval(beat, (place.leaseSec * 1000) / 3);
  // Its row changed under it (announced): a cancellation is heard at once, not at the next beat.
  place.beatNow.set(run.runId, beat);
  const path = join(place.runsDir, run.runId);
  // A worktree of the worker's clone (runPlace.ts), at the run's latest pushed work, with the worker's linked folders.
  const where: RunPlace = {
    kind: 'pooled',
    root: path,
    workspace: path,
    base: run.wipCommit ?? run.changesCommit,
    repo: place.clone,
    folder: place.runsDir,
    links: { from: place.workspace, folders: place.link },
  };
  const clock = new RunClock();
  try {
    const previous = await store.events(run.runId);
    await openWorktree(place, run, where, previous, clock);
    if (run.flags.followUp)
      await clock.time('worktree', () => writeEarlierJournals(store, path, run.flags.followUp!.of));
    const config = await clock.time('config', () => loadConfig(path));
    const deny = [...config.privacy.deny, RUNS_FOLDER];
    const mirror = new JournalMirror(
      store,
      run.runId,
      name,
      {
        // What these entries vouch for, in one push: the checkpoint ref, and the work as it is now
        // (it holds whatever a `validation.passed` or `spec.saved` among them vouches for). When the
        // checkpoint is the last of them, it is that work (the same tree, made after the others).
        push: async (entries) => {
          const checkpoint = entries.find((entry) => entry.type === 'checkpoint.created');
          const refs = checkpoint ? [{ commit: String(checkpoint.commit), ref: poolRefs.checkpoint(run.runId) }] : [];
          const work =
            entries.at(-1) === checkpoint
              ? entries.length > 1
                ? String(checkpoint!.commit)
                : undefined
              : await clock.time('snapshots', () => snapshot(run, path, deny));
          if (work) refs.push({ commit: work, ref: poolRefs.wip(run.runId) });
          await clock.time('pushes', () => pushRefs(place.clone, place.remote, refs));
          return work;
        },
        lost: () => void letGo(),
        trouble: place.say,
        wrote: (ms) => clock.add('journal writes', ms),
      },
      run.costUsd,
    );
    const shared = place.budget.forRun();
    const host = new WorkerHost(
      (entry) => {
        clock.see(entry);
        mirror.add(entry);
      },
      () => undefined,
      // What the engine asks is what the table keeps (a PooledAsk): its words, id and wait.
      async (request) => void (await store.confirmations.ask(run.runId, request)),
    );
    // The choices given at dispatch (or with the approval) travel in the job row; the engine decides with them (questions.ts).
    const opts: RunOptions = {
      ...runChoicesOf(run.flags),
      // The run's worktree is its place: never a worktree of it (`isolation: worktree` in the
      // config), whose work the result branch, made from this one, would not hold. An amendment
      // saved at its gate waits in the database, holding no worker.
      workspace: path,
      isolation: 'in-place',
      amendmentsWait: true,
      host,
      signal: controller.signal,
      // The model's placement of tasks naming no file is taken, never waited for: the approval given at dispatch (or in
      // the portal, which shows it) is of the spec as placed; tasks.assigned journals it.
      placementShown: true,
      sharedBudget: shared,
      runId: run.runId,
      ...(place.baseURL ? { baseURL: place.baseURL } : {}),
      // The team's runners' record (issue 47): `runner: auto` reads it, the run's end writes it.
      runnerRecord: store.runnerRecord(run.remote),
    };
    let summary: RunSummary | undefined;
    let failure: string | undefined;
    try {
      summary = await clock.time('engine', () => startOrContinue(run, previous, opts, path));
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    await clock.time('waiting for pushes', () => Promise.all([mirror.flush(), place.budget.flush()]));
    // Nothing of a run no longer held goes anywhere (no result branch of a cancelled run): asked once more before its end is pushed.
    if (!lost && !mirror.isLost && !(await store.heartbeat(run.runId, name, place.leaseSec).catch(() => true)))
      await letGo();
    if (lost || mirror.isLost) return cancelled ? 'cancelled' : 'lost';
    // Set aside on a question asked in the portal: it waits there, holding no worker (endOf).
    if (summary?.status === 'cancelled' && !host.parked) {
      await pushWip(place, run, path, deny)
        .then(async (commit) => {
          if (commit) await store.update(run.runId, name, { wipCommit: commit });
        })
        .catch(() => undefined);
      await store.handBack(run.runId, name);
      return 'handed-back';
    }
    host.specId ??= previous.find((entry) => entry.type === 'spec.saved')?.specId as string | undefined;
    const end = await clock.time('result', () =>
      endOf(place, run, path, deny, summary, failure, host, shared.refused, mirror.costUsd),
    );
    await clock.time('finish', () => store.finish(run.runId, name, end));
    // Answered while the run was being set aside: queued again with the answer now.
    if (host.parked) await store.confirmations.continueAnswered(run.runId);
    return 'done';
  } finally {
    clearInterval(heartbeat);
    place.beatNow.delete(run.runId);
    drain.removeEventListener('abort', stop);
    // The run is over (its end is in the database): its slot takes the next run while its worktree goes.
    const cleanup = clock
      .time('cleanup', () => cleanRunPlace(where))
      .catch(() => undefined)
      .then(() => {
        place.say(clock.line(run.runId));
        if (place.cleanups.get(run.runId) === cleanup) place.cleanups.delete(run.runId);
      });
    place.cleanups.set(run.runId, cleanup);
  }
}

/** The worktree at the run's latest pushed state, with its journal as the database holds it. */
async function openWorktree(
  place: WorkerPlace,
  run: PoolRun,
  where: RunPlace,
  previous: readonly MirroredEntry[],
  clock: RunClock,
): Promise<void> {
  const checkpoint = previous.find((entry) => entry.type === 'checkpoint.created');
  await place.cleanups.get(run.runId); // this run's worktree, still being removed after it ended here before
  await clock.time('fetch', () =>
    fetchRefs(place.clone, [
      run.changesRef,
      ...(run.wipCommit ? [poolRefs.wip(run.runId)] : []),
      ...(checkpoint ? [poolRefs.checkpoint(run.runId)] : []),
    ]),
  );
  await clock.time('worktree', () => addRunWorktree(place, run, where, previous));
}

async function addRunWorktree(
  place: WorkerPlace,
  run: PoolRun,
  where: RunPlace,
  previous: readonly MirroredEntry[],
): Promise<void> {
  const path = where.root;
  // A worktree of this run left by a worker killed here (or its record, the folder gone): away first.
  if (existsSync(path) || existsSync(join(place.clone, 'worktrees', basename(path)))) await cleanRunPlace(where);
  await makeRunPlace(where);
  const runs = join(path, RUNS_FOLDER);
  mkdirSync(join(runs, run.runId), { recursive: true });
  writeFileSync(join(runs, '.gitignore'), '*\n');
  if (previous.length > 0)
    writeFileSync(
      join(runs, run.runId, 'events.jsonl'),
      previous.map((entry) => `${JSON.stringify(entry)}\n`).join(''),
    );
  else rmSync(join(runs, run.runId), { recursive: true, force: true });
}

/**
 * A follow-up's earlier runs on its branch (the run it continues, and the runs that one continued):
 * their journals as the database holds them, where the engine reads them (followUpRun, the matrix).
 */
async function writeEarlierJournals(store: PoolStore, path: string, of: string): Promise<void> {
  const events = await store.events(of);
  const started = events.find((entry) => entry.type === 'followup.started');
  const earlier = Array.isArray(started?.runs) ? started.runs.filter((id): id is string => typeof id === 'string') : [];
  for (const runId of [...earlier, of]) {
    if (!/^[\w][\w.-]*$/.test(runId))
      throw new Error(`run ${of} names an earlier run "${runId.slice(0, 80)}" that is not a run id`);
    const entries = runId === of ? events : await store.events(runId);
    mkdirSync(join(path, RUNS_FOLDER, runId), { recursive: true });
    writeFileSync(
      join(path, RUNS_FOLDER, runId, 'events.jsonl'),
      entries.map((entry) => `${JSON.stringify(entry)}\n`).join(''),
    );
  }
}

/**
 * The work tree as a commit (no local ref: its ref is the remote's `refs/orchestrator/wip/<runId>`),
 * on the commit the worktree was made from (openWorktree; the worker never moves its HEAD).
 */
async function snapshot(
  run: PoolRun,
  path: string,
  deny: readonly string[],
  parent = run.wipCommit ?? run.changesCommit,
): Promise<string | undefined> {
  return (await engine.snapshotWorkTree(path, run.runId, undefined, deny, parent))?.commit;
}

/** Pushes the work as it is to `refs/orchestrator/wip/<runId>`; the commit pushed. */
async function pushWip(
  place: WorkerPlace,
  run: PoolRun,
  path: string,
  deny: readonly string[],
): Promise<string | undefined> {
  const commit = await snapshot(run, path, deny);
  if (commit) await pushRefs(place.clone, place.remote, [{ commit, ref: poolRefs.wip(run.runId) }]);
  return commit;
}

/** How the run ends in the database; a completed run's result goes to the remote as `orchestrator/<spec-slug>`. */
async function endOf(
  place: WorkerPlace,
  run: PoolRun,
  path: string,
  deny: readonly string[],
  summary: RunSummary | undefined,
  failure: string | undefined,
  host: WorkerHost,
  refused: boolean,
  costUsd: number,
): Promise<RunEnd> {
  // A completed run's work goes in the same push as its result branch; the database hears of it with the run's end.
  const completed = summary?.status === 'completed';
  // A follow-up's result is one commit on the pull request's head (its base), whichever workers it went through.
  const wipCommit = completed
    ? await snapshot(run, path, deny, run.flags.followUp ? run.changesCommit : undefined)
    : await pushWip(place, run, path, deny);
  const base = { costUsd: summary?.costUsd ?? costUsd, ...(wipCommit ? { wipCommit } : {}) };
  if (!summary) return { ...base, status: 'failed', reason: failure ?? 'the run failed' };
  const specId = host.specId ?? host.spec?.specId ?? run.specId;
  if (summary.status === 'cancelled' && host.parked)
    return { ...base, status: 'awaiting-approval', ...(specId ? { specId } : {}) };
  switch (summary.status) {
    case 'completed': {
      const slug = (specId ?? run.runId).replace(/^\d{4}-\d{2}-\d{2}-/, '');
      const along = [{ commit: wipCommit!, ref: poolRefs.wip(run.runId) }];
      // A follow-up's result is a fast-forward of the branch it continues, or no branch (it moved
      // meanwhile: never `-2` beside a pull request's branch); it stays on the run's wip ref either way.
      const resultBranch = run.flags.followUp
        ? await pushResultBranch(place.clone, place.remote, wipCommit!, slug, along, 1).catch(() => undefined)
        : await pushResultBranch(place.clone, place.remote, wipCommit!, slug, along);
      return {
        ...base,
        status: 'completed',
        ...(resultBranch ? { resultBranch } : {}),
        resultCommit: wipCommit!,
        ...(specId ? { specId } : {}),
      };
    }
    case 'spec-saved':
      return {
        ...base,
        status: 'awaiting-approval',
        ...(specId ? { specId } : {}),
        ...(host.spec ? { spec: { path: relativeTo(path, host.spec.specPath), markdown: host.spec.markdown } } : {}),
      };
    default:
      return {
        ...base,
        status: 'stopped',
        reason: refused ? POOL_BUDGET_LIMIT : (summary.error ?? 'stopped'),
        ...(specId ? { specId } : {}),
      };
  }
}

function relativeTo(root: string, path: string): string {
  return path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path;
}
