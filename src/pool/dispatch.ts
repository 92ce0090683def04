/**
 * `feature|bugfix|audit|approve … --pool`: the run goes to the pool instead of running here.
 * The user's checkout is snapshotted as it is (uncommitted and untracked files; never denied
 * files or the journals; `fromHead`: its HEAD alone), pushed to `refs/orchestrator/base/<runId>` on the team's remote, and
 * the request stored in the database with its base commit; any free worker takes it.
 */
import { userInfo } from 'node:os';
import { engine, loadConfig, newRunId } from '../core/engineBundle';
import { fetchFrom, hasCommit, headCommit, pushRef, remoteKey, remoteUrl, topLevelOf } from './poolGit';
import { PoolStore } from './poolStore';
import { poolSettings } from './settings';
import { labelsFor, poolRefs, type JobChoices, type PoolFollowUp, type PoolKind, type PoolRun } from './types';

export interface DispatchInput {
  kind: PoolKind;
  request: string;
  specId?: string;
  flags: JobChoices;
  labels: string[];
  /**
   * Start from the repository's committed HEAD only, never the checkout's uncommitted files: a run
   * from a GitHub issue is the issue's, not whatever the serving checkout holds at the moment.
   */
  fromHead?: boolean;
}

export async function dispatchToPool(workspace: string, input: DispatchInput): Promise<PoolRun> {
  const config = await loadConfig(workspace);
  const settings = poolSettings(config);
  const top = await topLevelOf(workspace).catch(() => {
    throw new Error(`--pool needs a git repository, and ${workspace} is not in one`);
  });
  const remote = await remoteUrl(top, config.pool.remote);
  const runId = newRunId();
  const baseCommit = await headCommit(top).catch(() => {
    throw new Error('--pool needs a commit to start from: this repository has none yet');
  });
  const ref = poolRefs.base(runId);
  const snapshot = input.fromHead
    ? { commit: baseCommit }
    : await engine.snapshotWorkTree(top, runId, ref, [...config.privacy.deny, '.claude/runs']);
  if (!snapshot) throw new Error(`--pool needs a git repository at ${top}`);
  await pushRef(top, remote, snapshot.commit, ref);
  const store = await PoolStore.open(settings.url, 1);
  try {
    return await store.dispatch({
      runId,
      kind: input.kind,
      request: input.request,
      ...(input.specId ? { specId: input.specId } : {}),
      remote: remoteKey(remote),
      baseCommit,
      changesRef: ref,
      changesCommit: snapshot.commit,
      flags: input.flags,
      // A run on a CLI agent asks for a worker that has it (`runner:<name>`, advertised by workers that found the CLI).
      labels: labelsFor(input.labels, runnersOf(config, input.flags.runner)),
      requestedBy: requester(),
    });
  } finally {
    await store.close();
  }
}

/**
 * A follow-up of a completed pooled run (issue 39: a CI failure or a change request on its pull
 * request), for any free worker: from `base` (the pull request's head: the run's result, kept on the
 * team's remote as its wip ref, fetched here when this checkout lacks it), with the run's kind,
 * request, spec, labels and flags (never an approval: an amendment waits at the gate).
 */
export async function dispatchFollowUp(
  workspace: string,
  input: { runId?: string; followUp: PoolFollowUp; base: string },
): Promise<PoolRun> {
  const config = await loadConfig(workspace);
  const top = await topLevelOf(workspace);
  const remote = await remoteUrl(top, config.pool.remote);
  const store = await PoolStore.open(poolSettings(config).url, 1);
  try {
    const of = await store.get(input.followUp.of);
    if (of?.status !== 'completed') throw new Error(`run ${input.followUp.of} is not a completed run of the pool`);
    if (!(await hasCommit(top, input.base)))
      await fetchFrom(top, remote, [`${poolRefs.wip(of.runId)}:refs/orchestrator/pool/${of.runId}/result`]);
    const runId = input.runId ?? newRunId();
    const ref = poolRefs.base(runId);
    await pushRef(top, remote, input.base, ref);
    const { runner, attempts, workflow, overrides, allowUntested } = of.flags;
    const flags: JobChoices = {
      ...(runner ? { runner } : {}),
      ...(attempts !== undefined ? { attempts } : {}),
      ...(workflow ? { workflow } : {}),
      ...(overrides ? { overrides } : {}),
      ...(allowUntested ? { allowUntested } : {}),
      followUp: input.followUp,
    };
    return await store.dispatch({
      runId,
      kind: of.kind,
      request: of.request,
      ...(of.specId ? { specId: of.specId } : {}),
      remote: of.remote,
      baseCommit: input.base,
      changesRef: ref,
      changesCommit: input.base,
      flags,
      labels: of.labels,
      requestedBy: requester(),
    });
  } finally {
    await store.close();
  }
}

/**
 * The runners the run will use, as the config it travels with says: `--runner` (else each
 * layer's `layers.<name>.runner`) for the layers, `runners.<role>` for spec, review, diagnose and
 * audit. A workflow's own role runners are not counted (the workflow is read on the worker).
 */
function runnersOf(config: Awaited<ReturnType<typeof loadConfig>>, runner: string | undefined): string[] {
  const layers = runner
    ? [runner]
    : Object.values(config.layers).flatMap((layer) => (layer.runner ? [layer.runner] : []));
  return [
    ...layers,
    ...Object.values(config.runners).filter((name): name is NonNullable<typeof name> => name !== undefined),
  ];
}

function requester(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
