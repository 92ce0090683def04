/**
 * A change-set as every host shows it (issue 73): one run with one status per member, producers
 * first, the set's one status, its status on the combined heads, and its one budget with each
 * member's spend. The engine gives it; the CLI, the sidebar, the chat and the portal only style it.
 * Read from disk, so it is live and the same in every process: the set's record (set.json, its parts),
 * each member's runs of its part (their journals: status and cost as they go) and the set's last end
 * (outcome.json: where it stopped and why, and its combined heads), which a later run makes stale.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isProcessAlive, listRuns, loadRunState, type RunInfo } from '../journal';
import { findWorkspaceRoot } from '../project/changeSet';
import type { ChangeSetWorkspace } from '../project/changeSet';
import { loadConfig } from '../project/config';
import type { ChangeSetSummary } from './changeSetRun';
import { readSetRecord, setFolder } from './setSpec';

export type ChangeSetStatus = 'running' | 'spec-saved' | 'completed' | 'stopped';
type CombinedStatus = 'passed' | 'failed' | 'not-checked';

export interface ChangeSetMemberView {
  name: string;
  /** Its part's latest run (`spec-saved`: its part waits for the set's approval); `not-run`: no part yet. */
  status: RunInfo['status'] | 'not-run';
  specId?: string;
  runIds: string[];
  /** Spent by its runs, against the set's one budget. */
  costUsd: number;
  /** Its producers, linked into its checkout by these edges. */
  uses: { producer: string; via: string }[];
  /** Its checks on the combined heads at the set's last end. */
  combined?: CombinedStatus;
  /** Why it stopped the set. */
  reason?: string;
}

export interface ChangeSetView {
  setId: string;
  request: string;
  branch: string;
  /** The set's one spec (absolute). */
  specPath: string;
  status: ChangeSetStatus;
  /** The member that stopped it. */
  stoppedAt?: string;
  /** Every member checked on the combined heads passed, or one failed (at the set's last end). */
  combined?: 'passed' | 'failed';
  /** Producers first. */
  members: ChangeSetMemberView[];
  /** The set's one cap (the members' lowest `limits.maxBudgetUsd`, or the host's override) and what its members spent. */
  budget: { limitUsd?: number; spentUsd: number };
  /** The latest change: its record, a member's run, its end. */
  updated: string;
}

/** What outcome.json keeps of the set's end: what no journal says. */
interface SetOutcome {
  at: string;
  status: ChangeSetStatus;
  stoppedAt?: string;
  budgetUsd: number;
  combined?: 'passed' | 'failed';
  members: { name: string; reason?: string; combined?: CombinedStatus }[];
}

/** Who runs a set now (`.claude/changesets/running.json`): between its members' runs no journal says the set goes on. */
interface RunningMark {
  pid: number;
  started: string;
  /** `approve <setId>`; absent for `feature`, whose set is the one recorded after `started`. */
  setId?: string;
}

/**
 * `feature` or `approve <setId>` in the workspace's folder (the engine's verbs): marked running while
 * it goes, its end kept beside its record as it returns.
 */
export async function runningSet(
  workspace: string,
  setId: string | undefined,
  run: () => Promise<ChangeSetSummary>,
): Promise<ChangeSetSummary> {
  const root = findWorkspaceRoot(workspace) ?? resolve(workspace);
  const mark = join(root, '.claude', 'changesets', 'running.json');
  mkdirSync(dirname(mark), { recursive: true });
  const running: RunningMark = { pid: process.pid, started: new Date().toISOString(), ...(setId ? { setId } : {}) };
  writeFileSync(mark, `${JSON.stringify(running)}\n`);
  try {
    return recordChangeSetEnd(await run());
  } finally {
    rmSync(mark, { force: true });
  }
}

/** Keeps the set's end beside its record; the summary is returned. */
export function recordChangeSetEnd(summary: ChangeSetSummary): ChangeSetSummary {
  const folder = setFolder(dirname(dirname(summary.file)), summary.setId);
  if (!existsSync(folder)) return summary;
  const checked = new Map(summary.combined?.members.map((m) => [m.name, m.status]));
  const outcome: SetOutcome = {
    at: new Date().toISOString(),
    status: summary.status,
    ...(summary.stoppedAt ? { stoppedAt: summary.stoppedAt } : {}),
    budgetUsd: summary.budgetUsd,
    ...(summary.combined ? { combined: summary.combined.passed ? 'passed' : 'failed' } : {}),
    members: summary.members.map((m) => ({
      name: m.name,
      ...(m.reason ? { reason: m.reason } : {}),
      ...(checked.has(m.name) ? { combined: checked.get(m.name)! } : {}),
    })),
  };
  writeFileSync(join(folder, 'outcome.json'), `${JSON.stringify(outcome, null, 2)}\n`);
  return summary;
}

/** The workspace's change-sets, the latest change first. */
export async function readChangeSets(workspace: ChangeSetWorkspace): Promise<ChangeSetView[]> {
  const folder = join(workspace.root, '.claude', 'changesets');
  if (!existsSync(folder)) return [];
  const limitUsd = await budgetOf(workspace);
  const running = readRunning(folder);
  const views: ChangeSetView[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const view = entry.isDirectory() ? setView(workspace, entry.name, limitUsd, running) : undefined;
    if (view) views.push(view);
  }
  return views.sort((a, b) => b.updated.localeCompare(a.updated));
}

function setView(
  workspace: ChangeSetWorkspace,
  setId: string,
  limitUsd: number | undefined,
  running: RunningMark | undefined,
): ChangeSetView | undefined {
  const record = readSetRecord(workspace.root, setId);
  if (!record) return undefined;
  const folder = setFolder(workspace.root, setId);
  let updated = statSync(join(folder, 'set.json')).mtime.toISOString();
  const members = workspace.members.map((m): ChangeSetMemberView => {
    const specId = record.parts.find((p) => p.member === m.name)?.specId;
    const runs = m.path && specId ? partRuns(m.path, specId) : [];
    for (const run of runs) if (run.started > updated) updated = run.started;
    return {
      name: m.name,
      status: runs.at(-1)?.status ?? 'not-run',
      ...(specId ? { specId } : {}),
      runIds: runs.map((r) => r.runId),
      costUsd: runs.reduce((sum, r) => sum + costOf(m.path!, r.runId), 0),
      uses: workspace.uses.filter((u) => u.consumer === m.name).map((u) => ({ producer: u.producer, via: u.via })),
    };
  });
  const view: ChangeSetView = {
    setId,
    request: record.request,
    branch: record.branch,
    specPath: join(folder, 'spec.md'),
    status: statusOf(members),
    members,
    budget: { ...(limitUsd !== undefined ? { limitUsd } : {}), spentUsd: members.reduce((s, m) => s + m.costUsd, 0) },
    updated,
  };
  // Between two members' runs (linking, the combined check) only the process running the set says it goes on.
  if (running && (running.setId ? running.setId === setId : running.started <= updated)) view.status = 'running';
  const outcome = readOutcome(folder);
  // A run started after the set's end (`approve <setId>` again) makes that end stale: the journals say more.
  if (!outcome || outcome.at < updated || view.status === 'running') return view;
  for (const said of outcome.members) {
    const member = members.find((m) => m.name === said.name);
    if (said.reason && member) member.reason = said.reason;
    if (said.combined && member) member.combined = said.combined;
  }
  return {
    ...view,
    status: outcome.status,
    ...(outcome.stoppedAt ? { stoppedAt: outcome.stoppedAt } : {}),
    ...(outcome.combined ? { combined: outcome.combined } : {}),
    budget: { ...view.budget, limitUsd: outcome.budgetUsd },
    updated: outcome.at,
  };
}

/** The runs of a member's part, oldest first: the one that wrote it, those that implemented it. */
function partRuns(path: string, specId: string): RunInfo[] {
  return listRuns(path)
    .filter((r) => r.specId === specId)
    .sort((a, b) => a.started.localeCompare(b.started));
}

function costOf(path: string, runId: string): number {
  try {
    return loadRunState(path, runId).costUsd;
  } catch {
    return 0;
  }
}

/** The set's status as its members' runs say it, before (or without) its end's record. */
function statusOf(members: readonly ChangeSetMemberView[]): ChangeSetStatus {
  if (members.some((m) => m.status === 'running')) return 'running';
  if (members.every((m) => m.status === 'completed')) return 'completed';
  if (members.every((m) => m.status === 'spec-saved')) return 'spec-saved';
  return 'stopped';
}

/** The set's cap as `feature` there would set it: the members' lowest; undefined when a config cannot be read. */
async function budgetOf(workspace: ChangeSetWorkspace): Promise<number | undefined> {
  try {
    const caps = await Promise.all(
      workspace.members
        .filter((m) => m.path && m.configured)
        .map(async (m) => (await loadConfig(m.path!)).limits.maxBudgetUsd),
    );
    return caps.length ? Math.min(...caps) : undefined;
  } catch {
    return undefined;
  }
}

/** The process running a set of this workspace, while it lives (a killed one's mark is stale). */
function readRunning(folder: string): RunningMark | undefined {
  try {
    const mark = JSON.parse(readFileSync(join(folder, 'running.json'), 'utf8')) as RunningMark;
    return isProcessAlive(mark.pid) ? mark : undefined;
  } catch {
    return undefined;
  }
}

function readOutcome(folder: string): SetOutcome | undefined {
  try {
    return JSON.parse(readFileSync(join(folder, 'outcome.json'), 'utf8')) as SetOutcome;
  } catch {
    return undefined;
  }
}
