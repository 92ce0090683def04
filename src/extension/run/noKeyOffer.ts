/**
 * New Feature (or Bugfix, Resume) with no Anthropic API key: instead of an error that drops the
 * request, one choice of how the agents run it: the editor's models (Copilot's, through the
 * vscode-lm provider), a CLI agent the user already has for the layers (issue 27), a key, a local
 * OpenAI-compatible server (Ollama, LM Studio: issue 71), or the demo. The
 * request is never lost: after a model or key is set the run starts with it; otherwise it is
 * kept as the next New Feature's text (requestDrafts.ts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { editorToolModels, USE_EDITOR_MODELS_COMMAND } from '../lm/editorToolModels';
import { readSettings } from '../config/settings';
import { isCliRunner } from '../../core/text/runnerNames';
import type { Engine } from '../engine';
import type { RequestDrafts } from './requestDrafts';

type ChoiceId = 'editor' | 'cli' | 'key' | 'local' | 'demo';

/** What goes into .claude/orchestrator.yaml for a local server (docs/configuration.md, "Local servers"). */
const LOCAL_MODEL_YAML =
  'providers:\n  openai:\n    baseURL: http://127.0.0.1:11434/v1   # Ollama; LM Studio: http://127.0.0.1:1234/v1\nmodels:\n  default: openai:qwen2.5-coder:32b     # a model it serves that calls tools (`ollama list`)';

/**
 * A local server is the workspace's config to say (a trusted workspace's): the two keys shown, and
 * the file opened to write them (Initialize Workspace first when there is none). Not retried: the
 * next New Feature starts with the request.
 */
async function localModelSteps(workspace: string): Promise<void> {
  const config = join(workspace, '.claude', 'orchestrator.yaml');
  const exists = existsSync(config);
  const open = exists ? 'Open orchestrator.yaml' : 'Initialize Workspace';
  const chosen = await vscode.window.showInformationMessage(
    'Orchestrator: run the agents on a local OpenAI-compatible server (Ollama, LM Studio), no key',
    {
      modal: true,
      detail: `Start the server, then put its address and a model it serves in .claude/orchestrator.yaml:\n\n${LOCAL_MODEL_YAML}\n\nThe model must call tools well. New Feature then runs with it.`,
    },
    open,
  );
  if (chosen !== open) return;
  if (exists) await vscode.window.showTextDocument(vscode.Uri.file(config));
  else await vscode.commands.executeCommand('orchestrator.initWorkspace');
}

interface Choice extends vscode.QuickPickItem {
  id: ChoiceId;
  /** What the choice does before the run is tried again. */
  apply: () => Thenable<unknown>;
}

/**
 * CLI agents (issue 27's runners: Claude Code, Codex, …) as the engine detects them (the
 * workspace's `agentCli.<r>.command` honoured, versions checked): each one installed, recent
 * enough and with a runner in this version puts every layer on it (`orchestrator.runner` in the
 * user settings, a run's `--runner`). The spec and review agents keep their models, so a key or
 * the editor's models may still be asked for them.
 */
async function cliAgentChoices(engine: Pick<Engine, 'cliAgents'>, workspace: string): Promise<Choice[]> {
  const agents = await engine.cliAgents(workspace, { trusted: vscode.workspace.isTrusted }).catch(() => []);
  return agents
    .filter((agent) => agent.installed && agent.available && !agent.tooOld)
    .map((agent) => ({
      id: 'cli',
      label: `$(terminal) Layers on ${agent.label}`,
      description: agent.path,
      detail: `Every layer runs on ${agent.label}, signed in as you, inside its layer's files; the spec and review agents keep their models.${agent.signedIn === false && agent.hint ? ` Not signed in yet: ${agent.hint}.` : ''}`,
      apply: async () => {
        await vscode.workspace
          .getConfiguration('orchestrator')
          .update('runner', agent.runner, vscode.ConfigurationTarget.Global);
        void vscode.window.showInformationMessage(
          `Orchestrator: every layer now runs on ${agent.label} (orchestrator.runner = ${agent.runner} in your user settings).`,
        );
      },
    }));
}

async function choices(engine: Pick<Engine, 'cliAgents'>, workspace: string): Promise<Choice[]> {
  const models = await editorToolModels().catch(() => []);
  const names = [...new Set(models.map((m) => m.name))].slice(0, 3).join(', ');
  const command = (id: string) => () => vscode.commands.executeCommand(id);
  return [
    {
      id: 'editor',
      label: "$(copilot) Use the Editor's Models",
      description: models.length ? names : 'none yet',
      detail: models.length
        ? "Every agent runs on a chat model of the editor (GitHub Copilot's); requests count against your plan with its vendor."
        : 'Install and sign in to GitHub Copilot (or another extension with chat models that call tools), then pick this.',
      apply: command(USE_EDITOR_MODELS_COMMAND),
    },
    ...(await cliAgentChoices(engine, workspace)),
    {
      id: 'key',
      label: '$(key) Set an Anthropic API Key',
      detail: "Kept in VS Code's secret storage, never in settings or logs.",
      apply: command('orchestrator.setApiKey'),
    },
    {
      id: 'local',
      label: '$(server) Use a Local Model (Ollama, LM Studio)',
      detail:
        'An OpenAI-compatible server on this machine, no key: its address and an openai: model in .claude/orchestrator.yaml.',
      apply: () => localModelSteps(workspace),
    },
    {
      id: 'demo',
      label: '$(beaker) Try the Demo',
      detail:
        'A sample shop on a scripted model, in a new window: no key, no network. Your request stays here for later.',
      apply: command('orchestrator.tryDemo'),
    },
  ];
}

/**
 * Asks how to run `request`; true when something was set up and the run should be tried again.
 * Dismissed, or the demo chosen: false, and the request is kept for the next New Feature.
 */
export async function offerWithoutKey(
  run: { kind: string; label: string; workspace: string },
  drafts: RequestDrafts,
  engine: Pick<Engine, 'cliAgents'>,
): Promise<boolean> {
  const runner = readSettings(vscode.Uri.file(run.workspace)).runner;
  const chosen = await vscode.window.showQuickPick(await choices(engine, run.workspace), {
    title:
      runner && isCliRunner(runner)
        ? `Orchestrator: the layers run on ${runner}; the spec and review agents still need a model or a key`
        : 'Orchestrator: no API key yet — how should the agents run your request?',
    placeHolder: `"${run.label.length > 80 ? `${run.label.slice(0, 79)}…` : run.label}" is kept whatever you choose`,
    ignoreFocusOut: true,
  });
  // The demo and a local server are not set up here: the request waits for the next New Feature.
  if (chosen && chosen.id !== 'demo' && chosen.id !== 'local') {
    await chosen.apply();
    return true;
  }
  const typed = run.kind === 'feature' || run.kind === 'bugfix';
  if (typed) drafts.keep(run.workspace, run.kind, run.label);
  if (chosen) await chosen.apply();
  if (typed)
    void vscode.window.showInformationMessage(
      `Orchestrator: your request is kept — Orchestrator: New ${run.kind === 'bugfix' ? 'Bugfix' : 'Feature'} starts with it.`,
    );
  return false;
}
