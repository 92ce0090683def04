/**
 * Our runs among VS Code's agent sessions (issue 38), through the proposed `chatSessionsProvider`
 * API: every run of the workspace (local, in a worktree, pooled) with its status, opening into
 * its chat transcript, rebuilt from its journal by the same renderer as a live response (a run
 * waiting at its gate shows the gate's buttons). Only in the Insiders build (scripts/build.mjs
 * --insiders, whose manifest declares the proposal: scripts/proposedApi.mjs) and with the setting
 * `orchestrator.chat.sessions` on: the Marketplace build uses stable APIs only, where `/status`
 * and the sidebar cover the same.
 */
import * as vscode from 'vscode';
import type { RunSummary } from '../../../core/api';
import { loadEngine } from '../../engine';
import { readJournal } from '../../run/runHistory';
import type { Services } from '../../services';
import { chatOut, type Transcripts } from '../chatStream';
import { idArg } from '../chatInputs';
import { escapeInline } from '../markdown';
import { ChatRunRenderer } from '../runRenderer';
import { proposedChat, type SessionItemController } from './proposedSessions';
import { sessionEntries } from './sessionEntries';

/** Replaced by scripts/build.mjs (`--insiders`: true); from source (tests through tsx): false. */
declare const ORCH_PROPOSED_API: boolean | undefined;
export const PROPOSED_API_BUILD = typeof ORCH_PROPOSED_API !== 'undefined' && ORCH_PROPOSED_API === true;

/** The chat session type and the scheme of its items' resources (the manifest's `chatSessions` type). */
export const RUN_SESSION_TYPE = 'orchestrator-run';

export function runSessionsEnabled(): boolean {
  return PROPOSED_API_BUILD && vscode.workspace.getConfiguration('orchestrator').get<boolean>('chat.sessions', false);
}

/** Registers the run sessions when the build and the setting allow it; undefined otherwise. */
export function registerRunSessions(
  s: Services,
  participant: vscode.ChatParticipant,
  transcripts: Transcripts,
): vscode.Disposable | undefined {
  if (!runSessionsEnabled()) return undefined;
  const chat = proposedChat(vscode.chat);
  if (!chat) {
    s.log.write(
      'warn',
      'orchestrator.chat.sessions is on, but this VS Code does not offer the chatSessionsProvider API to the extension: the runs stay in the sidebar and /status.',
    );
    return undefined;
  }
  const controller: SessionItemController = chat.createChatSessionItemController(RUN_SESSION_TYPE, () => refresh());
  async function refresh(): Promise<void> {
    const ws = s.folders.current()?.uri.fsPath;
    const views = [s.store.state.run, ...(s.store.state.lanes ?? [])].filter((v) => v !== undefined);
    const journals = ws ? await s.engine.listRuns(ws).catch(() => []) : [];
    const entries = sessionEntries(views, s.store.state.pool?.runs ?? [], journals);
    controller.items.replace(
      entries.map((e) => {
        const item = controller.createChatSessionItem(
          vscode.Uri.from({ scheme: RUN_SESSION_TYPE, path: `/${e.runId}` }),
          e.label,
        );
        item.description = e.description;
        item.status = e.status;
        item.tooltip = `${e.label}\n${e.runId}: ${e.detail}`;
        if (e.started) item.timing = { created: e.started };
        return item;
      }),
    );
  }
  // The list follows the runs: a status that changes (a run starts, waits, ends) refreshes it.
  let shown = '';
  const watch = s.store.onDidChange((state) => {
    const key =
      [state.run, ...(state.lanes ?? [])].map((v) => `${v?.runId}:${v?.status}:${v?.live}`).join('|') +
      (state.pool?.runs.map((p) => `${p.runId}:${p.status}`).join('|') ?? '');
    if (key !== shown) {
      shown = key;
      void refresh();
    }
  });
  const content = chat.registerChatSessionContentProvider(
    RUN_SESSION_TYPE,
    {
      provideChatSessionContent: (resource) => ({
        history: [],
        requestHandler: undefined,
        activeResponseCallback: async (stream) => replay(s, transcripts, resource, stream),
      }),
    },
    participant,
  );
  return vscode.Disposable.from(controller, watch, content);
}

/** The run's transcript from its journal: what a live response showed, the gate's buttons if it waits now. */
async function replay(
  s: Services,
  transcripts: Transcripts,
  resource: vscode.Uri,
  stream: vscode.ChatResponseStream,
): Promise<void> {
  const runId = idArg(resource.path.replace(/^\//, ''));
  const ws = s.folders.current()?.uri.fsPath;
  if (!runId || !ws) return;
  const out = chatOut(stream, transcripts.begin(`session ${runId}`));
  const events = await readJournal(ws, runId);
  if (events.length === 0)
    return void out.markdown(
      "This run has no journal in this workspace (a pooled run keeps its journal on its worker: see the sidebar's Pool section).",
    );
  const renderer = new ChatRunRenderer(out, ws);
  let summary: RunSummary | undefined;
  for (const event of events) {
    renderer.onEvent(event);
    // What a live response said beside the run's lines: the spec's approval, the stop, the end.
    const { specApproved, stopped, completed } = loadEngine().meaningOf(event);
    if (specApproved) out.markdown('**Spec approved.**\n\n');
    if (completed) summary = completed.summary as RunSummary;
    if (stopped) out.markdown(`**Stopped:** ${escapeInline(stopped.reason)} Resume it with \`/resume ${runId}\`.\n`);
  }
  const pending = s.store.state.pendingDecision;
  if (pending && pending.id === renderer.specId && s.decisions.pending?.specId === pending.id) {
    renderer.onGate({
      specId: pending.id,
      specPath: pending.path,
      markdown: pending.markdown,
      ...(s.decisions.pending.phase !== undefined ? { phase: s.decisions.pending.phase } : {}),
    });
    return;
  }
  if (summary) renderer.finish(summary);
}
