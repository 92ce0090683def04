import * as vscode from 'vscode';
import { toolModels, type EditorModel } from './lmModels';
import { describeModel } from './lmParts';

export const USE_EDITOR_MODELS_COMMAND = 'orchestrator.useEditorModels';

/** The editor's models that can call tools, each vendor/family once. */
export async function editorToolModels(): Promise<EditorModel[]> {
  return toolModels((await vscode.lm.selectChatModels()).map(describeModel));
}
