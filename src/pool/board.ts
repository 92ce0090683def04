/**
 * The pool as the live views show it (the VS Code sidebar, the portal's Pool page): its runs and
 * the team's spend today against `limits.poolBudgetUsdPerDay`, read on one store kept open, and
 * re-read when the database announces a change (LISTEN/NOTIFY, as `runs --pool --watch`): no polling.
 */
import type { RunInfo } from '../core/api';
import * as engine from '../core/engineBundle';
import type { EngineEvent } from '../core/events';
import { githubLinkOf, withGithubLink, type GithubLinkView } from '../shared/githubLinks';
import { PoolStore, type MirroredEntry } from './poolStore';
import { poolSettings } from './settings';
import { boardRunOf, type PoolBoard, type PoolChange, type PoolRun } from './types';

/** Finished runs shown besides every run still going (the most recently ended). */
export const BOARD_FINISHED = 50;

export interface PoolFollower {
  /** The runs and today's spend, as the database holds them now. */
  board(): Promise<PoolBoard>;
  /** A pooled spec at the gate approved by `by`: its run queued again for any free worker (undefined: none waits with it). */
  approve(specId: string, by: string): Promise<PoolRun | undefined>;
  /** A run still going stopped (`reason`: who stopped it; its worker stops its agents): what it was, or undefined when it had ended. */
  cancel(runId: string, reason: string): Promise<{ was: PoolRun['status']; run: PoolRun } | undefined>;
  /** A run's journal as its workers mirrored it, with the run as a run list lists it; undefined when the pool has no such run. */
  journal(runId: string): Promise<{ info: RunInfo; events: EngineEvent[] } | undefined>;
  /** One page of it (the portal's): the `limit` entries before seq `before` (the newest when undefined), in order; undefined when the pool has no such run. */
  journalPage(runId: string, page: { before?: number; limit: number }): Promise<MirroredEntry[] | undefined>;
  /** Its proof's and its attempts' entries (`proof.*`, the latest matrix, `attempt.*`), in order; undefined when the pool has no such run. */
  pageEntries(runId: string): Promise<MirroredEntry[] | undefined>;
  close(): Promise<void>;
}

/**
 * Opens the workspace's pool for a live view. `changed` is told of each change any process makes
 * (a budget charge too: the spend moved), and after the database came back from an outage (re-read then).
 */
export async function followPool(
  workspace: string,
  changed: (change: PoolChange | undefined) => void,
): Promise<PoolFollower> {
  const config = await engine.loadConfig(workspace);
  const store = await PoolStore.open(poolSettings(config).url, 2);
  let stop: () => Promise<void>;
  try {
    stop = await store.watch(
      (change) => changed(change),
      () => changed(undefined),
    );
  } catch (error) {
    await store.close();
    throw error;
  }
  const { poolBudgetUsdPerDay, poolMaxConcurrentRuns } = config.limits;
  return {
    async board() {
      const [runs, spend] = await Promise.all([store.board(BOARD_FINISHED), store.spendToday()]);
      const github = await store.githubEntries(runs.map((run) => run.runId));
      return {
        runs: runs.map((run) => boardRunOf(run, linksOf(github.get(run.runId) ?? []))),
        day: spend.day,
        spentTodayUsd: Math.round(spend.spentUsd * 1e6) / 1e6,
        requestsToday: spend.requests,
        budgetUsdPerDay: poolBudgetUsdPerDay ?? null,
        maxConcurrentRuns: poolMaxConcurrentRuns ?? null,
      };
    },
    approve: (specId, by) => store.approve(specId, { by }),
    cancel: (runId, reason) => store.cancel(runId, reason),
    async journal(runId) {
      const run = await store.get(runId);
      return run && { info: pooledRunInfo(run), events: (await store.events(runId)) as unknown as EngineEvent[] };
    },
    journalPage: async (runId, page) =>
      (await store.get(runId)) ? store.eventsBefore(runId, page.before, page.limit) : undefined,
    pageEntries: async (runId) => ((await store.get(runId)) ? store.pageEntries(runId) : undefined),
    async close() {
      await stop().catch(() => undefined);
      await store.close();
    },
  };
}

/** A pooled run as a run list lists a local one: `running` while the pool still has it going (its journal is followed, never resumed here). */
export function pooledRunInfo(run: PoolRun): RunInfo {
  const going = run.status === 'queued' || run.status === 'running' || run.status === 'awaiting-approval';
  return {
    runId: run.runId,
    kind: run.kind === 'approve' ? 'feature' : run.kind,
    request: run.request,
    started: run.createdAt,
    status: going ? 'running' : run.status === 'completed' ? 'completed' : 'stopped',
    ...(run.specId ? { specId: run.specId } : {}),
    ...(run.flags.workflow ? { workflow: run.flags.workflow } : {}),
  };
}

/** A run from a GitHub issue: the links its `github.*` entries name (none for another run). */
function linksOf(entries: readonly MirroredEntry[]): GithubLinkView[] {
  return entries.reduce<GithubLinkView[]>((links, entry) => {
    const link = githubLinkOf(engine.meaningOf(entry as unknown as EngineEvent).github);
    return link ? withGithubLink(links, link) : links;
  }, []);
}
