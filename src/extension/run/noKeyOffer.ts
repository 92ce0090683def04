/**
 * New Feature (or Bugfix, Resume) with no Anthropic API key: instead of an error that drops the
 * request, one choice of how the agents run it: the editor's models (Copilot's, through the
 * vscode-lm provider), a CLI agent the user already trusts (issue 27), a key, or the demo. The
 * request is never lost: after a model or key is set the run starts with it; otherwise it is
 * kept as the next New Feature's text (requestDrafts.ts).
 */
import * as vscode from 'vscode';
import { editorToolModels, USE_EDITOR_MODELS_COMMAND } from '../lm/editorToolModels';
import type { RequestDrafts } from './requestDrafts';

type ChoiceId = 'editor' | 'cli' | 'key' | 'demo';

interface Choice extends vscode.QuickPickItem {
  id: ChoiceId;
  /** What the choice runs before the run is tried again (a command id and its argument). */
  command: string;
  arg?: unknown;
}

/**
 * CLI agents (issue 27: Claude Code, Codex, … as a layer's `runner`): none until the engine takes
 * a run's runner (`RunOptions.runner`, `--runner NAME`). When it does, list the installed agents
 * here, each a choice whose command sets the runs' runner; the offer and the retry need no change.
 */
function cliAgentChoices(): Choice[] {
  return [];
}

async function choices(): Promise<Choice[]> {
  const models = await editorToolModels().catch(() => []);
  const names = [...new Set(models.map((m) => m.name))].slice(0, 3).join(', ');
  return [
    {
      id: 'editor',
      label: "$(copilot) Use the Editor's Models",
      description: models.length ? names : 'none yet',
      detail: models.length
        ? 'Every agent runs on a chat model of the editor (GitHub Copilot\'s); requests count against your plan with its vendor.'
        : 'Install and sign in to GitHub Copilot (or another extension with chat models that call tools), then pick this.',
      command: USE_EDITOR_MODELS_COMMAND,
    },
    ...cliAgentChoices(),
    { id: 'key', label: '$(key) Set an Anthropic API Key', detail: 'Kept in VS Code\'s secret storage, never in settings or logs.', command: 'orchestrator.setApiKey' },
    { id: 'demo', label: '$(beaker) Try the Demo', detail: 'A sample shop on a scripted model, in a new window: no key, no network. Your request stays here for later.', command: 'orchestrator.tryDemo' },
  ];
}

/**
 * Asks how to run `request`; true when something was set up and the run should be tried again.
 * Dismissed, or the demo chosen: false, and the request is kept for the next New Feature.
 */
export async function offerWithoutKey(run: { kind: string; label: string; workspace: string }, drafts: RequestDrafts): Promise<boolean> {
  const chosen = await vscode.window.showQuickPick(await choices(), {
    title: 'Orchestrator: no API key yet — how should the agents run your request?',
    placeHolder: `"${run.label.length > 80 ? `${run.label.slice(0, 79)}…` : run.label}" is kept whatever you choose`,
    ignoreFocusOut: true,
  });
  if (chosen && chosen.id !== 'demo') {
    await vscode.commands.executeCommand(chosen.command, chosen.arg);
    return true;
  }
  const typed = run.kind === 'feature' || run.kind === 'bugfix';
  if (typed) drafts.keep(run.workspace, run.kind, run.label);
  if (chosen) await vscode.commands.executeCommand(chosen.command);
  if (typed) void vscode.window.showInformationMessage(`Orchestrator: your request is kept — Orchestrator: New ${run.kind === 'bugfix' ? 'Bugfix' : 'Feature'} starts with it.`);
  return false;
}
