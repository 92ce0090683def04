/**
 * A run as it goes, written into a chat response: phases as progress, each layer's agent and
 * runner, files as references, the commands run, the cost; the spec gate with its three buttons
 * (the existing commands, with the spec id: they decide through `Host.decideSpec`), the decision
 * wherever it was taken; at the end the review per criterion, the traceability summary, the
 * changed files as a tree and Show Changes / Rollback. Every untrusted text escaped (markdown.ts).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunSummary } from '../../core/api';
import type { EngineEvent } from '../../core/events';
import type { SpecDecision, SpecDecisionRequest } from '../../core/host';
import type { TraceMatrix } from '../../core/traceMatrix';
import { loadEngine } from '../engine';
import type { ChatOut } from './chatStream';
import type { FollowupMetadata } from './chatInputs';
import { codeSpan, escapeInline, inertMarkdown } from './markdown';
import { fileTree, placementMarkdown, reviewMarkdown, traceMarkdown, type ReviewSeen } from './runReport';
import type { RunWatcher } from './watchedHost';

const usd = (n: number) => `$${n.toFixed(n < 1 ? 4 : 2)}`;

/** The gate's buttons: the sidebar's, the palette's and the portal's decision, by the same commands. */
export const GATE_BUTTONS = [
  { title: 'Approve', command: 'orchestrator.approveSpec' },
  { title: 'Request changes', command: 'orchestrator.requestChanges' },
  { title: 'Save for later', command: 'orchestrator.saveSpec' },
] as const;

/** Why an audit loop stopped, as the chat says it. */
const AUDIT_ENDS: Record<Extract<EngineEvent, { type: 'audit.report' }>['reason'], string> = {
  target: 'the target score is reached',
  'max-iterations': 'the iteration limit is reached',
  'no-improvement': 'the score stopped improving',
  budget: 'the budget is spent',
  stopped: 'stopped',
};

export class ChatRunRenderer implements RunWatcher {
  runId: string | undefined;
  specId: string | undefined;
  private root: string;
  private costUsd = 0;
  private review: ReviewSeen | undefined;
  private reviewSkipped: string | undefined;
  private matrix: TraceMatrix | undefined;
  private readonly referenced = new Set<string>();

  constructor(
    private readonly out: ChatOut,
    /** The run's folder: file references resolve against it (a worktree run's, once it is known). */
    workspace: string,
  ) {
    this.root = workspace;
  }

  onEvent(event: EngineEvent): void {
    const { out } = this;
    switch (event.type) {
      case 'run.started':
        this.runId = event.runId;
        this.out.transcript.runId = event.runId;
        if (event.specId) this.specId = event.specId;
        out.progress(`Run ${event.runId} started${event.runner ? ` (layers on ${event.runner})` : ''}`);
        return;
      case 'worktree.created':
        this.root = event.workspace ?? event.path;
        out.markdown(`Working in its own worktree: ${codeSpan(event.path)}\n\n`);
        return;
      case 'phase.started':
        out.progress(`Phase ${event.phase}`);
        return;
      case 'wave.started':
        out.markdown(`**Wave ${event.wave} of ${event.of}**: ${event.layers.map((l) => escapeInline(l, 60)).join(', ')}\n\n`);
        return;
      case 'agent.started':
        out.progress(`${event.agent} agent (${event.runner ?? 'agent'}) ${event.mode}${event.attempt > 1 ? `, attempt ${event.attempt}` : ''}`);
        return;
      case 'agent.completed': {
        const cost = event.costUsd !== undefined ? ` · ${event.metered === false ? 'not metered' : usd(event.costUsd)}` : '';
        const summary = event.summary ? `: ${escapeInline(event.summary, 300)}` : '';
        out.markdown(`- **${escapeInline(event.agent, 60)}** (${escapeInline(event.runner ?? 'agent', 40)}) ${event.outcome}${summary}${cost}\n`);
        return;
      }
      case 'file.written':
      case 'file.deleted':
        this.refer(event.path);
        return;
      case 'validation.started':
        out.markdown(`- ${escapeInline(event.layer, 60)} runs ${codeSpan(event.command)}\n`);
        return;
      case 'validation.passed':
        out.markdown(`- ${escapeInline(event.layer, 60)}: validation passed\n`);
        return;
      case 'validation.failed':
        out.markdown(`- ${escapeInline(event.layer, 60)}: ${codeSpan(event.command)} failed (exit ${event.exitCode ?? 'none'})\n`);
        return;
      case 'retry':
        out.markdown(`- ${escapeInline(event.layer, 60)}: retry ${event.attempt} of ${event.max}\n`);
        return;
      case 'llm.usage':
        this.costUsd += event.costUsd;
        return;
      case 'review.verdict':
        this.review = event;
        out.progress(`Review round ${event.round}: ${event.verdict}`);
        return;
      case 'review.skipped':
        this.reviewSkipped = event.reason;
        return;
      case 'trace.updated':
        this.matrix = event.matrix;
        return;
      case 'audit.started':
        out.progress(`Audit of ${event.settings.target} (${event.settings.dimension}) to ${event.settings.targetScore}/100`);
        return;
      case 'audit.scored':
        out.markdown(`- Audit ${event.iteration}: **${event.score}/100**, ${event.findings.length} finding(s)\n`);
        return;
      case 'audit.report':
        out.markdown(`\n**Audit ended: ${AUDIT_ENDS[event.reason]}.** Report: ${codeSpan(event.path)}\n\n`);
        return;
      case 'spec.saved':
        this.specId = event.specId;
        return;
      case 'agent.blocked':
        out.markdown(`- ${escapeInline(event.agent, 60)} is blocked: ${escapeInline(event.reason)}\n`);
        return;
      case 'budget.exceeded':
        out.markdown(`Budget reached: ${usd(event.spentUsd)} of ${usd(event.limitUsd)}.\n\n`);
        return;
      case 'run.stopped':
        // finish() says it, with the report.
        return;
      default: {
        // What else warns (a log's warning, the sandbox's refusals, the API's weather, a failed smoke test): in the catalogue's words.
        const words = loadEngine().wordsOf(event);
        if (words.progress !== false && (words.level === 'warn' || words.level === 'error')) out.markdown(`- ${escapeInline(words.text)}\n`);
        return;
      }
    }
  }

  onGate(request: SpecDecisionRequest): void {
    this.specId = request.specId;
    const what = request.phase === undefined ? `Spec ${codeSpan(request.specId)} awaits your approval` : `Phase ${escapeInline(request.phase, 40)} of ${codeSpan(request.specId)} awaits your approval`;
    this.out.markdown(`\n---\n### ${what}\n\n`);
    if (request.placement) this.out.markdown(`${placementMarkdown(request.placement)}\n`);
    this.out.markdown(`${inertMarkdown(request.markdown)}\n\n`);
    const args = request.phase === undefined ? [request.specId] : [request.specId, request.phase];
    for (const b of GATE_BUTTONS) this.out.button(b.title, b.command, args);
    // VS Code sends nothing more to this chat while this response follows the run (seen in 1.139): say where to type.
    this.out.markdown('\nOr decide in the sidebar, the portal or with `orchestrator approve`: the chat follows. While it follows the run, this chat sends no other request: type `/change <feedback>`, `/status` or `/cancel` in a new chat (**+**).\n\n');
  }

  onDecision(request: SpecDecisionRequest, decision: SpecDecision): void {
    const what = request.phase === undefined ? 'Spec' : `Phase ${escapeInline(request.phase, 40)}`;
    if (decision.action === 'approve') this.out.markdown(`**${what} approved.** Implementing…\n\n`);
    else if (decision.action === 'save') this.out.markdown(`**${what} saved for later.** Approve it with \`/approve ${request.specId}\` when you are ready.\n\n`);
    else this.out.markdown(`**Changes requested:** ${escapeInline(decision.feedback)}\nThe spec is written again with them.\n\n`);
  }

  /** The run's end; returns what the follow-ups propose next. */
  finish(summary: RunSummary | undefined, error?: string): FollowupMetadata {
    const { out } = this;
    const runId = summary?.runId ?? this.runId;
    const ids = { ...(runId ? { runId } : {}), ...(this.specId ? { specId: this.specId } : {}) };
    if (!summary) {
      out.markdown(error ? `**The run failed:** ${escapeInline(error)}\n` : '**The run ended without a result** (cancelled, or it did not start).\n');
      return runId ? { next: 'resume', ...ids } : { next: 'status' };
    }
    const cost = usd(summary.costUsd || this.costUsd);
    if (summary.status === 'spec-saved') {
      out.markdown(`The spec is saved; nothing was implemented. Cost ${cost}.\n`);
      return { next: 'approve', ...ids };
    }
    if (summary.status !== 'completed') {
      const why = summary.error && summary.error !== summary.status ? `${escapeInline(summary.error)} ` : '';
      out.markdown(`**Run ${escapeInline(summary.runId)} ${summary.status}.** ${why}Cost ${cost}.\n`);
      if (summary.report) out.markdown(`\n${inertMarkdown(summary.report)}\n`);
      return { next: 'resume', ...ids };
    }
    out.markdown(`\n---\n**Run ${escapeInline(summary.runId)} completed**: ${summary.filesChanged.length} file(s) changed, ${summary.reviewRounds} review round(s), cost ${cost}.\n\n`);
    out.markdown(reviewMarkdown(this.review, this.reviewSkipped));
    out.markdown(traceMarkdown(this.matrix));
    if (summary.filesChanged.length > 0) out.filetree(fileTree(summary.filesChanged), vscode.Uri.file(this.root));
    out.button('Show Changes', 'orchestrator.showChanges', [summary.runId]);
    out.button('Rollback', 'orchestrator.rollbackRun', [summary.runId]);
    return { next: 'verify', ...ids };
  }

  private refer(file: string): void {
    if (this.referenced.has(file) || this.referenced.size >= 200) return;
    this.referenced.add(file);
    this.out.reference(vscode.Uri.file(path.resolve(this.root, file)));
  }
}
