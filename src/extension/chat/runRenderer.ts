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
import type { Meaning } from '../../core/catalogue';
import type { EngineEvent } from '../../core/events';
import type { SpecDecision, SpecDecisionRequest } from '../../core/host';
import type { TraceMatrix } from '../../core/traceMatrix';
import { loadEngine } from '../engine';
import { chatLineOf, usd } from './chatLines';
import type { ChatOut } from './chatStream';
import type { FollowupMetadata } from './chatInputs';
import { codeSpan, escapeInline, inertMarkdown } from './markdown';
import { fileTree, placementMarkdown, reviewMarkdown, traceMarkdown, type ReviewSeen } from './runReport';
import type { RunWatcher } from './watchedHost';

/** The gate's buttons: the sidebar's, the palette's and the portal's decision, by the same commands. */
export const GATE_BUTTONS = [
  { title: 'Approve', command: 'orchestrator.approveSpec' },
  { title: 'Request changes', command: 'orchestrator.requestChanges' },
  { title: 'Save for later', command: 'orchestrator.saveSpec' },
] as const;

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

  /** What the run keeps for its end (from the event's meaning), then the event's line (chatLines.ts). */
  onEvent(event: EngineEvent): void {
    const engine = loadEngine();
    const meaning = engine.meaningOf(event);
    for (const facet of Object.keys(meaning) as (keyof Meaning)[]) {
      const keep = ChatRunRenderer.KEPT[facet];
      const value = meaning[facet];
      if (keep && value !== undefined) (keep as (renderer: ChatRunRenderer, v: typeof value) => void)(this, value);
    }
    const line = chatLineOf(event, engine.wordsOf);
    if (line && 'progress' in line) this.out.progress(line.progress);
    else if (line) this.out.markdown(line.markdown);
  }

  private static readonly KEPT: {
    [F in keyof Meaning]?: (renderer: ChatRunRenderer, facet: NonNullable<Meaning[F]>) => void;
  } = {
    start: (renderer, start) => {
      renderer.runId = start.runId;
      renderer.out.transcript.runId = start.runId;
      if (start.specId) renderer.specId = start.specId;
    },
    // File references resolve against the run's folder: a worktree run's, once it is known.
    worktreeCreated: (renderer, worktree) => {
      renderer.root = worktree.workspace ?? worktree.path;
    },
    file: (renderer, file) => renderer.refer(file.path),
    usage: (renderer, usage) => {
      renderer.costUsd += usage.costUsd;
    },
    review: (renderer, review) => {
      renderer.review = review;
    },
    reviewSkipped: (renderer, skipped) => {
      renderer.reviewSkipped = skipped.reason;
    },
    trace: (renderer, matrix) => {
      renderer.matrix = matrix;
    },
    specSaved: (renderer, spec) => {
      renderer.specId = spec.id;
    },
  };

  onGate(request: SpecDecisionRequest): void {
    this.specId = request.specId;
    const what =
      request.phase === undefined
        ? `Spec ${codeSpan(request.specId)} awaits your approval`
        : `Phase ${escapeInline(request.phase, 40)} of ${codeSpan(request.specId)} awaits your approval`;
    this.out.markdown(`\n---\n### ${what}\n\n`);
    if (request.placement) this.out.markdown(`${placementMarkdown(request.placement)}\n`);
    this.out.markdown(`${inertMarkdown(request.markdown)}\n\n`);
    const args = request.phase === undefined ? [request.specId] : [request.specId, request.phase];
    for (const b of GATE_BUTTONS) this.out.button(b.title, b.command, args);
    // VS Code sends nothing more to this chat while this response follows the run (seen in 1.139): say where to type.
    this.out.markdown(
      '\nOr decide in the sidebar, the portal or with `orchestrator approve`: the chat follows. While it follows the run, this chat sends no other request: type `/change <feedback>`, `/status` or `/cancel` in a new chat (**+**).\n\n',
    );
  }

  onDecision(request: SpecDecisionRequest, decision: SpecDecision): void {
    const what = request.phase === undefined ? 'Spec' : `Phase ${escapeInline(request.phase, 40)}`;
    if (decision.action === 'approve') this.out.markdown(`**${what} approved.** Implementing…\n\n`);
    else if (decision.action === 'save')
      this.out.markdown(
        `**${what} saved for later.** Approve it with \`/approve ${request.specId}\` when you are ready.\n\n`,
      );
    else
      this.out.markdown(
        `**Changes requested:** ${escapeInline(decision.feedback)}\nThe spec is written again with them.\n\n`,
      );
  }

  /** The run's end; returns what the follow-ups propose next. */
  finish(summary: RunSummary | undefined, error?: string): FollowupMetadata {
    const { out } = this;
    const runId = summary?.runId ?? this.runId;
    const ids = { ...(runId ? { runId } : {}), ...(this.specId ? { specId: this.specId } : {}) };
    if (!summary) {
      out.markdown(
        error
          ? `**The run failed:** ${escapeInline(error)}\n`
          : '**The run ended without a result** (cancelled, or it did not start).\n',
      );
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
      // Issue 70: the work is done and reviewed; nothing checked part of it. Accepting completes it.
      if (summary.status === 'unchecked')
        out.button('Accept Unchecked…', 'orchestrator.acceptUnchecked', [summary.runId]);
      return { next: 'resume', ...ids };
    }
    out.markdown(
      `\n---\n**Run ${escapeInline(summary.runId)} completed**: ${summary.filesChanged.length} file(s) changed, ${summary.reviewRounds} review round(s), cost ${cost}.\n\n`,
    );
    if (summary.unchecked?.length)
      out.markdown(
        `**Accepted unchecked**: no proof test and no validate command checked ${summary.unchecked.map((l) => `${escapeInline(l.layer, 60)}: ${l.files.map((f) => codeSpan(f)).join(', ')}`).join('; ')}.\n\n`,
      );
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
