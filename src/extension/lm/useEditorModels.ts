/**
 * Use the Editor's Models: pick one of the editor's chat models that can call tools and make
 * it every agent's model (`orchestrator.models.default` = `vscode-lm:<vendor>/<family>`, in the
 * user's settings: model settings are not read from an untrusted workspace). Offered where a run
 * stops for want of an Anthropic API key (authNotice.ts).
 */
import * as vscode from 'vscode';
import { readSettings } from '../config/settings';
import type { Services } from '../services';
import { editorToolModels } from './editorToolModels';
import { editorModelId } from './lmModels';

export async function useEditorModels(s: Services): Promise<void> {
  const models = await editorToolModels();
  if (models.length === 0) {
    void vscode.window.showInformationMessage(
      'Orchestrator: the editor has no language models that can call tools. Install and sign in to an extension that provides them (e.g. GitHub Copilot).',
    );
    return;
  }
  const picked = await vscode.window.showQuickPick(
    models.map((model) => ({
      label: model.name,
      description: editorModelId(model),
      detail: `${model.vendor} · ${model.maxInputTokens.toLocaleString('en-US')} input tokens · requests count against your plan with ${model.vendor}`,
      model,
    })),
    {
      title: "Orchestrator: Use the Editor's Models",
      placeHolder: 'The model every agent runs on (orchestrator.models.default in your user settings)',
    },
  );
  if (!picked) return;
  const id = editorModelId(picked.model);
  await vscode.workspace
    .getConfiguration('orchestrator')
    .update('models.default', id, vscode.ConfigurationTarget.Global);

  // Agents the workspace's config (or a workspace setting) keeps on another model still need theirs.
  const folder = s.folders.current();
  const agents = folder
    ? await s.engine.agentModels(folder.uri.fsPath, readSettings(folder.uri).overrides).catch(() => [])
    : [];
  const others = agents.filter((a) => a.model !== id);
  const keep =
    others.length > 0
      ? ` Still on their own models: ${others.map((a) => `${a.agent} (${a.model}, ${a.key})`).join(', ')}.`
      : '';
  void vscode.window.showInformationMessage(
    `Orchestrator: agents now run on ${picked.label} (${id}). Runs count requests instead of dollars; limits.maxRequests caps them.${keep}`,
  );
}
