/**
 * Initialize Workspace: the census's proposal shown in the sidebar (a row per layer with its
 * owns, commands and verification results), edited there, and written once accepted. Commands
 * are verified only in a trusted workspace; nothing else of the workspace runs.
 */
import * as vscode from 'vscode';
import type { Census, VerifyOutcome } from '../../core/census';
import type { AcceptedLayer, InitProposalView } from '../../shared/initProposal';
import type { Engine } from '../engine';
import type { EventLog } from '../log/eventLog';
import type { SpecsService } from '../specs/specsService';
import type { ViewStore } from '../view/store';
import { proposalView } from './proposalView';

type Notice = (level: 'info' | 'warn' | 'error', text: string) => void;

export class InitController {
  private session: { workspace: string; census: Census; view: InitProposalView } | undefined;

  constructor(
    private readonly deps: {
      engine: Engine;
      store: ViewStore;
      specs: SpecsService;
      log: EventLog;
      extensionUri: vscode.Uri;
      revealSidebar: () => void;
      notice: Notice;
    },
  ) {}

  /** Takes the census (verifying its commands when the workspace is trusted) and shows it. */
  async propose(folder: vscode.WorkspaceFolder): Promise<void> {
    const { store, engine } = this.deps;
    const trusted = vscode.workspace.isTrusted;
    const taking: InitProposalView = {
      status: 'taking',
      workspace: folder.name,
      layers: [],
      schema: [],
      sourceFiles: 0,
      ownedFiles: 0,
      unowned: [],
      warnings: [],
      remainders: [],
      configExists: false,
    };
    store.dispatch({ type: 'init', init: taking });
    this.deps.revealSidebar();
    try {
      // Verification can take minutes on a large repository: each command shows as it starts, and Cancel stops them.
      const { census, configExists } = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: 'Orchestrator: Initialize Workspace',
          cancellable: true,
        },
        async (progress, token) => {
          const abort = new AbortController();
          token.onCancellationRequested(() => abort.abort());
          progress.report({
            message: trusted
              ? 'taking the census; its commands then run once in a throwaway worktree (Cancel skips the rest)'
              : 'taking the census',
          });
          let done = 0;
          // The proposal is shown as soon as the census is taken, each command's row as its verification goes.
          const live = new Map<string, VerifyOutcome | 'running'>();
          let proposed: Census | undefined;
          const show = () => {
            if (proposed) store.dispatch({ type: 'init', init: proposalView(proposed, folder.name, false, live) });
          };
          return engine.proposeWorkspace(folder.uri.fsPath, {
            verify: trusted,
            trusted,
            signal: abort.signal,
            onProposal: (census) => {
              proposed = census;
              show();
            },
            onStart: (command, index, total) => {
              live.set(command, 'running');
              show();
              progress.report({ message: `[${index}/${total}] running ${command}` });
            },
            onProgress: (command, outcome) => {
              done++;
              live.set(command, outcome);
              show();
              this.deps.log.write('info', `init: ${command}: ${outcome.status}`);
              progress.report({ increment: 0, message: `${done} verified; last: ${command} (${outcome.status})` });
            },
          });
        },
      );
      const view = proposalView(census, folder.name, configExists);
      this.session = { workspace: folder.uri.fsPath, census, view };
      store.dispatch({ type: 'init', init: view });
      if (!trusted)
        this.deps.notice(
          'info',
          'Restricted Mode: the proposed commands were not run. Trust the workspace to verify them.',
        );
    } catch (error) {
      this.session = undefined;
      store.dispatch({ type: 'init', init: undefined });
      this.deps.notice('error', `The census failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Writes the proposal as the user edited it (an existing config is replaced only when they confirm, keeping a .bak). */
  async accept(layers: AcceptedLayer[]): Promise<void> {
    const session = this.session;
    if (!session) {
      this.deps.notice('warn', 'There is no proposal to accept: run Initialize Workspace again.');
      return;
    }
    if (session.view.configExists) {
      const replace = 'Replace (keep .bak)';
      const answer = await vscode.window.showWarningMessage(
        '.claude/orchestrator.yaml exists. Replace it with this proposal?',
        { modal: true, detail: 'The current file is kept as .claude/orchestrator.yaml.bak.' },
        replace,
      );
      if (answer !== replace) return;
    }
    this.deps.store.dispatch({ type: 'init', init: { ...session.view, status: 'writing' } });
    try {
      const templates = vscode.Uri.joinPath(this.deps.extensionUri, '.claude').fsPath;
      const report = await this.deps.engine.initWorkspace(session.workspace, templates, {
        census: session.census,
        edits: layers,
        verify: false,
        trusted: vscode.workspace.isTrusted,
        force: session.view.configExists,
      });
      this.session = undefined;
      this.deps.store.dispatch({ type: 'init', init: undefined });
      this.deps.log.write(
        'info',
        `init: created ${report.created.join(', ') || 'nothing'}; kept ${report.kept.join(', ') || 'nothing'}`,
      );
      this.deps.notice(
        'info',
        `Wrote .claude/orchestrator.yaml with ${layers.length} layer${layers.length === 1 ? '' : 's'} (${layers.map((l) => l.name).join(', ')}).`,
      );
      await this.deps.specs.refresh();
    } catch (error) {
      this.deps.store.dispatch({ type: 'init', init: session.view });
      this.deps.notice('error', `Nothing was written: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  cancel(): void {
    this.session = undefined;
    this.deps.store.dispatch({ type: 'init', init: undefined });
  }
}
