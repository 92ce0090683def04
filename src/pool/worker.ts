/**
 * `orchestrator worker`: joins the pool. It claims runs from the database whenever a run is
 * queued (LISTEN/NOTIFY wakes it) and, every third of the lease, looks for runs whose worker's
 * lease lapsed; it runs up to `--max-runs` at once, each in its own worktree of the worker's
 * clone. SIGTERM drains: no new claim, each run it holds is stopped, its work pushed and the run
 * handed back for another worker to resume; then it exits.
 */
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { engine, loadConfig, readyPooledClone } from '../core/engineBundle';
import { remoteKey, remoteUrl } from './poolGit';
import { PoolStore } from './poolStore';
import { runPooled, type WorkerPlace } from './runPooled';
import { TeamBudget } from './teamBudget';
import { defaultPoolRoot, poolSettings } from './settings';
import { runnerLabel } from './types';

export interface WorkerOptions {
  workspace: string;
  maxRuns: number;
  labels: string[];
  name?: string;
  /** Stops the worker: it drains, then `runWorker` settles. */
  signal: AbortSignal;
  baseURL?: string;
  say(line: string): void;
}

/** The pool's worker; settles after a drain. */
export async function runWorker(options: WorkerOptions): Promise<void> {
  const workspace = resolve(options.workspace);
  const config = await loadConfig(workspace);
  const settings = poolSettings(config);
  const name = options.name ?? `${hostname()}/${process.pid}`;
  const remote = await remoteUrl(workspace, config.pool.remote);
  const root = config.pool.dir ? resolve(workspace, config.pool.dir) : defaultPoolRoot();
  const folder = join(root, `${createHash('sha256').update(`${workspace}\0${remote}`).digest('hex').slice(0, 12)}`);
  const clone = join(folder, 'clone.git');
  // The clone and the database are independent: both at once. A failing clone is reported first, as before.
  const [opened, cloned] = await Promise.allSettled([PoolStore.open(settings.url), readyPooledClone(clone, remote)]);
  if (cloned.status === 'rejected') {
    if (opened.status === 'fulfilled') await opened.value.close();
    throw cloned.reason;
  }
  if (opened.status === 'rejected') throw opened.reason;
  const store = opened.value;
  // The runners it has: a run on a CLI agent (`--runner claude-code --pool`) requires its label, so
  // it waits for a worker that found that CLI here rather than failing on one without it. Looking
  // for them does not hold the first claims: until it ends, this worker takes no run on a CLI agent.
  let labels = [...options.labels];
  const budget = new TeamBudget(store, config.limits.poolBudgetUsdPerDay, options.say);
  const place: WorkerPlace = {
    name,
    store,
    budget,
    clone,
    runsDir: join(folder, 'runs'),
    remote,
    workspace,
    link: config.worktree.link,
    leaseSec: settings.leaseSec,
    cleanups: new Map(),
    beatNow: new Map(),
    ...(options.baseURL ? { baseURL: options.baseURL } : {}),
    say: options.say,
  };
  const repository = remoteKey(remote);
  const active = new Map<string, Promise<void>>();
  let claiming = false;
  let again = false;
  const claim = async (): Promise<void> => {
    if (claiming) {
      again = true;
      return;
    }
    claiming = true;
    try {
      do {
        again = false;
        while (!options.signal.aborted && active.size < options.maxRuns) {
          const run = await store
            .claim(name, labels, settings.leaseSec, {
              repository,
              budgetUsdPerDay: config.limits.poolBudgetUsdPerDay,
              maxConcurrentRuns: config.limits.poolMaxConcurrentRuns,
            })
            .catch((error: unknown) => {
              options.say(`worker ${name}: cannot claim (${(error as Error).message}); trying again`);
              return undefined;
            });
          if (!run) break;
          if (run.status === 'stopped') {
            options.say(`run ${run.runId}: not started: ${run.reason}`);
            continue;
          }
          options.say(
            `worker ${name}: took run ${run.runId} (${run.kind}${run.attempts > 1 ? `, resumed: attempt ${run.attempts}` : ''})`,
          );
          const going = runPooled(place, run, options.signal)
            .then(
              (end) => options.say(`worker ${name}: run ${run.runId} ${end === 'done' ? 'ended' : end}`),
              (error: unknown) =>
                options.say(`worker ${name}: run ${run.runId} failed here: ${(error as Error).message}`),
            )
            .finally(() => {
              active.delete(run.runId);
              void claim();
            });
          active.set(run.runId, going);
        }
      } while (again && !options.signal.aborted);
    } finally {
      claiming = false;
    }
  };
  const stopWatching = await store.watch(
    (change) => {
      if (change.status === 'queued') void claim();
      if (change.status === 'stopped') place.beatNow.get(change.runId)?.();
    },
    () => void claim(),
  );
  // Questions past their wait stop their runs (any worker may: the statement takes each once).
  const expire = () =>
    void store.confirmations.expire().then(
      (stopped) => stopped.forEach(({ runId, reason }) => options.say(`run ${runId}: stopped: ${reason}`)),
      () => undefined,
    );
  const poll = setInterval(() => (expire(), void claim()), (settings.leaseSec * 1000) / 3);
  options.say(
    `worker ${name}: joined the pool at ${settings.shownUrl} (remote ${remote}; up to ${options.maxRuns} run(s)${labels.length ? `; labels ${labels.join(', ')}` : ''})`,
  );
  const detecting = cliRunnerLabels(workspace, options.say).then((found) => {
    const added = found.filter((label) => !labels.includes(label));
    if (added.length === 0) return;
    labels = [...labels, ...added];
    options.say(`worker ${name}: labels ${added.join(', ')} (the CLI agents found here)`);
    void claim();
  });
  expire();
  await claim();
  await new Promise<void>((done) =>
    options.signal.aborted ? done() : options.signal.addEventListener('abort', () => done(), { once: true }),
  );
  options.say(`worker ${name}: draining ${active.size} run(s)`);
  clearInterval(poll);
  await stopWatching();
  await Promise.all([detecting, ...active.values()]);
  await Promise.all(place.cleanups.values());
  await store.close();
  options.say(`worker ${name}: stopped`);
}

/**
 * `runner:<name>` for each CLI agent this machine has, as `orchestrator runners` finds it (the
 * checkout's `agentCli.<r>.command`, else its usual name on PATH): installed, not too old, with a
 * runner in this version, and not known to be signed out. Detected once, at start.
 */
async function cliRunnerLabels(workspace: string, say: (line: string) => void): Promise<string[]> {
  const agents = await engine.cliAgents(workspace, { trusted: true }).catch((error: unknown) => {
    say(`worker: cannot look for CLI agents (${(error as Error).message}); taking no run on one`);
    return [];
  });
  return agents
    .filter((cli) => cli.installed && !cli.tooOld && cli.available && cli.signedIn !== false)
    .map((cli) => runnerLabel(cli.runner));
}
