/**
 * What the chat (`/status`) and the `orchestrator_runStatus` / `orchestrator_verifySpec` tools
 * report: the runs (runStatusData.ts: this window's, the journals', the pool's); a completed
 * spec's drift. Plain data first (the tools return it as JSON), then rendered with every
 * untrusted text escaped.
 */
import * as vscode from 'vscode';
import type { SpecDrift } from '../../core/drift';
import { engineErrorLine, strengthWords } from '../../core/text/proofWords';
import type { Services } from '../services';
import { changeSetMarkdown } from './chatChangeSets';
import type { ChatOut } from './chatStream';
import { codeSpan, escapeInline } from './markdown';
import { GATE_BUTTONS } from './runRenderer';
import { proofMarkdown } from './runReport';
import { runStatusData, type RunStatusAnswer, type RunStatusData } from './runStatusData';

/** The runs `/status` and `orchestrator_runStatus` report; the pool is read only in a trusted workspace. */
export const runStatus = (s: Services, workspace: string, runId?: string): Promise<RunStatusAnswer> =>
  runStatusData(s, workspace, runId, vscode.workspace.isTrusted);

const STATUS_WORDS: Record<string, string> = {
  'awaiting-approval': 'needs your decision',
  running: 'in progress',
  'spec-saved': 'spec saved',
  interrupted: 'interrupted (resume it)',
};

/** Where a run goes: `feature, worktree lane-1`, `bugfix, pool on build-7`. */
function where(r: RunStatusData): string {
  if (r.dispatch === 'pool') return `${r.kind ?? 'run'}, pool${r.worker ? ` on ${escapeInline(r.worker, 60)}` : ''}`;
  return `${r.kind ?? 'run'}${r.lane ? `, worktree ${r.lane}` : ''}`;
}

/** `/status`: the runs (here and in the pool), a waiting gate with its buttons, what to do next. */
export async function chatReport(
  s: Services,
  out: ChatOut,
  workspace: string,
  runId?: string,
): Promise<{ next: 'approve' | 'resume' | 'verify'; specId?: string; runId?: string } | void> {
  const { runs, poolError, changeSets, changeSetError } = await runStatus(s, workspace, runId);
  if (poolError) out.markdown(`The pool could not be read: ${escapeInline(poolError)}\n\n`);
  if (changeSetError) out.markdown(`The change-sets could not be read: ${escapeInline(changeSetError)}\n\n`);
  if (changeSets) out.markdown(`${changeSetMarkdown(changeSets)}\n`);
  if (runs.length === 0 && changeSets) return;
  if (runs.length === 0)
    return void out.markdown(
      runId
        ? `No run ${codeSpan(runId)} in this workspace.`
        : 'No run yet in this workspace: start one with `/feature <request>`.',
    );
  for (const r of runs) {
    const cost = r.costUsd ? ` · $${r.costUsd.toFixed(4)}` : '';
    const phase =
      r.phase && r.live
        ? `, phase ${escapeInline(r.phase, 40)}${r.wave ? ` · wave ${escapeInline(r.wave, 20)}` : ''}`
        : '';
    out.markdown(
      `- **${escapeInline(r.request, 120) || r.runId || 'run'}** (${where(r)}): ${STATUS_WORDS[r.status] ?? r.status}${phase}${cost}${r.runId ? ` · ${codeSpan(r.runId)}` : ''}\n`,
    );
    if (r.error) out.markdown(`  ${escapeInline(r.error)}\n`);
    if (r.proof?.length) out.markdown(`  ${proofMarkdown(r.proof)}\n`);
  }
  const pooledWait = runs.find((r) => r.dispatch === 'pool' && r.awaitingDecision)?.awaitingDecision;
  // A pooled run's gate is decided where the pool is (no run here waits on the chat's buttons).
  if (pooledWait)
    out.markdown(
      `\nPooled spec ${codeSpan(pooledWait.specId)} waits for a person${pooledWait.phase ? ` at ${escapeInline(pooledWait.phase, 40)}` : ''}: approve it in the sidebar's Pool section, the portal or with ${codeSpan(`orchestrator approve ${pooledWait.specId}`)}.\n`,
    );
  const here = runs.filter((r) => r.dispatch !== 'pool');
  const waiting = here.find((r) => r.awaitingDecision)?.awaitingDecision;
  if (waiting) {
    out.markdown(`\nSpec ${codeSpan(waiting.specId)} waits for your decision:\n\n`);
    const args = waiting.phase === undefined ? [waiting.specId] : [waiting.specId, waiting.phase];
    for (const b of GATE_BUTTONS) out.button(b.title, b.command, args);
    return;
  }
  const last = here[0];
  if (!last || last.live) return;
  const ids = { ...(last.runId ? { runId: last.runId } : {}), ...(last.specId ? { specId: last.specId } : {}) };
  if (last.status === 'spec-saved') return { next: 'approve', ...ids };
  if (last.status === 'completed') return { next: 'verify', ...ids };
  if (['stopped', 'failed', 'interrupted', 'cancelled', 'unchecked'].includes(last.status))
    return { next: 'resume', ...ids };
}

export interface DriftData {
  specId: string;
  title: string;
  status: string;
  counts: Record<string, number>;
  requirements: {
    requirement: string;
    title: string;
    status: string;
    evidence: string[];
    proof?: { criterion: string; now: string; then: string }[];
  }[];
  warnings: string[];
  /** With `strength`: each criterion's proof tests against mutants again (`verify --strength`). */
  strength?: SpecDrift['strength'];
}

/** A completed spec against today's code (read-only; checks run only in a trusted workspace). */
export async function verifyData(s: Services, workspace: string, specId: string, strength = false): Promise<DriftData> {
  const report = await s.engine.verifySpecs(workspace, [specId], { trusted: vscode.workspace.isTrusted, strength });
  const spec = report.specs[0];
  if (!spec) throw new Error(`no completed spec ${specId}`);
  return {
    specId: spec.specId,
    title: spec.title,
    status: spec.status,
    counts: spec.counts,
    requirements: spec.requirements.map((r) => ({
      requirement: r.requirement,
      title: r.title,
      status: r.status,
      evidence: r.evidence.slice(0, 10),
      ...(r.proof?.length ? { proof: r.proof.map((p) => ({ criterion: p.criterion, now: p.now, then: p.then })) } : {}),
    })),
    warnings: spec.warnings,
    ...(spec.strength ? { strength: spec.strength } : {}),
  };
}

export async function verifyReport(
  s: Services,
  out: ChatOut,
  workspace: string,
  specId: string,
  strength = false,
): Promise<void> {
  out.progress(
    strength
      ? `Verifying ${specId} against today's code and measuring its proof's strength (mutants: this takes a while)`
      : `Verifying ${specId} against today's code`,
  );
  const drift = await verifyData(s, workspace, specId, strength);
  out.markdown(`**${escapeInline(drift.title, 120)}** (${codeSpan(drift.specId)}): ${drift.status}\n\n`);
  for (const r of drift.requirements) {
    out.markdown(
      `- ${escapeInline(r.requirement, 40)} ${escapeInline(r.title, 120)}: ${r.status}${r.evidence[0] ? ` (${escapeInline(r.evidence[0], 200)})` : ''}\n`,
    );
    // Its criteria's proof tests run again: each proven or failing now.
    if (r.proof?.length)
      out.markdown(
        `  Proof now: ${r.proof.map((p) => `${escapeInline(p.criterion, 40)} ${p.now === 'not-run' ? 'not run' : p.now}`).join(' · ')}\n`,
      );
  }
  for (const w of drift.warnings) out.markdown(`- warning: ${escapeInline(w)}\n`);
  if (drift.strength) strengthReport(out, drift.strength);
}

/** `verify --strength` in the chat: each criterion's score line, then its first survivors. */
function strengthReport(out: ChatOut, strength: NonNullable<DriftData['strength']>): void {
  out.markdown('\n**Strength now**\n\n');
  if (strength.error) out.markdown(`- ${escapeInline(engineErrorLine(strength.error) ?? '', 300)}\n`);
  for (const c of strength.criteria) {
    const { line, survivors } = strengthWords(c, 5);
    out.markdown(`- ${escapeInline(c.criterion, 40)}: ${escapeInline(line, 300)}\n`);
    for (const survivor of survivors) out.markdown(`  - ${escapeInline(survivor, 300)}\n`);
  }
}
