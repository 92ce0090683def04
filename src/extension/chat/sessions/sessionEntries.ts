/**
 * Every run of the workspace as an entry of VS Code's agent sessions list: the runs going in
 * this window (in place or in a worktree lane), the pool's runs, and the journals' runs, each
 * once (the live view wins), with its status: in progress, needs input at a gate, completed or
 * failed. Pure: unit-tested without VS Code.
 */
import type { RunInfo } from '../../../core/api';
import type { PoolRunView, RunView } from '../../../shared/viewState';
import { SessionStatus, type SessionStatusValue } from './proposedSessions';

export interface SessionEntry {
  runId: string;
  label: string;
  /** Where it runs and what it is: `feature · worktree lane-1`, `bugfix · pool (worker w1)`. */
  description: string;
  status: SessionStatusValue;
  /** The status in the Orchestrator's words, for the tooltip. */
  detail: string;
  /** ms since the epoch, when known. */
  started?: number;
}

const WAITING = new Set(['awaiting-approval', 'spec-saved', 'queued']);
const DONE = new Set(['completed']);
const GOING = new Set(['running']);

export function sessionStatus(status: string): SessionStatusValue {
  if (WAITING.has(status)) return SessionStatus.NeedsInput;
  if (DONE.has(status)) return SessionStatus.Completed;
  if (GOING.has(status)) return SessionStatus.InProgress;
  return SessionStatus.Failed;
}

const label = (request: string, runId: string) =>
  request.trim() ? (request.length > 80 ? `${request.slice(0, 79)}…` : request) : runId;

export function sessionEntries(
  views: readonly RunView[],
  pool: readonly PoolRunView[],
  journals: readonly RunInfo[],
): SessionEntry[] {
  const seen = new Map<string, SessionEntry>();
  for (const v of views) {
    if (!v.runId || seen.has(v.runId)) continue;
    const status = v.live && v.status !== 'awaiting-approval' ? 'running' : v.status;
    seen.set(v.runId, {
      runId: v.runId,
      label: label(v.request, v.runId),
      description: `${v.kind} · ${v.lane ? `worktree ${v.lane}` : 'local'}`,
      status: sessionStatus(status),
      detail: status,
    });
  }
  for (const p of pool) {
    if (seen.has(p.runId)) continue;
    seen.set(p.runId, {
      runId: p.runId,
      label: label(p.request, p.runId),
      description: `${p.kind} · pool${p.worker ? ` (worker ${p.worker})` : ''}`,
      status: sessionStatus(p.status),
      detail: p.status,
      started: Date.parse(p.updatedAt) || undefined,
    });
  }
  for (const r of journals) {
    if (seen.has(r.runId)) continue;
    // A journal that says `running` with no live run in this window was cut short: it waits for a resume.
    const status = r.status === 'running' ? 'interrupted' : r.status;
    const where = r.worktree ? 'worktree' : 'local';
    seen.set(r.runId, {
      runId: r.runId,
      label: label(r.request, r.runId),
      description: `${r.kind ?? 'run'} · ${where}`,
      status: sessionStatus(status),
      detail: status,
      started: Date.parse(r.started) || undefined,
    });
  }
  return [...seen.values()].sort(
    (a, b) => (b.started ?? Number.MAX_SAFE_INTEGER) - (a.started ?? Number.MAX_SAFE_INTEGER),
  );
}
