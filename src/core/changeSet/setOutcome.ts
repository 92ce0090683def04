/**
 * A change-set's outcome (issue 73): each member's figures and the set's summary, as `--json` and the
 * hosts show them, and the helpers the set's two steps (its parts written, then implemented) share.
 */
import type { RunOptions, RunStatus, RunSummary } from '../api';
import type { CombinedReport } from '../combined';
import type { ChangeSetWorkspace, WorkspaceMember } from '../project/changeSet';
import type { OrchestratorConfig } from '../project/config';
import type { MemberLink } from './memberLinks';
import type { SetBudget } from './setBudget';
import type { SetRecord } from './setSpec';

export interface ChangeSetMember {
  name: string;
  path: string;
  /** Its run's end; `not-run`: the set stopped before it. */
  status: RunStatus | 'not-run';
  specId?: string;
  /** Its runs: the one that wrote its part, the one that implemented it. */
  runIds: string[];
  /** Spent by its runs, against the set's one budget. */
  costUsd: number;
  filesChanged: string[];
  /** Its part committed on the set's branch (what its runs changed, its spec), once it passed on the combined heads. */
  commit?: string;
  /** Its producers' changed heads, linked in before its run. */
  linked: MemberLink[];
  /** Why it did not complete (a run's error, a link step that failed), or was not checked on the combined heads. */
  reason?: string;
  /** How long its run waited for its producers' work before its checks (its agents worked meanwhile). */
  waitedSec: number;
  /** Its run's report when it stopped: the failing tests and criteria. */
  report?: string;
}

export interface ChangeSetSummary {
  setId: string;
  /** The workspace file. */
  file: string;
  /** The set's one spec (absolute). */
  specPath: string;
  branch: string;
  /** `spec-saved`: waiting for `approve <setId>`; `stopped`: a member's run did not complete, or its checks failed on the combined heads. */
  status: 'completed' | 'spec-saved' | 'stopped';
  /** Producers first. */
  members: ChangeSetMember[];
  costUsd: number;
  budgetUsd: number;
  /** The member whose run (or link step) stopped the set. */
  stoppedAt?: string;
  /** Each member's checks on the combined heads, run after its run with its producers' changed heads linked in. */
  combined?: CombinedReport;
}

export interface SetPlace {
  root: string;
  workspace: ChangeSetWorkspace;
  members: (WorkspaceMember & { path: string; config: OrchestratorConfig })[];
  budget: SetBudget;
}

/** Why a member stopped the set: its index, the reason, its run's summary (its report). */
export interface Stop {
  at: number;
  reason: string;
  summary?: RunSummary;
}

/** Waits for every one; the first that threw is thrown once all have ended (none left running behind the error). */
export async function settledAll(all: readonly Promise<unknown>[]): Promise<void> {
  const failed = (await Promise.allSettled(all)).find((r) => r.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
}

/** A member's run: in its own checkout, in place (its producers' heads are linked there), against the set's budget. */
export function memberOptions(
  opts: RunOptions,
  path: string,
  budget: SetBudget,
  extra: Partial<RunOptions>,
): RunOptions {
  const { runId: _ignored, ...rest } = opts;
  return { ...rest, workspace: path, isolation: 'in-place', sharedBudget: budget, ...extra };
}

export const newMember = (name: string, path: string): ChangeSetMember => ({
  name,
  path,
  status: 'not-run',
  runIds: [],
  costUsd: 0,
  filesChanged: [],
  linked: [],
  waitedSec: 0,
});

export function tally(member: ChangeSetMember, summary: RunSummary): void {
  member.status = summary.status;
  member.runIds.push(summary.runId);
  member.costUsd += summary.costUsd;
  member.filesChanged = [...new Set([...member.filesChanged, ...summary.filesChanged])];
}

/** Each stopped member's reason and report; the set stopped at the first of them, producers first (a consumer's stop is often its producer's). */
export function stopped(
  place: SetPlace,
  record: SetRecord,
  members: ChangeSetMember[],
  specPath: string,
  stops: readonly Stop[],
): ChangeSetSummary {
  for (const stop of stops) {
    const member = members[stop.at]!;
    member.reason = stop.reason;
    if (stop.summary?.report) member.report = stop.summary.report;
  }
  const first = Math.min(...stops.map((s) => s.at));
  return { ...summaryOf(place, record, members, specPath, 'stopped'), stoppedAt: members[first]!.name };
}

export function summaryOf(
  place: SetPlace,
  record: SetRecord,
  members: ChangeSetMember[],
  specPath: string,
  status: ChangeSetSummary['status'],
): ChangeSetSummary {
  return {
    setId: record.setId,
    file: place.workspace.file,
    specPath,
    branch: record.branch,
    status,
    members,
    costUsd: members.reduce((sum, m) => sum + m.costUsd, 0),
    budgetUsd: place.budget.limitUsd,
  };
}

export const say = (opts: RunOptions, message: string) => opts.host.onEvent({ type: 'log', level: 'info', message });
