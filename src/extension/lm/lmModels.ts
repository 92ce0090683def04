/**
 * Which of the editor's models a `vscode-lm:<vendor>/<family>` id names, and what to tell the
 * user when none fits: a malformed id, no models at all, no such model, a model that cannot
 * call tools. Pure (the models come from vscode.lm.selectChatModels, described as plain data),
 * so the messages are tested in plain Node.
 */

/** One of the editor's chat models as plain data. */
export interface EditorModel {
  vendor: string;
  family: string;
  /** Human-readable, e.g. "GPT-4o". */
  name: string;
  maxInputTokens: number;
  /** From the model's capabilities; undefined when the editor does not say. */
  toolCalling?: boolean;
}

export const editorModelId = (m: Pick<EditorModel, 'vendor' | 'family'>): string => `vscode-lm:${m.vendor}/${m.family}`;

/** `copilot/gpt-4o` → its selector; undefined when it is not `<vendor>/<family>`. */
export function parseVendorFamily(name: string): { vendor: string; family: string } | undefined {
  const match = /^([^/\s]+)\/(\S+)$/.exec(name.trim());
  return match ? { vendor: match[1] as string, family: match[2] as string } : undefined;
}

export const canCallTools = (m: EditorModel): boolean => m.toolCalling !== false;

/** Models worth suggesting: those that can call tools, each vendor/family once. */
export function toolModels(models: readonly EditorModel[]): EditorModel[] {
  const seen = new Set<string>();
  return models.filter((m) => canCallTools(m) && !seen.has(editorModelId(m)) && seen.add(editorModelId(m)));
}

const NONE_AVAILABLE =
  'No language models are available in this editor: install and sign in to an extension that provides them (e.g. GitHub Copilot), or use a Claude model id.';

function suggestions(available: readonly EditorModel[]): string {
  const usable = toolModels(available);
  if (usable.length === 0)
    return available.length === 0 ? NONE_AVAILABLE : "None of the editor's models can call tools.";
  const shown = usable.slice(0, 8).map((m) => `${editorModelId(m)} (${m.name})`);
  return `Models that can: ${shown.join(', ')}${usable.length > shown.length ? `, and ${usable.length - shown.length} more` : ''}.`;
}

export const malformedProblem = (name: string): string =>
  `"vscode-lm:${name}" does not name a model: write vscode-lm:<vendor>/<family>, e.g. vscode-lm:copilot/gpt-4o.`;

export function unknownModelProblem(name: string, available: readonly EditorModel[]): string {
  if (available.length === 0) return `The editor has no model vscode-lm:${name}. ${NONE_AVAILABLE}`;
  return `The editor has no model vscode-lm:${name}. ${suggestions(available)}`;
}

export const noToolsProblem = (model: EditorModel, available: readonly EditorModel[]): string =>
  `The editor's model ${editorModelId(model)} (${model.name}) cannot call tools, which every Orchestrator agent needs. ${suggestions(available)}`;

/** Of the models matching a vendor/family (several versions, say), one that can call tools if any does. */
export function pickMatch<M extends EditorModel>(matches: readonly M[]): M | undefined {
  return matches.find(canCallTools) ?? matches[0];
}
