/**
 * What the chat (`/status`) and the `orchestrator_runStatus` / `orchestrator_verifySpec` tools
 * report: the runs of this window as the sidebar's view model has them (the in-place run and the
 * worktree lanes), else the workspace's journals; a completed spec's drift. Plain data first
 * (the tools return it as JSON), then rendered with every untrusted text escaped.
 */
import * as vscode from 'vscode';
import type { Services } from '../services';
import type { RunView } from '../../shared/viewState';
import type { ChatOut } from './chatStream';
import { codeSpan, escapeInline } from './markdown';
import { GATE_BUTTONS } from './runRenderer';

export interface RunStatusData {
  runId?: string;
  kind?: string;
  request: string;
  status: string;
  live: boolean;
  phase?: string;
  specId?: string;
  lane?: string;
  costUsd?: number;
  filesChanged?: string[];
  error?: string;
  /** The gate waiting for a human on this run: approve it in the chat, the sidebar, the portal or the CLI. */
  awaitingDecision?: { specId: string; phase?: string };
}

function fromView(s: Services, run: RunView): RunStatusData {
  const pending = s.decisions.pending;
  const waits = pending && run.live && (run.status === 'awaiting-approval' || run.workflow !== undefined) && (run.specId === undefined || run.specId === pending.specId);
  return {
    ...(run.runId ? { runId: run.runId } : {}),
    kind: run.kind,
    request: run.request,
    status: run.status,
    live: run.live,
    ...(run.phase ? { phase: run.phase } : {}),
    ...(run.specId ? { specId: run.specId } : {}),
    ...(run.lane ? { lane: run.lane } : {}),
    costUsd: run.costUsd,
    filesChanged: [...run.filesChanged],
    ...(run.error ? { error: run.error } : {}),
    ...(waits ? { awaitingDecision: { specId: pending.specId, ...(pending.phase !== undefined ? { phase: pending.phase } : {}) } } : {}),
  };
}

/** One run (by id), else the runs going in this window, else the latest in the workspace's journals. */
export async function runStatusData(s: Services, workspace: string, runId?: string): Promise<RunStatusData[]> {
  const views = [s.store.state.run, ...(s.store.state.lanes ?? [])].filter((r): r is RunView => r !== undefined);
  const shown = views.filter((r) => (runId ? r.runId === runId : r.live));
  if (shown.length > 0) return shown.map((r) => fromView(s, r));
  const runs = (await s.engine.listRuns(workspace)).sort((a, b) => b.started.localeCompare(a.started));
  const picked = runId ? runs.filter((r) => r.runId === runId) : runs.slice(0, 1);
  return picked.map((r) => ({ runId: r.runId, ...(r.kind ? { kind: r.kind } : {}), request: r.request, status: r.status, live: false, ...(r.specId ? { specId: r.specId } : {}) }));
}

const STATUS_WORDS: Record<string, string> = { 'awaiting-approval': 'needs your decision', running: 'in progress', 'spec-saved': 'spec saved', interrupted: 'interrupted (resume it)' };

/** `/status`: the runs, a waiting gate with its buttons, what to do next. */
export async function chatReport(s: Services, out: ChatOut, workspace: string, runId?: string): Promise<{ next: 'approve' | 'resume' | 'verify'; specId?: string; runId?: string } | void> {
  const runs = await runStatusData(s, workspace, runId);
  if (runs.length === 0) return void out.markdown(runId ? `No run ${codeSpan(runId)} in this workspace.` : 'No run yet in this workspace: start one with `/feature <request>`.');
  for (const r of runs) {
    const cost = r.costUsd ? ` · $${r.costUsd.toFixed(4)}` : '';
    out.markdown(`- **${escapeInline(r.request, 120) || r.runId || 'run'}** (${r.kind ?? 'run'}${r.lane ? `, worktree ${r.lane}` : ''}): ${STATUS_WORDS[r.status] ?? r.status}${r.phase && r.live ? `, phase ${escapeInline(r.phase, 40)}` : ''}${cost}${r.runId ? ` · ${codeSpan(r.runId)}` : ''}\n`);
    if (r.error) out.markdown(`  ${escapeInline(r.error)}\n`);
  }
  const waiting = runs.find((r) => r.awaitingDecision)?.awaitingDecision;
  if (waiting) {
    out.markdown(`\nSpec ${codeSpan(waiting.specId)} waits for your decision:\n\n`);
    const args = waiting.phase === undefined ? [waiting.specId] : [waiting.specId, waiting.phase];
    for (const b of GATE_BUTTONS) out.button(b.title, b.command, args);
    return;
  }
  const last = runs[0]!;
  const ids = { ...(last.runId ? { runId: last.runId } : {}), ...(last.specId ? { specId: last.specId } : {}) };
  if (last.live) return;
  if (last.status === 'spec-saved') return { next: 'approve', ...ids };
  if (last.status === 'completed') return { next: 'verify', ...ids };
  if (['stopped', 'failed', 'interrupted', 'cancelled'].includes(last.status)) return { next: 'resume', ...ids };
}

export interface DriftData {
  specId: string;
  title: string;
  status: string;
  counts: Record<string, number>;
  requirements: { requirement: string; title: string; status: string; evidence: string[] }[];
  warnings: string[];
}

/** A completed spec against today's code (read-only; checks run only in a trusted workspace). */
export async function verifyData(s: Services, workspace: string, specId: string): Promise<DriftData> {
  const report = await s.engine.verifySpecs(workspace, [specId], { trusted: vscode.workspace.isTrusted });
  const spec = report.specs[0];
  if (!spec) throw new Error(`no completed spec ${specId}`);
  return {
    specId: spec.specId,
    title: spec.title,
    status: spec.status,
    counts: spec.counts,
    requirements: spec.requirements.map((r) => ({ requirement: r.requirement, title: r.title, status: r.status, evidence: r.evidence.slice(0, 10) })),
    warnings: spec.warnings,
  };
}

export async function verifyReport(s: Services, out: ChatOut, workspace: string, specId: string): Promise<void> {
  out.progress(`Verifying ${specId} against today's code`);
  const drift = await verifyData(s, workspace, specId);
  out.markdown(`**${escapeInline(drift.title, 120)}** (${codeSpan(drift.specId)}): ${drift.status}\n\n`);
  for (const r of drift.requirements) out.markdown(`- ${escapeInline(r.requirement, 40)} ${escapeInline(r.title, 120)}: ${r.status}${r.evidence[0] ? ` (${escapeInline(r.evidence[0], 200)})` : ''}\n`);
  for (const w of drift.warnings) out.markdown(`- warning: ${escapeInline(w)}\n`);
}
